#include "compare/wic_finetune.h"

#include <chrono>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/errors.h"
#include "common/file_identity.h"
#include "compare/sts.h"
#include "compare/wic.h"
#include "encoder/logistic_pair_head.h"
#include "encoder/model_vocab.h"
#include "encoder/pooling.h"

namespace cmp {

namespace {

// The split named `name` of the WiC directory, read with its gold labels.
WicSplit wic_split(const std::string& dir, const std::string& name, const tok::NormalizerOptions& norm) {
  for (auto& s : read_wic(dir, norm, true))
    if (s.name == name) return std::move(s);
  throw common::InputError(dir + ": no " + name + " split (" + (std::filesystem::path(dir) / (name + ".data.txt")).string() + ")");
}

enc::ScoredPairs target_pairs(const WicSplit& s, const enc::EncoderVocab& vocab) {
  enc::ScoredPairs p;
  for (const WicItem& it : s.items) {
    p.a.push_back(enc::to_ids(vocab, it.t1)), p.b.push_back(enc::to_ids(vocab, it.t2));
    p.a.back().erase(p.a.back().begin()), p.b.back().erase(p.b.back().begin());  // [CLS]
    p.ra.push_back({it.p1, it.p1 + 1}), p.rb.push_back({it.p2, it.p2 + 1});
    p.gold.push_back(it.same ? 1.f : 0.f);
  }
  return p;
}

// The target's state in each side's sentence (as compare's WiC row reads it): u, v [n, d].
std::pair<common::Matrix, common::Matrix> target_states(enc::Encoder& model, const enc::EncoderVocab& vocab,
                                                        const enc::ScoredPairs& p) {
  return {enc::pool_ranges(model, vocab, p.a, p.ra, 64), enc::pool_ranges(model, vocab, p.b, p.rb, 64)};
}

std::vector<bool> labels(const enc::ScoredPairs& p) {
  std::vector<bool> y;
  for (float g : p.gold) y.push_back(g > 0.5f);
  return y;
}

// compare's WiC encoder row on dev (threshold chosen on train); the head's dev accuracy into *head.
double dev_accuracy(enc::Encoder& model, const enc::EncoderVocab& vocab, const enc::ScoredPairs& train,
                    const enc::ScoredPairs& dev, const enc::LogisticPairHead& h, std::vector<double>* head) {
  const auto [tu, tv] = target_states(model, vocab, train);
  const auto [du, dv] = target_states(model, vocab, dev);
  const WicThreshold t = choose_threshold(row_cosines(tu.data(), tv.data(), tu.rows(), tu.cols(), tu.ld()), labels(train));
  const std::vector<bool> y = labels(dev);
  std::size_t right = 0;
  for (std::size_t i = 0; i < dev.size(); ++i) right += (h.probability(du.row(i), dv.row(i)) >= 0.5) == y[i];
  head->push_back(100.0 * static_cast<double>(right) / static_cast<double>(dev.size()));
  return wic_accuracy(row_cosines(du.data(), dv.data(), du.rows(), du.cols(), du.ld()), y, t.threshold);
}

}  // namespace

FinetuneResult finetune_wic(const FinetuneOptions& opt, const common::TrainHooks<enc::TuneProgress>& hooks) {
  opt.validate();
  const auto t0 = std::chrono::steady_clock::now();
  common::check_outputs_distinct({{"--output", opt.output}}, {{"--init", opt.init}, {"--vectors", opt.vectors}});
  { common::AtomicFile probe(opt.output); }  // an unwritable output fails before any work
  const WicSplit train = wic_split(opt.train, "train", opt.normalizer);
  const WicSplit dev = opt.dev.empty() ? WicSplit{} : wic_split(opt.dev, "dev", opt.normalizer);
  FinetuneResult r;
  const std::string train_file = (std::filesystem::path(opt.train) / "train.data.txt").string();
  r.train_fingerprint = common::content_fingerprint(train_file);
  enc::Encoder model = enc::Encoder::load(opt.init);
  model.set_threads(opt.threads);
  if (enc::trained_on_bpe(model))
    throw common::OptionError("--task wic: " + opt.init + " reads BPE pieces; fine-tuning on WiC needs an encoder trained from "
                              "Word2Vec vectors (encoder train --vectors)");
  const enc::EncoderVocab vocab = enc::query_vocab(model, opt.init, opt.vectors, opt.tokenizer);
  const enc::ScoredPairs pairs = target_pairs(train, vocab), dev_pairs = target_pairs(dev, vocab);
  r.train_pairs = pairs.size(), r.dev_pairs = dev_pairs.size();
  const std::size_t most = std::max<std::size_t>(1, model.config().max_len - 1);
  for (const auto* side : {&pairs.a, &pairs.b})
    for (const auto& s : *side) r.truncated += s.size() > most;
  enc::LogisticPairHead head(model.config().d_model, opt.head_lr);
  enc::TuneEval eval;
  if (!opt.dev.empty())
    eval = [&](enc::Encoder& m) { return dev_accuracy(m, vocab, pairs, dev_pairs, head, &r.head_scores); };
  r.tune = enc::tune_pairs(model, vocab, pairs, opt.tune, head, eval, hooks);
  if (!r.head_scores.empty()) r.head_scores.erase(r.head_scores.begin());  // before tuning: the untrained head
  if (!r.tune.interrupted) {
    record_finetune(model, opt, r, "wic-logistic", train_file, "target");
    model.save(opt.output);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace cmp
