#include "compare/comparison.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "encoder/pooling.h"

namespace cmp {

namespace {

using Sentences = std::vector<std::vector<std::string>>;

std::string base_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

Sentences normalise_all(tok::Normalizer& norm, const std::vector<std::string>& raw) {
  Sentences out;
  out.reserve(raw.size());
  for (const auto& s : raw) out.push_back(norm.tokens(s));
  return out;
}

std::vector<double> cosines(const common::Matrix& a, const common::Matrix& b) {
  return row_cosines(a.data(), b.data(), a.rows(), a.cols(), a.ld());
}

// The words of each sentence within ±window of its position (static_window's input).
Sentences windows(const Sentences& ctx, const std::vector<std::size_t>& pos, std::size_t window) {
  Sentences out;
  out.reserve(ctx.size());
  for (std::size_t i = 0; i < ctx.size(); ++i) {
    const std::size_t lo = pos[i] > window ? pos[i] - window : 0, hi = std::min(ctx[i].size(), pos[i] + window + 1);
    out.emplace_back(ctx[i].begin() + static_cast<std::ptrdiff_t>(lo), ctx[i].begin() + static_cast<std::ptrdiff_t>(hi));
  }
  return out;
}

}  // namespace

void CompareOptions::validate() const {
  if (vectors.empty()) throw common::OptionError("--vectors is required");
  if (sts.empty() && wic.empty() && lee.empty()) throw common::OptionError("nothing to compare: give --sts FILE, --wic DIR or --lee DIR");
  if (batch == 0) throw common::OptionError("--batch must be at least 1");
  if (threads < 1) throw common::OptionError("--threads must be at least 1");
}

Comparison::Comparison(const CompareOptions& opt) : opt_(opt), norm_(opt.normalizer) {
  opt_.validate();
  for (const auto& f : opt_.sts) sts_.push_back(read_sts(f));
  if (!opt_.wic.empty()) wic_ = read_wic(opt_.wic, opt_.normalizer);
  if (!opt_.lee.empty()) lee_ = read_lee(opt_.lee);
  e_ = w2v::read_vectors(opt_.vectors);
  sv_ = std::make_unique<w2v::SentenceVectors>(e_);
  if (!opt_.vocab.empty()) sv_->set_counts(opt_.vocab);
  if (!opt_.model.empty()) {
    model_ = std::make_unique<enc::Encoder>(enc::Encoder::load(opt_.model));
    model_->set_threads(opt_.threads);
    ev_ = enc::vocab_for(*model_, e_, opt_.vectors, opt_.model);
  }
}

nlohmann::ordered_json Comparison::run_sts(std::size_t i, StsVectors* keep) {
  const StsData& d = sts_.at(i);
  const std::string& path = opt_.sts[i];
  const std::size_t n = d.gold.size();
  spdlog::info("{}: {} sentence pairs", base_name(path), n);
  // Both sides stacked: rows [0, n) are sentence 1, [n, 2n) sentence 2.
  Sentences both = normalise_all(norm_, d.s1);
  for (auto& s : normalise_all(norm_, d.s2)) both.push_back(std::move(s));
  auto score = [&](const common::Matrix& m) {  // m[2n, d]
    return sts_spearman(d.gold, m.row(0), m.row(n), n, m.cols(), m.ld());
  };
  nlohmann::ordered_json row;
  common::Matrix avg = sv_->average(both, nullptr);  // [2n, dim]
  row["avg"] = score(avg);
  // SIF removes the principal component of both sides together.
  row["sif"] = has_counts() ? nlohmann::ordered_json(score(sv_->sif(both, 1e-3, nullptr))) : nullptr;
  row["encoder_mean"] = nullptr;
  row["encoder_cls"] = nullptr;
  common::Matrix mean;
  if (model_) {
    mean = enc::encode_sentences(*model_, ev_, both, enc::Pooling::kMean, opt_.batch, nullptr);  // [2n, d]
    row["encoder_mean"] = score(mean);
    row["encoder_cls"] = score(encode_sentences(*model_, ev_, both, enc::Pooling::kCls, opt_.batch, nullptr));
  }
  if (keep) {
    keep->file = base_name(path);
    keep->genre = d.genre;
    keep->genre.insert(keep->genre.end(), d.genre.begin(), d.genre.end());
    keep->text = d.s1;
    keep->text.insert(keep->text.end(), d.s2.begin(), d.s2.end());
    keep->avg = std::move(avg);
    keep->encoder_mean = std::move(mean);
  }
  return row;
}

nlohmann::ordered_json Comparison::run_wic(nlohmann::ordered_json* thresholds) {
  const auto& splits = wic_;
  if (splits.empty()) throw common::OptionError("no WiC directory was given");
  // Cosines per split and method.
  const std::vector<std::string> methods = {"static", "static_window", "encoder"};
  std::vector<std::vector<std::vector<double>>> cos(splits.size(), std::vector<std::vector<double>>(methods.size()));
  std::vector<std::vector<bool>> gold(splits.size());
  for (std::size_t s = 0; s < splits.size(); ++s) {
    const auto& items = splits[s].items;
    spdlog::info("WiC {}: {} pairs", splits[s].name, items.size());
    Sentences lemma, c1, c2;
    std::vector<std::size_t> p1, p2;
    for (const auto& it : items) {
      lemma.push_back({it.lemma});
      c1.push_back(it.t1);
      c2.push_back(it.t2);
      p1.push_back(it.p1);
      p2.push_back(it.p2);
      gold[s].push_back(it.same);
    }
    // The lemma's own vector (zero if unknown), identical in both contexts; the mean of a one-word sentence.
    const common::Matrix st = sv_->average(lemma, nullptr);  // [S, dim]
    cos[s][0] = cosines(st, st);
    cos[s][1] = cosines(sv_->average(windows(c1, p1, opt_.wic_window), nullptr), sv_->average(windows(c2, p2, opt_.wic_window), nullptr));
    if (model_)
      cos[s][2] = cosines(enc::encode_tokens(*model_, ev_, c1, p1, opt_.batch), enc::encode_tokens(*model_, ev_, c2, p2, opt_.batch));
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::object(), th = nlohmann::ordered_json::object();
  for (std::size_t m = 0; m < methods.size(); ++m) {
    if (cos[0][m].empty()) continue;  // encoder without a model
    const WicThreshold t = choose_threshold(cos[0][m], gold[0]);  // splits[0] is train
    th[methods[m]] = {{"threshold", t.threshold}, {"train_accuracy", t.train_accuracy}};
    for (std::size_t s = 1; s < splits.size(); ++s) out[splits[s].name][methods[m]] = wic_accuracy(cos[s][m], gold[s], t.threshold);
  }
  if (!model_)
    for (std::size_t s = 1; s < splits.size(); ++s) out[splits[s].name]["encoder"] = nullptr;
  if (splits.size() == 1)
    spdlog::warn("{} has only a train split: nothing to report beyond the train accuracy", opt_.wic);
  if (thresholds) *thresholds = th;
  return out;
}

nlohmann::ordered_json Comparison::run_lee() {
  const LeeData& lee = lee_;
  if (lee.size() == 0) throw common::OptionError("no Lee directory was given");
  spdlog::info("Lee: {} documents", lee.size());
  const Sentences docs = normalise_all(norm_, lee.documents);
  auto score = [&](const common::Matrix& m) { return lee_pearson(lee, m.data(), m.cols(), m.ld()); };
  nlohmann::ordered_json row;
  row["avg"] = score(sv_->average(docs, nullptr));
  row["sif"] = has_counts() ? nlohmann::ordered_json(score(sv_->sif(docs, 1e-3, nullptr))) : nullptr;
  row["encoder_mean"] = nullptr;
  row["encoder_cls"] = nullptr;
  if (model_) {
    row["encoder_mean"] = score(enc::encode_documents(*model_, ev_, docs, enc::Pooling::kMean, opt_.batch));
    row["encoder_cls"] = score(encode_documents(*model_, ev_, docs, enc::Pooling::kCls, opt_.batch));
  }
  return row;
}

nlohmann::ordered_json Comparison::run_all(StsVectors* keep) {
  nlohmann::ordered_json out, thresholds;
  if (!opt_.sts.empty()) {
    out["sts"] = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < opt_.sts.size(); ++i)
      out["sts"][std::filesystem::path(opt_.sts[i]).filename().string()] = run_sts(i, i == 0 ? keep : nullptr);
  }
  if (!opt_.wic.empty()) out["wic"] = run_wic(&thresholds);
  if (!opt_.lee.empty()) out["lee"] = run_lee();
  if (!opt_.wic.empty()) out["wic_threshold"] = thresholds;  // {method: {threshold, train_accuracy}}
  return out;
}

}  // namespace cmp
