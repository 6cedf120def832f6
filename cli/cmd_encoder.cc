// wordlens encoder init | forward, and the dispatch of the encoder subcommands.
#include "cli/cmd_encoder.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include <nlohmann/json.hpp>

#include "cli/encoder_options.h"
#include "cli/normalizer_options.h"
#include "cli/progress_line.h"
#include "common/atomic_file.h"
#include "common/errors.h"
#include "common/file_identity.h"
#include "common/line_reader.h"
#include "common/npy.h"
#include "common/text_format.h"
#include "encoder/batched_forward.h"
#include "encoder/model.h"
#include "encoder/model_vocab.h"
#include "encoder/text_ids.h"
#include "encoder/text_normalizer.h"

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

struct ForwardOptions {
  std::string model, input, text, output, ids_output, vectors, tokenizer;
  int threads = common::default_threads();  // the cores
  std::size_t batch = 32;
  bool json = false;
  void validate() const {
    if (model.empty() || output.empty()) throw common::OptionError("--model and --output are required");
    if (input.empty() == text.empty()) throw common::OptionError("give either --input (token ids) or --text (raw lines)");
    if (!input.empty() && (!vectors.empty() || !tokenizer.empty() || !ids_output.empty()))
      throw common::OptionError("--vectors, --tokenizer and --ids-output go with --text, not --input");
    if (threads < 1 || batch < 1) throw common::OptionError("--threads and --batch must be at least 1");
  }
  // OUT.offsets.npy beside OUT.npy (OUT.offsets.npy for OUT without .npy too).
  std::string offsets_path() const {
    std::filesystem::path p(output);
    if (p.extension() == ".npy") p.replace_extension();
    p += ".offsets.npy";
    return p.string();
  }
};

// --text: each line as the model's training read it ([CLS] first), one
// sequence per line (a line without tokens is [CLS] alone).
std::vector<std::vector<std::int32_t>> read_text_lines(const ForwardOptions& o, const enc::Encoder& model,
                                                       const tok::NormalizerRequest& request, enc::TextIdStats* stats) {
  std::optional<tok::NormalizerOptions> norm;
  if (enc::trained_on_bpe(model)) {
    if (!request.given.empty())
      throw common::OptionError(request.given[0] + ": " + o.model + " reads raw text as BPE pieces, not normalised words");
  } else {
    norm = enc::sentence_normalizer(request, o.vectors, o.model);
  }
  const enc::EncoderVocab vocab = enc::query_vocab(model, o.model, o.vectors, o.tokenizer);
  enc::TextIds to_ids(vocab, norm, model.config().max_len);
  common::LineReader in(o.text, "text input");
  std::vector<std::vector<std::int32_t>> seqs;
  for (std::string line; in.next(line);) {
    try {
      seqs.push_back(to_ids.ids(line));
    } catch (const tok::TextError& e) {
      throw e.at(in.where());
    }
  }
  *stats = to_ids.stats();
  return seqs;
}

void write_ids(common::AtomicFile& out, const std::vector<std::vector<std::int32_t>>& seqs) {
  std::string line;
  for (const auto& s : seqs) {
    line.clear();
    for (std::size_t i = 0; i < s.size(); ++i) (line += i ? " " : "") += std::to_string(s[i]);
    line += '\n';
    out.write(line);
  }
}

void print_forward_summary(const ForwardOptions& o, const common::Matrix& out, std::size_t n,
                           const enc::TextIdStats* st) {
  if (o.json) {
    nlohmann::ordered_json j;
    j["output"] = o.output;
    j["offsets"] = o.offsets_path();
    j["sequences"] = n;
    j["tokens"] = out.rows();
    j["dim"] = out.cols();
    if (st) j["text"] = {{"lines", st->lines},         {"tokens", st->tokens},   {"unknown", st->unknown},
                         {"empty", st->empty},         {"truncated", st->truncated}, {"dropped_tokens", st->dropped}};
    std::printf("%s\n", j.dump().c_str());
  }
  std::fprintf(stderr, "wrote %s: %zu tokens x %zu from %s, and %s\n", o.output.c_str(), out.rows(), out.cols(),
               common::plural(n, "sequence", "sequences").c_str(), o.offsets_path().c_str());
  if (st)
    std::fprintf(stderr, "%s ([CLS] first): %s, %zu unknown ([UNK]); %s without a token; %s cut at max_len (%s dropped)\n",
                 common::plural(st->lines, "line", "lines").c_str(), common::plural(st->tokens, "token", "tokens").c_str(),
                 st->unknown, common::plural(st->empty, "line", "lines").c_str(),
                 common::plural(st->truncated, "line", "lines").c_str(),
                 common::plural(st->dropped, "token", "tokens").c_str());
}

}  // namespace

int encoder_forward(int argc, char** argv) {
  ForwardOptions o;
  po::options_description desc(
      "usage: wordlens encoder forward --model M.safetensors (--input IDS.txt | --text TEXT.txt [--vectors V.bin])\n"
      "                                --output OUT.npy [--ids-output IDS.txt]\n\n"
      "OUT.npy is float32 (total tokens, d_model): the final hidden states of every token of\n"
      "every sequence, in input order; OUT.offsets.npy is int64 (sequences + 1): sequence i is\n"
      "rows offsets[i] to offsets[i+1] of OUT.npy. --input: one sequence of token ids per line,\n"
      "as given. --text: one sequence per line of raw text (any language), read as the model's\n"
      "training read its corpus: [CLS], then the words normalised as the model records and looked\n"
      "up in --vectors (the vectors it was trained from; unknown words are [UNK]), or, for an\n"
      "encoder trained on BPE tokens, the raw line as BPE pieces; cut at max_len (counted). A\n"
      "line without tokens is [CLS] alone.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("model", po::value(&o.model), "encoder weights (safetensors)")
    ("input", po::value(&o.input), "token ids, one sequence per line")
    ("text", po::value(&o.text), "raw text, one sequence per line")
    ("vectors", po::value(&o.vectors), "--text: the word vectors the encoder was trained from (its vocabulary)")
    ("tokenizer", po::value(&o.tokenizer), "--text: the BPE model of an encoder that does not store it (older weights)")
    ("output", po::value(&o.output), "output .npy (and OUTPUT.offsets.npy beside it)")
    ("ids-output", po::value(&o.ids_output), "--text: also write the ids, one sequence per line (an --input file)")
    ("json", po::bool_switch(&o.json), "print a JSON summary on stdout");
  // clang-format on
  add_size_option(desc, "batch", o.batch, "sequences per batch");
  add_size_option(desc, "threads", o.threads, "threads");
  NormalizerFlags nf;
  add_normalizer_options(desc, nf);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  o.validate();
  common::check_outputs_distinct(
      {{"--output", o.output}, {"--output's offsets", o.offsets_path()}, {"--ids-output", o.ids_output}},
      {{"--model", o.model}, {"--input", o.input}, {"--text", o.text}, {"--vectors", o.vectors}, {"--tokenizer", o.tokenizer}});
  auto model = enc::Encoder::load(o.model);
  model.set_threads(o.threads);
  enc::TextIdStats text_stats;
  const auto seqs = o.text.empty() ? read_id_lines(o.input, model.config())
                                   : read_text_lines(o, model, normalizer_request(nf, vm), &text_stats);
  common::AtomicFile out(o.output), offsets(o.offsets_path());
  std::optional<common::AtomicFile> ids;
  if (!o.ids_output.empty()) ids.emplace(o.ids_output);
  ProgressLine progress;
  const common::Matrix hidden = enc::hidden_states(model, seqs, o.batch, [&](std::size_t done, std::size_t total) {
    progress.update_work({"forward", done, total, "sequences"});
  });  // [total tokens, d]
  progress.finish();
  std::vector<std::int64_t> starts = {0};  // [sequences + 1]
  for (const auto& s : seqs) starts.push_back(starts.back() + static_cast<std::int64_t>(s.size()));
  common::write_npy(out, hidden.data(), hidden.rows(), hidden.cols(), hidden.ld());
  common::write_npy_int64(offsets, starts.data(), starts.size());
  if (ids) {
    write_ids(*ids, seqs);
    common::commit_all({&out, &offsets, &*ids});
  } else {
    common::commit_all({&out, &offsets});
  }
  print_forward_summary(o, hidden, seqs.size(), o.text.empty() ? nullptr : &text_stats);
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
       {"finetune", encoder_finetune, "supervised fine-tuning on STS-Benchmark pairs (CoSENT)"},
       {"forward", encoder_forward, "final hidden states of token-id sequences (or raw text lines) with a trained encoder"},
       {"info", encoder_info, "parameter counts per part (embeddings, attention, feed-forward, norms), config, metadata"},
       {"bench", encoder_bench, "time forward and MLM training steps of a random encoder"}});
}

}  // namespace cli
