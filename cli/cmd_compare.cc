// wordlens compare: averaged word vectors vs the encoder's contextual
// vectors on sentence-similarity benchmarks (STS-Benchmark so far).
#include <cstdio>
#include <memory>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "common/errors.h"
#include "common/normalize.h"
#include "encoder/compare.h"
#include "encoder/pooling.h"
#include "word2vec/sentence_vectors.h"

namespace po = boost::program_options;

namespace cli {

int cmd_compare(int argc, char** argv) {
  std::string vectors, model_path, vocab;
  std::vector<std::string> sts;
  bool json = false;
  int threads = 2;
  po::options_description desc(
      "usage: wordlens compare --vectors V.bin [--model M.safetensors] [--vocab COUNTS] --sts FILE... [--json]\n\n"
      "STS-Benchmark (tab-separated: score in column 5, sentences in 6 and 7): Spearman x100 of the\n"
      "cosine against the gold score for avg, sif (needs --vocab, the counts train -save-vocab wrote),\n"
      "encoder-mean and encoder-cls (need --model, an encoder trained from the same vectors). WiC, Lee\n"
      "and the HTML report are not implemented yet.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("vectors", po::value(&vectors), "Word2Vec vectors")
    ("model", po::value(&model_path), "encoder trained from the same vectors")
    ("vocab", po::value(&vocab), "word counts for sif")
    ("sts", po::value(&sts)->multitoken(), "STS-Benchmark files")
    ("threads", po::value(&threads)->default_value(threads), "threads for the encoder")
    ("json", po::bool_switch(&json), "print one JSON object");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  if (vectors.empty()) throw common::OptionError("--vectors is required");
  if (sts.empty()) throw common::OptionError("nothing to compare: give --sts FILE");
  std::vector<enc::StsData> data;  // read every file first: bad input fails before any work
  for (const auto& f : sts) data.push_back(enc::read_sts(f));
  auto e = w2v::read_vectors(vectors);
  w2v::SentenceVectors sv(e);
  if (!vocab.empty()) sv.set_counts(vocab);
  std::unique_ptr<enc::Encoder> model;
  enc::EncoderVocab ev;
  if (!model_path.empty()) {
    model = std::make_unique<enc::Encoder>(enc::Encoder::load(model_path));
    model->set_threads(threads);
    ev = enc::vocab_for(*model, vectors, model_path);
  }
  nlohmann::ordered_json out;
  out["sts"] = nlohmann::ordered_json::object();
  if (!json) std::printf("%-28s %8s %8s %13s %12s\n", "STS (Spearman x100)", "avg", "sif", "encoder-mean", "encoder-cls");
  for (std::size_t i = 0; i < sts.size(); ++i) {
    const auto& d = data[i];
    std::vector<std::vector<std::string>> t1, t2;
    for (const auto& s : d.s1) t1.push_back(common::normalize_tokens(s));
    for (const auto& s : d.s2) t2.push_back(common::normalize_tokens(s));
    auto score = [&](const common::Matrix& a, const common::Matrix& b) {
      return enc::sts_spearman(d.gold, a.data(), b.data(), d.gold.size(), a.cols(), a.ld());
    };
    auto& row = out["sts"][sts[i].substr(sts[i].find_last_of('/') + 1)];
    row["avg"] = score(sv.average(t1, nullptr), sv.average(t2, nullptr));
    row["sif"] = nullptr;
    if (sv.has_counts()) {
      // The principal component is removed from both sides together.
      auto both = t1;
      both.insert(both.end(), t2.begin(), t2.end());
      auto m = sv.sif(both, 1e-3, nullptr);
      common::Matrix a(t1.size(), m.cols()), b(t2.size(), m.cols());
      for (std::size_t r = 0; r < t1.size(); ++r) std::copy(m.row(r), m.row(r) + m.cols(), a.row(r));
      for (std::size_t r = 0; r < t2.size(); ++r) std::copy(m.row(t1.size() + r), m.row(t1.size() + r) + m.cols(), b.row(r));
      row["sif"] = score(a, b);
    }
    row["encoder_mean"] = nullptr;
    row["encoder_cls"] = nullptr;
    if (model) {
      row["encoder_mean"] = score(enc::encode_sentences(*model, ev, t1, enc::Pooling::kMean, 64, nullptr),
                                  enc::encode_sentences(*model, ev, t2, enc::Pooling::kMean, 64, nullptr));
      row["encoder_cls"] = score(enc::encode_sentences(*model, ev, t1, enc::Pooling::kCls, 64, nullptr),
                                 enc::encode_sentences(*model, ev, t2, enc::Pooling::kCls, 64, nullptr));
    }
    if (!json) {
      auto cell = [](const nlohmann::ordered_json& v) { return v.is_null() ? std::string("-") : std::to_string(v.get<double>()).substr(0, 6); };
      std::printf("%-28s %8s %8s %13s %12s\n", sts[i].substr(sts[i].find_last_of('/') + 1).c_str(), cell(row["avg"]).c_str(),
                  cell(row["sif"]).c_str(), cell(row["encoder_mean"]).c_str(), cell(row["encoder_cls"]).c_str());
    }
  }
  if (json) std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace cli
