#include "encoder/comparison.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "common/normalize.h"
#include "encoder/compare.h"
#include "encoder/lee.h"
#include "encoder/pooling.h"
#include "encoder/wic.h"

namespace enc {

namespace {

using Sentences = std::vector<std::vector<std::string>>;

std::string base_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

Sentences normalise_all(const std::vector<std::string>& raw) {
  Sentences out;
  out.reserve(raw.size());
  for (const auto& s : raw) out.push_back(common::normalize_tokens(s));
  return out;
}

// Rows [from, from + n) of m as a new matrix.
common::Matrix rows(const common::Matrix& m, std::size_t from, std::size_t n) {
  common::Matrix out(n, m.cols());
  for (std::size_t r = 0; r < n; ++r) std::copy(m.row(from + r), m.row(from + r) + m.cols(), out.row(r));
  return out;
}

std::vector<double> cosines(const common::Matrix& a, const common::Matrix& b) {
  std::vector<double> cos(a.rows());
  for (std::size_t i = 0; i < a.rows(); ++i) {
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t j = 0; j < a.cols(); ++j) {
      const double x = a.row(i)[j], y = b.row(i)[j];
      ab += x * y, aa += x * x, bb += y * y;
    }
    cos[i] = aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
  }
  return cos;
}

}  // namespace

void CompareOptions::validate() const {
  if (vectors.empty()) throw common::OptionError("--vectors is required");
  if (sts.empty() && wic.empty() && lee.empty()) throw common::OptionError("nothing to compare: give --sts FILE, --wic DIR or --lee DIR");
  if (batch == 0) throw common::OptionError("--batch must be at least 1");
  if (threads < 1) throw common::OptionError("--threads must be at least 1");
}

Comparison::Comparison(const CompareOptions& opt) : opt_(opt) {
  opt_.validate();
  e_ = w2v::read_vectors(opt_.vectors);
  sv_ = std::make_unique<w2v::SentenceVectors>(e_);
  if (!opt_.vocab.empty()) sv_->set_counts(opt_.vocab);
  for (const auto& w : e_.words) index_.insert(w);
  if (!opt_.model.empty()) {
    model_ = std::make_unique<Encoder>(Encoder::load(opt_.model));
    model_->set_threads(opt_.threads);
    ev_ = vocab_for(*model_, opt_.vectors, opt_.model);
  }
}

nlohmann::ordered_json Comparison::run_sts(const std::string& path, StsVectors* keep) {
  const StsData d = read_sts(path);
  const std::size_t n = d.gold.size();
  spdlog::info("{}: {} sentence pairs", base_name(path), n);
  // Both sides stacked: rows [0, n) are sentence 1, [n, 2n) sentence 2.
  Sentences both = normalise_all(d.s1);
  for (auto& s : normalise_all(d.s2)) both.push_back(std::move(s));
  auto score = [&](const common::Matrix& m) {  // m[2n, d]
    return sts_spearman(d.gold, m.row(0), m.row(n), n, m.cols(), m.ld());
  };
  nlohmann::ordered_json row;
  const common::Matrix avg = sv_->average(both, nullptr);  // [2n, dim]
  row["avg"] = score(avg);
  // SIF removes the principal component of both sides together.
  row["sif"] = has_counts() ? nlohmann::ordered_json(score(sv_->sif(both, 1e-3, nullptr))) : nullptr;
  row["encoder_mean"] = nullptr;
  row["encoder_cls"] = nullptr;
  common::Matrix mean;
  if (model_) {
    mean = encode_sentences(*model_, ev_, both, Pooling::kMean, opt_.batch, nullptr);  // [2n, d]
    row["encoder_mean"] = score(mean);
    row["encoder_cls"] = score(encode_sentences(*model_, ev_, both, Pooling::kCls, opt_.batch, nullptr));
  }
  if (keep) {
    keep->file = base_name(path);
    keep->genre = d.genre;
    keep->genre.insert(keep->genre.end(), d.genre.begin(), d.genre.end());
    keep->text = d.s1;
    keep->text.insert(keep->text.end(), d.s2.begin(), d.s2.end());
    keep->avg = rows(avg, 0, avg.rows());
    if (model_) keep->encoder_mean = rows(mean, 0, mean.rows());
  }
  return row;
}

common::Matrix Comparison::static_rows(const std::vector<std::string>& words, const Sentences& ctx,
                                       const std::vector<std::size_t>& pos, std::size_t window) const {
  const std::size_t dim = e_.vectors.cols();
  common::Matrix out(words.empty() ? ctx.size() : words.size(), dim);  // [S, dim]
  for (std::size_t i = 0; i < out.rows(); ++i) {
    float* o = out.row(i);
    if (!words.empty()) {  // the word's own vector
      const auto id = index_.find(words[i]);
      if (id >= 0) std::copy(e_.vectors.row(static_cast<std::size_t>(id)), e_.vectors.row(static_cast<std::size_t>(id)) + dim, o);
      continue;
    }
    const auto& t = ctx[i];
    const std::size_t lo = pos[i] > window ? pos[i] - window : 0, hi = std::min(t.size(), pos[i] + window + 1);
    std::size_t known = 0;
    for (std::size_t k = lo; k < hi; ++k) {
      const auto id = index_.find(t[k]);
      if (id < 0) continue;
      ++known;
      const float* v = e_.vectors.row(static_cast<std::size_t>(id));
      for (std::size_t j = 0; j < dim; ++j) o[j] += v[j];
    }
    if (known)
      for (std::size_t j = 0; j < dim; ++j) o[j] /= static_cast<float>(known);
  }
  return out;
}

nlohmann::ordered_json Comparison::run_wic(const std::string& dir, nlohmann::ordered_json* thresholds) {
  const auto splits = read_wic(dir);
  // Cosines per split and method.
  const std::vector<std::string> methods = {"static", "static_window", "encoder"};
  std::vector<std::vector<std::vector<double>>> cos(splits.size(), std::vector<std::vector<double>>(methods.size()));
  std::vector<std::vector<bool>> gold(splits.size());
  for (std::size_t s = 0; s < splits.size(); ++s) {
    const auto& items = splits[s].items;
    spdlog::info("WiC {}: {} pairs", splits[s].name, items.size());
    std::vector<std::string> lemma;
    Sentences c1, c2;
    std::vector<std::size_t> p1, p2;
    for (const auto& it : items) {
      lemma.push_back(it.lemma);
      c1.push_back(it.t1);
      c2.push_back(it.t2);
      p1.push_back(it.p1);
      p2.push_back(it.p2);
      gold[s].push_back(it.same);
    }
    const common::Matrix st = static_rows(lemma, {}, {}, 0);  // [S, dim], identical in both contexts
    cos[s][0] = cosines(st, st);
    cos[s][1] = cosines(static_rows({}, c1, p1, opt_.window), static_rows({}, c2, p2, opt_.window));
    if (model_)
      cos[s][2] = cosines(encode_tokens(*model_, ev_, c1, p1, opt_.batch), encode_tokens(*model_, ev_, c2, p2, opt_.batch));
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
  if (splits.size() == 1) spdlog::warn("{} has only a train split: nothing to report beyond the train accuracy", dir);
  if (thresholds) *thresholds = th;
  return out;
}

nlohmann::ordered_json Comparison::run_lee(const std::string& dir) {
  const LeeData lee = read_lee(dir);
  spdlog::info("Lee: {} documents", lee.size());
  const Sentences docs = normalise_all(lee.documents);
  auto score = [&](const common::Matrix& m) { return lee_pearson(lee, m.data(), m.cols(), m.ld()); };
  nlohmann::ordered_json row;
  row["avg"] = score(sv_->average(docs, nullptr));
  row["sif"] = has_counts() ? nlohmann::ordered_json(score(sv_->sif(docs, 1e-3, nullptr))) : nullptr;
  row["encoder_mean"] = nullptr;
  row["encoder_cls"] = nullptr;
  if (model_) {
    row["encoder_mean"] = score(encode_documents(*model_, ev_, docs, Pooling::kMean, opt_.batch));
    row["encoder_cls"] = score(encode_documents(*model_, ev_, docs, Pooling::kCls, opt_.batch));
  }
  return row;
}

}  // namespace enc
