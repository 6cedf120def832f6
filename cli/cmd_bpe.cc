// wordlens bpe train | encode | decode: a byte-level BPE tokenizer.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "common/text_format.h"
#include "cli/progress_line.h"
#include "common/atomic_file.h"
#include "common/display_width.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/bpe_stream_encoder.h"
#include "tokenizer/byte_unicode.h"
#include "tokenizer/bpe_trainer.h"
#include "common/errors.h"
#include "common/file_identity.h"

namespace po = boost::program_options;

namespace cli {

namespace {

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string t; std::getline(ss, t, ',');)
    if (!t.empty()) out.push_back(t);
  return out;
}

using Seconds = std::chrono::duration<double>;

// What bpe train prints at the end: a table, or (--json) one object with the same facts.
void print_train_summary(const tok::BpeModel& model, const tok::BpeTrainOptions& o, const tok::BpeTrainStats& st,
                         const std::vector<tok::SampleSegmentation>& samples, const std::string& output, Seconds total,
                         Seconds count, Seconds merge, bool json) {
  const double bytes_per_token = static_cast<double>(st.bytes) / static_cast<double>(std::max<std::uint64_t>(st.tokens, 1));
  const double tokens_per_word = static_cast<double>(st.tokens) / static_cast<double>(std::max<std::uint64_t>(st.words, 1));
  if (json) {
    nlohmann::ordered_json j{{"vocab_size", model.size()}, {"specials", model.num_specials()}, {"merges", model.num_merges()},
                             {"stopped_early", model.size() < o.vocab_size}, {"bytes", st.bytes}, {"words", st.words},
                             {"lines", st.lines}, {"bytes_per_token", bytes_per_token}, {"tokens_per_word", tokens_per_word},
                             {"seconds", total.count()}, {"count_seconds", count.count()}, {"merge_seconds", merge.count()},
                             {"samples", nlohmann::ordered_json::array()}, {"output", output}};
    for (const auto& g : samples) j["samples"].push_back({{"rank", g.rank}, {"piece", g.piece}, {"tokens", g.tokens}});
    std::printf("%s\n", j.dump().c_str());
    return;
  }
  std::printf("vocabulary size      %zu (%s + 256 bytes + %s)\n", model.size(),
              common::plural(model.num_specials(), "special", "specials").c_str(),
              common::plural(model.num_merges(), "merge", "merges").c_str());
  if (model.size() < o.vocab_size)
    std::printf("                     (stopped early: no pair left with frequency >= %llu)\n",
                static_cast<unsigned long long>(o.min_frequency));
  std::printf("training text        %s bytes, %s words, %s lines\n", human_count(static_cast<double>(st.bytes)).c_str(),
              human_count(static_cast<double>(st.words)).c_str(), human_count(static_cast<double>(st.lines)).c_str());
  std::printf("bytes per token      %.3f\n", bytes_per_token);
  std::printf("tokens per word      %.3f\n", tokens_per_word);
  std::printf("time                 %.2f s (count %.2f s, merges %.2f s)\n", total.count(), count.count(), merge.count());
  std::printf("sample segmentations (by frequency rank):\n");
  for (const auto& g : samples) std::printf("  #%-7zu %s -> %s\n", g.rank, common::pad_right(g.piece, 22).c_str(), g.tokens.c_str());
  std::printf("model written        %s\n", output.c_str());
}

int bpe_train(int argc, char** argv) {
  tok::BpeTrainOptions o;
  std::string output, specials = "[PAD],[UNK],[CLS],[SEP],[MASK]";
  bool json = false;
  po::options_description desc(
      "usage: wordlens bpe train --input FILE... --vocab-size N --output MODEL [options]\n\n"
      "Learns a byte-level BPE model: the 256 byte values are the base tokens (nothing is ever\n"
      "out of vocabulary); words are split at whitespace with the word start marked by its space;\n"
      "merges never cross a word. Ties between equally frequent pairs are broken by token ids,\n"
      "so the model depends only on the input, never on --threads.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("input", po::value(&o.inputs)->multitoken(), "training text: files, directories, or - for stdin")
    ("vocab-size", po::value(&o.vocab_size)->default_value(o.vocab_size), "tokens in the model, specials and bytes included")
    ("output", po::value(&output), "write the model here (text format, see wordlens docs)")
    ("min-frequency", po::value(&o.min_frequency)->default_value(o.min_frequency), "never merge a pair seen fewer times")
    ("special", po::value(&specials)->default_value(specials), "comma-separated special tokens (ids 0, 1, ...)")
    ("threads", threads_value(&o.threads), "threads for reading and counting")
    ("json", po::bool_switch(&json), "print the summary as one JSON object (progress stays on stderr)");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  o.specials = split_commas(specials);
  if (output.empty()) throw common::OptionError("--output is required: where to write the model");
  o.validate();
  std::vector<common::NamedPath> inputs;
  for (const auto& in : o.inputs) inputs.push_back({"--input", in});
  common::check_outputs_distinct({{"--output", output}}, inputs);
  { common::AtomicFile probe(output); }  // fail now if the model cannot be written

  const bool tty = ::isatty(2);
  auto t0 = std::chrono::steady_clock::now();
  tok::BpeTrainStats st;
  auto counts = tok::count_pieces(o.inputs, o.threads, &st);
  auto t1 = std::chrono::steady_clock::now();
  std::fprintf(stderr, "counted %s pieces (%s distinct) in %s lines, %.2f s\n", human_count(static_cast<double>(st.pieces)).c_str(),
               human_count(static_cast<double>(st.distinct_pieces)).c_str(), human_count(static_cast<double>(st.lines)).c_str(),
               std::chrono::duration<double>(t1 - t0).count());
  double last = 0;
  auto progress = [&](std::size_t done, std::size_t target) {
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    if (done < target && s - last < (tty ? 0.2 : 10.0)) return;
    last = s;
    std::fprintf(stderr, tty ? "\rmerges %zu / %zu (%.1f%%)  %.0f merges/s\033[K" : "merges %zu / %zu (%.1f%%)  %.0f merges/s\n",
                 done, target, target ? 100.0 * static_cast<double>(done) / static_cast<double>(target) : 100.0,
                 s > 0 ? static_cast<double>(done) / s : 0.0);
  };
  auto model = tok::learn_bpe(counts, o, &st, progress);
  if (tty) std::fprintf(stderr, "\n");
  auto t2 = std::chrono::steady_clock::now();
  model.save(output);
  print_train_summary(model, o, st, tok::sample_segmentations(counts, model, {10, 100, 1000, 3000, 10000, 30000, 100000}),
                      output, t2 - t0, t1 - t0, t2 - t1, json);
  return 0;
}

void write_all(std::string_view s) {
  if (!s.empty() && std::fwrite(s.data(), 1, s.size(), stdout) != s.size())
    throw common::IoError("cannot write to stdout");
}

int bpe_encode(int argc, char** argv) {
  std::string model_path;
  tok::BpeStreamOptions opt;
  bool ids = false, shown = false;
  po::options_description desc(
      "usage: wordlens bpe encode --model MODEL [--ids | --shown] [--threads T] < text > tokens\n\n"
      "One output line per input line, tokens separated by spaces, in readable form: valid\n"
      "UTF-8 characters as themselves, other bytes through GPT-2's byte mapping (space = \xC4\xA0,\n"
      "newline = \xC4\x8A, a lone byte of a cut character as its Latin-1 glyph), so ' \xD1\x80\xD0\xB0\xD0\xBC\xD0\xB0' reads\n"
      "'\xC4\xA0\xD1\x80\xD0\xB0\xD0\xBC\xD0\xB0'. Readable tokens are for people: --shown prints the model file's form\n"
      "(every byte mapped, reversible), --ids integer ids. A last line without '\\n' gets one.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("model", po::value(&model_path), "BPE model file")
    ("ids", po::bool_switch(&ids), "print integer ids")
    ("shown", po::bool_switch(&shown), "print tokens in the model file's form (GPT-2 byte mapping for every byte)")
    ("threads", threads_value(&opt.threads), "encoding threads");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  if (model_path.empty()) throw common::OptionError("--model is required");
  if (ids && shown) throw common::OptionError("give --ids or --shown, not both");
  opt.output = ids ? tok::BpeOutput::kIds : shown ? tok::BpeOutput::kShown : tok::BpeOutput::kReadable;
  opt.validate();
  const auto model = tok::BpeModel::load(model_path);
  tok::BpeStreamEncoder encoder(model, opt);
  encoder.encode_fd(0, "stdin", write_all);
  std::fflush(stdout);
  return 0;
}

int bpe_decode(int argc, char** argv) {
  std::string model_path;
  po::options_description desc(
      "usage: wordlens bpe decode --model MODEL < ids > text\n\n"
      "Each input line holds integer ids (as written by encode --ids); each output line is\n"
      "the exact original bytes.\n\noptions");
  desc.add_options()("help,h", "show this help")("model", po::value(&model_path), "BPE model file");
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  if (model_path.empty()) throw common::OptionError("--model is required");
  const auto model = tok::BpeModel::load(model_path);
  std::string line, out;
  std::vector<std::int32_t> ids;
  std::size_t lineno = 0;
  while (std::getline(std::cin, line)) {
    ++lineno;
    ids = parse_id_line(line, model.size(), "stdin line " + std::to_string(lineno));
    out += tok::bpe_decode_line(model, ids);
    out.push_back('\n');
    if (out.size() > (1 << 20)) {
      write_all(out);
      out.clear();
    }
  }
  write_all(out);
  return 0;
}

}  // namespace

int cmd_bpe(int argc, char** argv) {
  return run_verb("bpe", argc, argv,
                  {{"train", bpe_train, "learn a byte-level BPE model from text"},
                   {"encode", bpe_encode, "text (stdin) -> tokens or ids (stdout), one line per line"},
                   {"decode", bpe_decode, "ids (stdin) -> the exact original text (stdout)"}});
}

}  // namespace cli
