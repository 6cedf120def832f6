// wordlens encoder init | forward, and the dispatch of the encoder subcommands.
#include "cli/cmd_encoder.h"

#include <cstdio>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/encoder_options.h"
#include "common/errors.h"
#include "common/line_reader.h"
#include "common/npy.h"
#include "encoder/batched_forward.h"
#include "encoder/model.h"

namespace po = boost::program_options;

namespace cli {

namespace {

std::vector<std::vector<std::int32_t>> read_id_lines(const std::string& path, const enc::EncoderConfig& cfg) {
  common::LineReader in(path, "token-id input");  // refuses directories and unreadable paths
  std::vector<std::vector<std::int32_t>> seqs;
  std::string line;
  while (in.next(line)) {
    auto ids = parse_id_line(line, cfg.vocab_size, in.where());
    if (ids.size() > cfg.max_len)
      throw common::InputError(in.where() + ": " + std::to_string(ids.size()) +
                               " tokens, longer than the model's max_len " + std::to_string(cfg.max_len));
    seqs.push_back(std::move(ids));
  }
  return seqs;
}

}  // namespace

int encoder_forward(int argc, char** argv) {
  std::string model_path, input, output;
  int threads = 2;
  std::size_t batch = 32;
  po::options_description desc(
      "usage: wordlens encoder forward --model M.safetensors --input IDS.txt --output OUT.npy\n\n"
      "Each input line is one sequence of token ids; OUT.npy is float32 (total tokens, d_model):\n"
      "the final hidden states of every token, in input order.\n\noptions");
  desc.add_options()("help,h", "show this help")("model", po::value(&model_path), "encoder weights (safetensors)")(
      "input", po::value(&input), "token ids, one sequence per line")("output", po::value(&output), "output .npy");
  add_size_option(desc, "batch", batch, "sequences per batch");
  add_size_option(desc, "threads", threads, "threads");
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  if (model_path.empty() || input.empty() || output.empty())
    throw common::OptionError("--model, --input and --output are required");
  if (threads < 1 || batch < 1) throw common::OptionError("--threads and --batch must be at least 1");
  auto model = enc::Encoder::load(model_path);
  model.set_threads(threads);
  const auto seqs = read_id_lines(input, model.config());
  const common::Matrix out = enc::hidden_states(model, seqs, batch);  // [total tokens, d]
  common::write_npy(output, out.data(), out.rows(), out.cols(), out.ld());
  std::fprintf(stderr, "wrote %s: %zu tokens x %zu from %zu sequences\n", output.c_str(), out.rows(), out.cols(), seqs.size());
  return 0;
}

int encoder_init(int argc, char** argv) {
  enc::EncoderConfig cfg;
  ShapeOptions shape;  // the defaults of EncoderConfig: d_model 256, 4 heads, 4 layers, d_ff 4 x 256
  std::string output;
  std::uint64_t seed = 1;
  bool no_final_norm = false;
  po::options_description desc(
      "usage: wordlens encoder init --output M.safetensors [shape options]\n\n"
      "Writes a randomly initialised encoder (PyTorch's default initialisation for\n"
      "nn.TransformerEncoderLayer; embeddings N(0, 0.02)).\n\noptions");
  desc.add_options()("help,h", "show this help")("output", po::value(&output), "weights file to write (safetensors)");
  add_size_option(desc, "vocab", cfg.vocab_size, "vocabulary size");
  add_shape_options(desc, shape);
  add_size_option(desc, "max-len", cfg.max_len, "longest sequence");
  desc.add_options()("no-final-norm", po::bool_switch(&no_final_norm), "no LayerNorm after the last layer")(
      "seed", po::value(&seed)->default_value(seed), "random seed");
  po::options_description hidden;
  add_hidden_shape_aliases(hidden, shape, false);
  po::variables_map vm;
  if (!parse_with_hidden(argc, argv, desc, hidden, vm)) return 0;
  if (output.empty()) throw common::OptionError("--output is required");
  apply_shape(shape, vm, cfg);
  cfg.final_norm = !no_final_norm;
  cfg.validate();
  enc::Encoder model(cfg);
  model.init_random(seed);
  model.save(output);
  std::printf("wrote %s: %zu parameters\n", output.c_str(), model.params().count());
  return 0;
}

int cmd_encoder(int argc, char** argv) {
  return run_verb(
      "encoder", argc, argv,
      {{"init", encoder_init, "write a randomly initialised encoder"},
       {"train", encoder_train, "masked-LM pre-training on a corpus (or SimCSE tuning of an MLM model)"},
       {"forward", encoder_forward, "final hidden states of token-id sequences with a trained encoder"},
       {"bench", encoder_bench, "time forward and MLM training steps of a random encoder"}});
}

}  // namespace cli
