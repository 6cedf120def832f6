// wordlens eval: analogy accuracy and word-similarity correlations.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "common/display_width.h"
#include "common/errors.h"
#include "word2vec/evaluate.h"

namespace po = boost::program_options;

namespace cli {

namespace {

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

int cmd_eval(int argc, char** argv) {
  std::string vectors, analogy;
  std::vector<std::string> similarity;
  std::size_t restrict = 30000, limit = 0;
  bool json = false;
  po::options_description desc(
      "usage: wordlens eval VECTORS [--analogy FILE] [--similarity FILE ...] [--restrict-vocab 30000] [--json]\n\n"
      "Analogy: questions-words format, 3CosAdd over the --restrict-vocab most frequent words,\n"
      "case-insensitive; questions with unknown words count as wrong. Similarity: 'w1 w2 score'\n"
      "lines, or CSV 'w1,w2,score' with or without a header line (RUSSE); Spearman and Pearson of\n"
      "cosine vs the gold scores over known pairs, and coverage = known pairs / all pairs.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("vectors", po::value(&vectors), "word vectors (word2vec binary/text or fastText .vec)")
    ("analogy", po::value(&analogy), "analogy questions file")
    ("similarity", po::value(&similarity)->multitoken(), "word-pair similarity files")
    ("restrict-vocab", po::value(&restrict)->default_value(restrict), "analogy: search the N most frequent words")
    ("limit", po::value(&limit)->default_value(0), "load only the N first words (0 = all)")
    ("json", po::bool_switch(&json), "print one JSON object");
  // clang-format on
  po::positional_options_description pos;
  pos.add("vectors", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm, &pos)) return 0;
  if (vectors.empty()) throw common::OptionError("give the vectors file: wordlens eval VECTORS --analogy FILE ...");
  if (analogy.empty() && similarity.empty())
    throw common::OptionError("nothing to evaluate: give --analogy FILE and/or --similarity FILE");
  const auto t0 = std::chrono::steady_clock::now();
  w2v::EmbeddingIndex index(w2v::read_vectors(vectors, limit));
  const auto t1 = std::chrono::steady_clock::now();
  nlohmann::ordered_json out;
  out["analogy"] = nullptr;
  out["similarity"] = nlohmann::ordered_json::object();
  if (!analogy.empty()) {
    auto r = w2v::evaluate_analogies(index, analogy, restrict);
    auto& a = out["analogy"];
    a["accuracy"] = number(r.accuracy());
    a["accuracy_covered"] = number(r.accuracy_covered());
    a["coverage"] = number(r.coverage());
    a["sections"] = nlohmann::ordered_json::object();
    for (const auto& s : r.sections) a["sections"][s.name] = number(s.accuracy());
    if (!json) {
      std::printf("analogy  %s  (3CosAdd over the %zu most frequent words; unknown words count as wrong)\n",
                  analogy.c_str(), restrict);
      std::printf("  %-30s %9s %8s %8s %8s\n", "section", "accuracy", "correct", "covered", "total");
      auto row = [](const w2v::AnalogySection& s) {
        std::printf("  %s %9.4f %8zu %8zu %8zu\n", common::pad_right(s.name, 30).c_str(), s.accuracy(), s.correct, s.correct + s.incorrect,
                    s.correct + s.incorrect + s.oov);
      };
      for (const auto& s : r.sections) row(s);
      row(r.total);
      std::printf("  accuracy on covered questions %.4f, coverage %.4f\n", r.accuracy_covered(), r.coverage());
    }
  }
  if (!json && !similarity.empty())
    std::printf("similarity (pairs: with both words known / all)\n  %-24s %9s %9s %13s %9s\n", "file", "spearman",
                "pearson", "pairs", "coverage");
  for (const auto& f : similarity) {
    auto r = w2v::evaluate_similarity(index, f);
    out["similarity"][r.name] = {{"spearman", number(r.spearman)}, {"pearson", number(r.pearson)},
                                 {"coverage", number(r.coverage())}, {"pairs", r.pairs}, {"total", r.total()}};
    if (!json) {
      const std::string pairs = std::to_string(r.pairs) + "/" + std::to_string(r.total());
      std::printf("  %s %9.4f %9.4f %13s %9.4f\n", common::pad_right(r.name, 24).c_str(), r.spearman, r.pearson,
                  pairs.c_str(), r.coverage());
    }
  }
  const auto t2 = std::chrono::steady_clock::now();
  if (json) {
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("load %.2f s, evaluation %.2f s\n", std::chrono::duration<double>(t1 - t0).count(),
                std::chrono::duration<double>(t2 - t1).count());
  }
  return 0;
}

}  // namespace cli
