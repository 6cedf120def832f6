#include "compare/comparison.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "common/text_format.h"
#include "compare/context_window.h"
#include "encoder/model_vocab.h"
#include "encoder/pooling.h"
#include "compare/linear_map.h"
#include "compare/sentence_embedder.h"

namespace cmp {

const std::vector<std::pair<std::string, std::string>> kSentenceRows = {
    {"avg", "avg"},
    {"sif", "sif"},
    {"sif_weighted", "sif-weighted"},
    {"encoder_mean", "encoder-mean"},
    {"encoder_cls", "encoder-cls"},
    {"encoder_mean_no_cls", "encoder-mean-no-cls"},
    {"encoder_sif", "encoder-sif"},
    {"encoder_sif_weighted", "encoder-sif-weighted"}};

namespace {

nlohmann::ordered_json null_rows() {
  nlohmann::ordered_json row = nlohmann::ordered_json::object();
  for (const auto& r : kSentenceRows) row[r.first] = nullptr;
  return row;
}

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

}  // namespace

std::vector<std::size_t> Comparison::rows_without_known(const Sentences& sentences) const {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < sentences.size(); ++i)
    if (sv_->known_tokens(sentences[i]) == 0) rows.push_back(i);
  return rows;
}

std::size_t Comparison::report_zero(const std::vector<std::size_t>& rows, std::size_t total, const std::string& what,
                                    const std::function<std::string(std::size_t)>& where, const std::string& why) {
  if (rows.empty()) return 0;
  const std::string first = where(rows.front());
  if (opt_.strict)
    throw common::InputError(first + ": " + why + " " + opt_.vectors + " (" + std::to_string(rows.size()) + " of " +
                             std::to_string(total) + " in " + what + "; without --strict they get zero vectors, cosine 0)");
  spdlog::warn("{}: {} of {} without a word of the vectors (zero vectors, cosine 0), the first at {}", what, rows.size(), total,
               first);
  return rows.size();
}

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
  if (model.empty() && layer.kind != enc::LayerChoice::Kind::kFinal)
    throw common::OptionError("--layer chooses the encoder's hidden states: it goes with --model");
  if (!sts_train.empty() && sts.empty())
    throw common::OptionError("--sts-train needs --sts: the files the maps learned on it are scored on");
  if (supervised && wic.empty()) throw common::OptionError("--supervised trains the WiC classifier: it goes with --wic");
  if (batch == 0) throw common::OptionError("--batch must be at least 1");
  if (threads < 1) throw common::OptionError("--threads must be at least 1");
}

Comparison::Comparison(const CompareOptions& opt) : opt_(opt), norm_(opt.normalizer) {
  opt_.validate();
  for (const auto& f : opt_.sts) sts_.push_back(read_sts(f));
  if (!opt_.sts_train.empty()) {
    sts_train_ = read_sts(opt_.sts_train);
    if (sts_train_.gold.size() < kMinMapPairs)
      throw common::InputError(opt_.sts_train + ": " + std::to_string(sts_train_.gold.size()) + " sentence pairs; the linear maps need at least " +
                               std::to_string(kMinMapPairs) + " train pairs (a tenth is held out to choose their settings)");
  }
  // Normalised words serve the static rows and an encoder trained from vectors (which needs them).
  if (!opt_.wic.empty()) wic_ = read_wic(opt_.wic, opt_.normalizer, !opt_.vectors.empty());
  if (!opt_.lee.empty()) lee_ = read_lee(opt_.lee);
  for (const auto& f : opt_.wsi) {
    const WsiData d = read_wsi(f);
    if (d.empty_ranges > 0)
      spdlog::info("{}: {} empty ranges a-a in positions ignored", base_name(f), d.empty_ranges);
    wsi_.push_back(prepare_wsi(d, normalizer_tokenizer(norm_)));
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
      if (has_counts()) token_weights_ = enc::sif_token_weights(ev_, opt_.vocab, 1e-3);
    }
    enc::check_layer_choice(*model_, opt_.layer);
  } else if (!opt_.tokenizer.empty()) {
    throw common::OptionError("--tokenizer goes with --model (an encoder trained on BPE tokens)");
  }
  if (!sv_)
    spdlog::warn("no --vectors: the static rows (avg, sif, static, static_window) are skipped; the encoder reads {} BPE tokens",
                 ev_.size);
  for (const auto& d : sts_) {
    sts_both_.push_back(normalise_all(norm_, d.s1));
    for (auto& s : normalise_all(norm_, d.s2)) sts_both_.back().push_back(std::move(s));
  }
  lee_docs_ = normalise_all(norm_, lee_.documents);
  sts_train_both_ = normalise_all(norm_, sts_train_.s1);
  for (auto& s : normalise_all(norm_, sts_train_.s2)) sts_train_both_.push_back(std::move(s));
  if (opt_.strict) {  // fail before any work (an InputError naming the first)
    for (std::size_t i = 0; i < sts_.size(); ++i) zero_sts(i);
    for (std::size_t s = 0; s < wic_.size(); ++s) zero_wic(s);
    if (lee_.size()) zero_lee();
    zero_ = nlohmann::ordered_json::object();
  }
}

enc::BatchProgress Comparison::phase(const std::string& name) const {
  if (!progress_) return {};
  progress_({name, 0, 0, "sequences"});
  return [this, name](std::size_t done, std::size_t total) { progress_({name, done, total, "sequences"}); };
}

enc::TokenIds Comparison::encoder_ids(const std::vector<std::string>& raw, const Sentences& words) const {
  return ev_.is_bpe() ? enc::bpe_ids(ev_, raw) : enc::word_ids(ev_, words);
}

nlohmann::ordered_json Comparison::run_sts(std::size_t i, StsVectors* keep) {
  const StsData& d = sts_.at(i);
  const std::string& path = opt_.sts[i];
  const std::size_t n = d.gold.size();
  spdlog::info("{}: {} sentence pairs", base_name(path), n);
  const Sentences& both = sts_both_.at(i);  // rows [0, n) are sentence 1, [n, 2n) sentence 2
  zero_sts(i);
  std::vector<std::string> raw = d.s1;
  raw.insert(raw.end(), d.s2.begin(), d.s2.end());
  auto score = [&](const common::Matrix& m) {  // m[2n, d]
    return sts_spearman(d.gold, m.row(0), m.row(n), n, m.cols(), m.ld());
  };
  nlohmann::ordered_json row = null_rows(), sup = null_rows();
  common::Matrix avg, mean;  // [2n, dim], [2n, d]
  const std::string name = base_name(path);
  sentence_rows(name, both, raw, [&](const std::string& key, common::Matrix& x) {
    row[key] = score(x);
    if (const common::Matrix* w = map_of(key)) sup[key] = score(apply_map(*w, x));
    if (key == "avg") avg = std::move(x);
    if (key == "encoder_mean") mean = std::move(x);
  });
  if (!maps_.empty()) sts_sup_[name] = sup;
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

void Comparison::sentence_rows(const std::string& what, const Sentences& both, const std::vector<std::string>& raw,
                               const RowFn& each) {
  if (sv_) {
    phase(what + ": avg");
    common::Matrix x = sv_->average(both, nullptr);  // [S, dim]
    each("avg", x);
    if (has_counts()) {  // SIF removes the principal component of all the sentences (STS: both sides together)
      phase(what + ": sif");
      x = sv_->sif(both, 1e-3, nullptr);
      each("sif", x);
      phase(what + ": sif-weighted");
      x = sv_->sif_weighted(both, 1e-3, nullptr);
      each("sif_weighted", x);
    }
  }
  if (model_) {
    const enc::TokenIds ids = encoder_ids(raw, both);
    encoder_rows(
        what,
        [&](const enc::PoolSpec& spec, const enc::BatchProgress& p) {
          return enc::pool_sentences(*model_, ev_, ids, spec, opt_.batch, nullptr, p);
        },
        each);
  }
}

nlohmann::ordered_json Comparison::run_wic(nlohmann::ordered_json* thresholds) {
  const auto& splits = wic_;
  if (splits.empty()) throw common::OptionError("no WiC directory was given");
  // Cosines per split and method.
  const std::vector<std::string> methods = {"static", "static_window", "encoder"};
  std::vector<std::vector<std::vector<double>>> cos(splits.size(), std::vector<std::vector<double>>(methods.size()));
  std::vector<std::vector<bool>> gold(splits.size());
  wic_pairs_.clear();
  wic_pairs_.resize(opt_.wic_supervised() ? splits.size() : 0);
  for (std::size_t s = 0; s < splits.size(); ++s) {
    const auto& items = splits[s].items;
    spdlog::info("WiC {}: {}", splits[s].name, common::plural(items.size(), "pair", "pairs"));
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
      phase("WiC " + splits[s].name + ": static");
      // The lemma's own vector (zero if unknown), identical in both contexts; the mean of a one-word sentence.
      const common::Matrix st = sv_->average(lemma, nullptr);  // [S, dim]
      zero_wic(s);
      cos[s][0] = cosines(st, st);
      WicPairs w{sv_->average(context_windows(c1, p1, opt_.wic_window), nullptr),
                 sv_->average(context_windows(c2, p2, opt_.wic_window), nullptr)};  // [S, dim] each
      cos[s][1] = cosines(w.u, w.v);
      if (opt_.wic_supervised()) wic_pairs_.at(s)[0] = std::move(w);
    }
    if (model_) {
      const std::string what = "WiC " + splits[s].name;
      WicPairs e = ev_.is_bpe() ? wic_encoder_bpe(items, what)
                                : WicPairs{enc::encode_tokens(*model_, ev_, c1, p1, opt_.batch, phase(what + ": encoder, sentence 1"), opt_.layer),
                                           enc::encode_tokens(*model_, ev_, c2, p2, opt_.batch, phase(what + ": encoder, sentence 2"), opt_.layer)};
      cos[s][2] = cosines(e.u, e.v);  // [S, d] each
      if (opt_.wic_supervised()) wic_pairs_.at(s)[1] = std::move(e);
    }
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

void Comparison::zero_sts(std::size_t i) {
  if (!sv_) return;  // no static rows
  const StsData& d = sts_.at(i);
  const std::string& path = opt_.sts[i];
  const std::size_t n = d.gold.size();
  zero_["sts"][base_name(path)] =
      report_zero(rows_without_known(sts_both_.at(i)), 2 * n, base_name(path) + " sentences",
                  [&](std::size_t r) { return path + ":" + std::to_string(d.line[r % n]) + " (sentence " + (r < n ? "1" : "2") + ")"; },
                  "no word of the sentence is in");
}

void Comparison::zero_lee() {
  if (!sv_) return;
  zero_["lee"] = report_zero(
      rows_without_known(lee_docs_), lee_docs_.size(), "Lee documents",
      [&](std::size_t r) { return (std::filesystem::path(opt_.lee) / "lee.cor").string() + ":" + std::to_string(lee_.lines[r]); },
      "no word of the document is in");
}

void Comparison::zero_wic(std::size_t s) {
  if (!sv_) return;
  const WicSplit& split = wic_.at(s);
  Sentences lemma, w1, w2;
  for (const auto& it : split.items) {
    lemma.push_back({it.lemma});
    w1.push_back(context_windows({it.t1}, {it.p1}, opt_.wic_window)[0]);
    w2.push_back(context_windows({it.t2}, {it.p2}, opt_.wic_window)[0]);
  }
  const std::string file = (std::filesystem::path(opt_.wic) / (split.name + ".data.txt")).string();
  auto where = [&](std::size_t r) { return file + ":" + std::to_string(split.items[r].line); };
  std::vector<std::size_t> windows;
  for (std::size_t i = 0; i < w1.size(); ++i)
    if (sv_->known_tokens(w1[i]) == 0 || sv_->known_tokens(w2[i]) == 0) windows.push_back(i);
  const std::string what = "WiC " + split.name + " items";
  auto& z = zero_["wic"][split.name];
  z["static"] = report_zero(rows_without_known(lemma), lemma.size(), what, where, "the target word is not in");
  z["static_window"] = report_zero(windows, w1.size(), what, where,
                                   "no word within --wic-window " + std::to_string(opt_.wic_window) + " of the target is in");
}

nlohmann::ordered_json Comparison::run_lee() {
  const LeeData& lee = lee_;
  if (lee.size() == 0) throw common::OptionError("no Lee directory was given");
  spdlog::info("Lee: {}", common::plural(lee.size(), "document", "documents"));
  const Sentences& docs = lee_docs_;
  zero_lee();
  auto score = [&](const common::Matrix& m) { return lee_pearson(lee, m.data(), m.cols(), m.ld()); };
  nlohmann::ordered_json row = null_rows();
  const RowFn each = [&](const std::string& key, common::Matrix& x) { row[key] = score(x); };
  if (sv_) {
    phase("Lee: avg");
    common::Matrix x = sv_->average(docs, nullptr);  // [documents, dim]
    each("avg", x);
    if (has_counts()) {
      phase("Lee: sif");
      x = sv_->sif(docs, 1e-3, nullptr);
      each("sif", x);
      phase("Lee: sif-weighted");
      x = sv_->sif_weighted(docs, 1e-3, nullptr);
      each("sif_weighted", x);
    }
  }
  if (model_) {
    const enc::TokenIds ids = encoder_ids(lee.documents, docs);
    encoder_rows(
        "Lee",
        [&](const enc::PoolSpec& spec, const enc::BatchProgress& p) {
          return enc::pool_documents(*model_, ev_, ids, spec, opt_.batch, p);
        },
        each);
  }
  return row;
}

void Comparison::encoder_rows(const std::string& what, const PoolFn& pool, const RowFn& each) {
  for (const auto& [key, name] : kSentenceRows) {
    const SentenceMethod m = parse_sentence_method(name, "method");
    if (!uses_encoder(m) || (uses_counts(m) && token_weights_.empty())) continue;  // static, or no counts: null
    common::Matrix x = pool(enc::PoolSpec(encoder_pooling(m), opt_.layer, &token_weights_), phase(what + ": " + name));
    // encoder-sif removes the first component of all the block's vectors (STS: both sides together), as sif does.
    if (removes_component(m)) w2v::remove_first_component(x);
    each(key, x);
  }
}

WicPairs Comparison::wic_encoder_bpe(const std::vector<WicItem>& items, const std::string& what) {
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
  return {enc::pool_ranges(*model_, ev_, ids[0], ranges[0], opt_.batch, phase(what + ": encoder, sentence 1"), opt_.layer),
          enc::pool_ranges(*model_, ev_, ids[1], ranges[1], opt_.batch, phase(what + ": encoder, sentence 2"), opt_.layer)};
}

nlohmann::ordered_json Comparison::run_wsi(std::size_t i) {
  phase("WSI " + wsi_.at(i).name);
  return score_wsi(wsi_.at(i), *sv_, model_.get(), ev_, opt_.wsi_window, opt_.batch);
}

nlohmann::ordered_json Comparison::run_all(StsVectors* keep) {
  nlohmann::ordered_json out, thresholds;
  if (!opt_.sts_train.empty()) learn_sts_maps();  // the maps the STS files are scored with too
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
  // STS, WiC and Lee sentences (WSI counts its own unknown targets).
  if (!opt_.sts.empty() || !opt_.wic.empty() || !opt_.lee.empty()) out["zero_vectors"] = zero_;
  if (model_ && model_->extra_metadata().count("finetuned")) out["encoder_finetuned"] = model_->extra_metadata().at("finetuned");
  if (!maps_.empty()) out["sts_supervised"] = sts_sup_;
  if (opt_.wic_supervised()) out["wic_supervised"] = run_wic_supervised();
  if (!supervision_.empty()) out["supervision"] = supervision_;
  return out;
}

}  // namespace cmp
