#include "compare/comparison.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "compare/context_window.h"
#include "tokenizer/normalize.h"
#include "encoder/model_vocab.h"

namespace cmp {

namespace {

using Sentences = std::vector<std::vector<std::string>>;

std::string base_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

Sentences normalise_all(const std::vector<std::string>& raw) {
  Sentences out;
  out.reserve(raw.size());
  for (const auto& s : raw) out.push_back(tok::normalize_tokens(s));
  return out;
}

std::vector<double> cosines(const common::Matrix& a, const common::Matrix& b) {
  return row_cosines(a.data(), b.data(), a.rows(), a.cols(), a.ld());
}

}  // namespace

void CompareOptions::validate() const {
  if (vectors.empty() && model.empty())
    throw common::OptionError("give --vectors (Word2Vec vectors), --model (an encoder), or both");
  if (vectors.empty() && !vocab.empty()) throw common::OptionError("--vocab (word counts for sif) goes with --vectors");
  if (sts.empty() && wic.empty() && lee.empty() && wsi.empty())
    throw common::OptionError("nothing to compare: give --sts FILE, --wic DIR, --lee DIR or --wsi FILE");
  if (!wsi.empty() && vectors.empty())
    throw common::OptionError("--wsi needs --vectors (its static rows and the target words' vocabulary)");
  for (std::size_t i = 0; i < wsi.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (base_name(wsi[i]) == base_name(wsi[j]))
        throw common::OptionError("--wsi files '" + wsi[j] + "' and '" + wsi[i] + "' have the same name (" + base_name(wsi[i]) +
                                  "), which keys their results: rename one");
  if (batch == 0) throw common::OptionError("--batch must be at least 1");
  if (threads < 1) throw common::OptionError("--threads must be at least 1");
}

Comparison::Comparison(const CompareOptions& opt, TextTokenizer tokenize) : opt_(opt) {
  opt_.validate();
  if (!opt_.wsi.empty() && !tokenize) throw common::OptionError("word sense induction needs a tokenizer");
  for (const auto& f : opt_.sts) sts_.push_back(read_sts(f));
  // Normalised words serve the static rows and an encoder trained from vectors (which needs them).
  if (!opt_.wic.empty()) wic_ = read_wic(opt_.wic, !opt_.vectors.empty());
  if (!opt_.lee.empty()) lee_ = read_lee(opt_.lee);
  for (const auto& f : opt_.wsi) {
    const WsiData d = read_wsi(f);
    if (d.empty_ranges > 0)
      spdlog::info("{}: {} empty ranges a-a in positions ignored", base_name(f), d.empty_ranges);
    wsi_.push_back(prepare_wsi(d, tokenize));
  }
  if (!opt_.vectors.empty()) {
    e_ = w2v::read_vectors(opt_.vectors);
    sv_ = std::make_unique<w2v::SentenceVectors>(e_);
    if (!opt_.vocab.empty()) sv_->set_counts(opt_.vocab);
  }
  if (!opt_.model.empty()) {
    model_ = std::make_unique<enc::Encoder>(enc::Encoder::load(opt_.model));
    model_->set_threads(opt_.threads);
    if (enc::trained_on_bpe(*model_)) {
      // Its own vocabulary; the vectors, if any, only give the static rows.
      ev_ = enc::bpe_vocab_for(*model_, opt_.model, opt_.tokenizer);
      if (!opt_.wsi.empty())
        throw common::OptionError("--wsi: " + opt_.model + " reads BPE pieces; WSI's encoder row needs an encoder trained "
                                  "from the --vectors (encoder train --vectors)");
    } else {
      if (!opt_.tokenizer.empty())
        throw common::OptionError("--tokenizer: " + opt_.model + " was trained from Word2Vec vectors, not BPE tokens");
      if (!sv_)
        throw common::OptionError("--vectors is required: " + opt_.model + " was trained from Word2Vec vectors (its vocabulary)");
      ev_ = enc::vocab_for(*model_, e_, opt_.vectors, opt_.model);
    }
  } else if (!opt_.tokenizer.empty()) {
    throw common::OptionError("--tokenizer goes with --model (an encoder trained on BPE tokens)");
  }
  if (!sv_)
    spdlog::warn("no --vectors: the static rows (avg, sif, static, static_window) are skipped; the encoder reads {} BPE tokens",
                 ev_.size);
}

enc::TokenIds Comparison::encoder_ids(const std::vector<std::string>& raw, const Sentences& words) const {
  return ev_.is_bpe() ? enc::bpe_ids(ev_, raw) : enc::word_ids(ev_, words);
}

nlohmann::ordered_json Comparison::run_sts(std::size_t i, StsVectors* keep) {
  const StsData& d = sts_.at(i);
  const std::string& path = opt_.sts[i];
  const std::size_t n = d.gold.size();
  spdlog::info("{}: {} sentence pairs", base_name(path), n);
  // Both sides stacked: rows [0, n) are sentence 1, [n, 2n) sentence 2.
  Sentences both = normalise_all(d.s1);
  for (auto& s : normalise_all(d.s2)) both.push_back(std::move(s));
  std::vector<std::string> raw = d.s1;
  raw.insert(raw.end(), d.s2.begin(), d.s2.end());
  auto score = [&](const common::Matrix& m) {  // m[2n, d]
    return sts_spearman(d.gold, m.row(0), m.row(n), n, m.cols(), m.ld());
  };
  nlohmann::ordered_json row = {{"avg", nullptr}, {"sif", nullptr}, {"encoder_mean", nullptr}, {"encoder_cls", nullptr}};
  common::Matrix avg, mean;  // [2n, dim], [2n, d]
  if (sv_) {
    avg = sv_->average(both, nullptr);
    row["avg"] = score(avg);
    // SIF removes the principal component of both sides together.
    if (has_counts()) row["sif"] = score(sv_->sif(both, 1e-3, nullptr));
  }
  if (model_) {
    const enc::TokenIds ids = encoder_ids(raw, both);
    mean = enc::pool_sentences(*model_, ev_, ids, enc::Pooling::kMean, opt_.batch, nullptr);
    row["encoder_mean"] = score(mean);
    row["encoder_cls"] = score(enc::pool_sentences(*model_, ev_, ids, enc::Pooling::kCls, opt_.batch, nullptr));
  }
  if (keep) {
    keep->file = base_name(path);
    keep->genre = d.genre;
    keep->genre.insert(keep->genre.end(), d.genre.begin(), d.genre.end());
    keep->text = std::move(raw);
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
    if (sv_) {
      // The lemma's own vector (zero if unknown), identical in both contexts; the mean of a one-word sentence.
      const common::Matrix st = sv_->average(lemma, nullptr);  // [S, dim]
      cos[s][0] = cosines(st, st);
      cos[s][1] = cosines(sv_->average(context_windows(c1, p1, opt_.wic_window), nullptr),
                          sv_->average(context_windows(c2, p2, opt_.wic_window), nullptr));
    }
    if (model_)
      cos[s][2] = ev_.is_bpe() ? wic_encoder_cosines(items)
                               : cosines(enc::encode_tokens(*model_, ev_, c1, p1, opt_.batch),
                                         enc::encode_tokens(*model_, ev_, c2, p2, opt_.batch));
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::object(), th = nlohmann::ordered_json::object();
  for (std::size_t m = 0; m < methods.size(); ++m) {
    if (cos[0][m].empty()) {  // static rows without vectors, encoder without a model
      for (std::size_t s = 1; s < splits.size(); ++s) out[splits[s].name][methods[m]] = nullptr;
      continue;
    }
    const WicThreshold t = choose_threshold(cos[0][m], gold[0]);  // splits[0] is train
    th[methods[m]] = {{"threshold", t.threshold}, {"train_accuracy", t.train_accuracy}};
    for (std::size_t s = 1; s < splits.size(); ++s) out[splits[s].name][methods[m]] = wic_accuracy(cos[s][m], gold[s], t.threshold);
  }
  if (splits.size() == 1)
    spdlog::warn("{} has only a train split: nothing to report beyond the train accuracy", opt_.wic);
  if (thresholds) *thresholds = th;
  return out;
}

nlohmann::ordered_json Comparison::run_lee() {
  const LeeData& lee = lee_;
  if (lee.size() == 0) throw common::OptionError("no Lee directory was given");
  spdlog::info("Lee: {} documents", lee.size());
  const Sentences docs = normalise_all(lee.documents);
  auto score = [&](const common::Matrix& m) { return lee_pearson(lee, m.data(), m.cols(), m.ld()); };
  nlohmann::ordered_json row = {{"avg", nullptr}, {"sif", nullptr}, {"encoder_mean", nullptr}, {"encoder_cls", nullptr}};
  if (sv_) {
    row["avg"] = score(sv_->average(docs, nullptr));
    if (has_counts()) row["sif"] = score(sv_->sif(docs, 1e-3, nullptr));
  }
  if (model_) {
    const enc::TokenIds ids = encoder_ids(lee.documents, docs);
    row["encoder_mean"] = score(enc::pool_documents(*model_, ev_, ids, enc::Pooling::kMean, opt_.batch));
    row["encoder_cls"] = score(enc::pool_documents(*model_, ev_, ids, enc::Pooling::kCls, opt_.batch));
  }
  return row;
}

std::vector<double> Comparison::wic_encoder_cosines(const std::vector<WicItem>& items) {
  // The target is the i-th space-separated token of the sentence as written;
  // its contextual vector is the mean over the BPE pieces that overlap it.
  enc::TokenIds ids[2];
  std::vector<tok::TokenRange> ranges[2];
  for (const auto& it : items) {
    const std::pair<const std::string*, std::size_t> side[2] = {{&it.s1, it.i1}, {&it.s2, it.i2}};
    for (int k = 0; k < 2; ++k) {
      tok::BpeSentence b = tok::encode_sentence(*ev_.bpe, *side[k].first);
      const tok::TokenRange r = tok::tokens_overlapping(b, tok::whitespace_word(b.text, side[k].second));
      if (r.empty())
        throw common::InputError("WiC: token " + std::to_string(side[k].second) + " of '" + *side[k].first +
                                 "' has no BPE piece");
      ids[k].push_back(std::move(b.ids));
      ranges[k].push_back(r);
    }
  }
  return cosines(enc::pool_ranges(*model_, ev_, ids[0], ranges[0], opt_.batch),
                 enc::pool_ranges(*model_, ev_, ids[1], ranges[1], opt_.batch));
}

nlohmann::ordered_json Comparison::run_wsi(std::size_t i) {
  return score_wsi(wsi_.at(i), *sv_, model_.get(), ev_, opt_.wsi_window, opt_.batch);
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
  if (!wsi_.empty()) {
    out["wsi"] = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < wsi_.size(); ++i) out["wsi"][wsi_[i].name] = run_wsi(i);
  }
  if (!opt_.wic.empty()) out["wic_threshold"] = thresholds;  // {method: {threshold, train_accuracy}}
  return out;
}

}  // namespace cmp
