// wordlens tokenize --compare FILE: characters vs words vs BPE on one text —
// vocabulary size, tokens per sentence, out-of-vocabulary rate, the attention
// cost Σ T² and the embedding table each implies.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/encoder_options.h"
#include "cli/normalizer_options.h"
#include "cli/progress_line.h"
#include "common/atomic_file.h"
#include "common/errors.h"
#include "common/file_identity.h"
#include "common/text_format.h"
#include "compare/tokenization_chart.h"
#include "tokenizer/tokenization_stats.h"

namespace po = boost::program_options;

namespace cli {

namespace {

struct TokenizeOptions {
  std::string compare, plot, bpe_sizes = "1000,4000,16000";
  bool json = false;
  tok::TokenizationOptions stats;
  // Parses --bpe-sizes into stats.bpe_sizes, then checks everything (OptionError).
  void validate() {
    if (compare.empty()) throw common::OptionError("--compare FILE is required (raw UTF-8 text, one sentence or paragraph per line)");
    stats.bpe_sizes.clear();
    std::size_t at = 0;
    while (at <= bpe_sizes.size() && !bpe_sizes.empty()) {
      const std::size_t comma = std::min(bpe_sizes.find(',', at), bpe_sizes.size());
      const std::string item = bpe_sizes.substr(at, comma - at);
      stats.bpe_sizes.push_back(parse_size_option("bpe-sizes", item, false, std::size_t{1} << 24));
      at = comma + 1;
    }
    stats.validate();
  }
};

std::string percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100 * x);
  return buf;
}

nlohmann::ordered_json report_json(const TokenizeOptions& o, const tok::TokenizationReport& r) {
  nlohmann::ordered_json schemes = nlohmann::ordered_json::array();
  for (const auto& s : r.schemes) {
    nlohmann::ordered_json j = {{"scheme", tok::to_string(s.scheme)}};
    if (s.scheme == tok::TokenScheme::kBpe) j["requested_vocab"] = s.requested_size;
    j["vocab_size"] = s.vocab_size;
    j["embedding_parameters"] = s.vocab_size * r.dim;
    j["tokens"] = s.lengths.tokens;
    j["tokens_per_sentence"] = {{"mean", s.lengths.mean}, {"p50", s.lengths.p50}, {"max", s.lengths.max}};
    j["oov_tokens"] = s.oov;
    j["oov_rate"] = s.oov_rate();
    j["sum_t2"] = s.lengths.sum_sq;
    j["sum_t2_per_sentence"] = s.lengths.sum_sq_per_sentence();
    schemes.push_back(std::move(j));
  }
  nlohmann::ordered_json j;
  j["file"] = o.compare;
  j["bytes"] = r.bytes;
  j["lines"] = r.lines;
  j["blank_lines"] = r.blank_lines;
  j["train_sentences"] = r.train_sentences;
  j["held_out_sentences"] = r.held_out_sentences;
  j["held_out"] = r.held_out_fraction;
  j["evaluated_sentences"] = r.evaluated();
  j["min_count"] = r.min_count;
  j["dim"] = r.dim;
  j["characters"] = "code points";
  j["normalizer"] = o.stats.normalizer.spec();
  j["schemes"] = schemes;
  return j;
}

void print_report(const TokenizeOptions& o, const tok::TokenizationReport& r) {
  char held[32];
  std::snprintf(held, sizeof held, "%g", r.held_out_fraction);
  std::printf("%s: %.1f MB, %s (%zu blank, skipped); vocabularies from the first %s, every other number from %s\n",
              o.compare.c_str(), static_cast<double>(r.bytes) / 1e6, common::plural(r.lines, "line", "lines").c_str(),
              r.blank_lines, common::plural(r.train_sentences, "sentence", "sentences").c_str(),
              r.held_out_sentences ? ("the last " + common::plural(r.held_out_sentences, "sentence", "sentences") +
                                      " (held out: --held-out " + held + ")")
                                         .c_str()
                                   : "the same sentences (--held-out 0: OOV is then the training text's)");
  std::printf("characters: Unicode code points (spaces included); words: normalised tokens seen >= %zu times in training "
              "(others are OOV);\nbpe N: byte-level BPE of N tokens trained on the training sentences (OOV 0 by "
              "construction: every byte is a token); T counts no [CLS]\n\n",
              r.min_count);
  const tok::SchemeStats* words = nullptr;
  for (const auto& s : r.schemes)
    if (s.scheme == tok::TokenScheme::kWords) words = &s;
  std::printf("%-11s %10s %14s  %-22s %8s  %-33s\n", "", "", "embedding", "tokens per sentence", "",
              "attention cost sum T^2");
  std::printf("%-11s %10s %14s  %7s %6s %7s  %8s  %12s %9s %10s\n", "scheme", "vocabulary",
              ("table (x " + std::to_string(r.dim) + ")").c_str(), "mean", "p50", "max", "OOV", "per sentence",
              "vs words", "total");
  for (const auto& s : r.schemes) {
    const double per = s.lengths.sum_sq_per_sentence();
    const double ratio = words && words->lengths.sum_sq_per_sentence() > 0 ? per / words->lengths.sum_sq_per_sentence() : 0;
    char rel[32];
    std::snprintf(rel, sizeof rel, "%.2fx", ratio);
    std::printf("%-11s %10zu %14s  %7.1f %6zu %7zu  %8s  %12.0f %9s %10s\n", s.label().c_str(), s.vocab_size,
                human_count(static_cast<double>(s.vocab_size * r.dim)).c_str(), s.lengths.mean, s.lengths.p50,
                s.lengths.max, percent(s.oov_rate()).c_str(), per, rel, human_count(s.lengths.sum_sq).c_str());
  }
}

}  // namespace

int cmd_tokenize(int argc, char** argv) {
  TokenizeOptions o;
  po::options_description desc(
      "usage: wordlens tokenize --compare TEXT.txt [--min-count 5] [--bpe-sizes 1000,4000,16000]\n"
      "                         [--held-out 0.1] [--dim 256] [--json] [--plot CHART.svg]\n\n"
      "The tokenisation trade-off on one raw UTF-8 text (any language; one sentence or paragraph\n"
      "per line): characters (Unicode code points), normalised words (kept when seen --min-count\n"
      "times) and byte-level BPE of each --bpe-sizes size, each with its vocabulary size, tokens\n"
      "per sentence (mean, median, max), out-of-vocabulary rate, attention cost sum of T^2 per\n"
      "sentence (self-attention is quadratic in the length T) and embedding table (vocabulary x\n"
      "--dim). Vocabularies and BPE merges come from the text before the held-out part, the last\n"
      "--held-out fraction of the non-blank lines; every per-sentence number from that part.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("compare", po::value(&o.compare), "the text to cut three ways")
    ("bpe-sizes", po::value(&o.bpe_sizes)->default_value(o.bpe_sizes), "BPE vocabulary sizes, comma-separated")
    ("held-out", po::value(&o.stats.held_out)->default_value(o.stats.held_out, "0.1"), "fraction of the lines held out (0 to 0.9)")
    ("json", po::bool_switch(&o.json), "one JSON object on stdout")
    ("plot", po::value(&o.plot), "write a chart (SVG): tokens per sentence vs vocabulary, sum T^2, embedding table");
  // clang-format on
  add_size_option(desc, "min-count", o.stats.min_count, "words seen fewer times in training are out of vocabulary");
  add_size_option(desc, "dim", o.stats.dim, "embedding dimension for the table size");
  add_size_option(desc, "threads", o.stats.threads, "threads");
  NormalizerFlags nf;
  add_normalizer_options(desc, nf);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  o.stats.normalizer = normalizer_options(nf);
  o.validate();
  common::check_outputs_distinct({{"--plot", o.plot}}, {{"--compare", o.compare}});
  std::optional<common::AtomicFile> plot;
  if (!o.plot.empty()) plot.emplace(o.plot);  // an unwritable path fails now, before the work
  ProgressLine progress;
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = tok::compare_tokenizations_file(o.compare, o.stats,
                                                 [&](const common::WorkProgress& p) { progress.update_work(p); });
  progress.finish();
  if (plot) {
    plot->write(cmp::tokenization_chart(r));
    plot->commit();
  }
  if (o.json) std::printf("%s\n", report_json(o, r).dump().c_str());
  else print_report(o, r);
  std::fprintf(stderr, "done in %.1f s%s\n",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
               plot ? (", chart " + o.plot).c_str() : "");
  return 0;
}

}  // namespace cli
