#include "compare/sts_finetune.h"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/errors.h"
#include "common/file_identity.h"
#include "common/text_format.h"
#include "compare/sts.h"
#include "encoder/model_vocab.h"
#include "encoder/pooling.h"
#include "tokenizer/normalizer.h"

namespace cmp {

namespace {

// The encoder's ids of STS sentences as compare makes them: raw text as BPE
// pieces, or the normalised words looked up in the vectors' vocabulary.
enc::TokenIds sentence_ids(const enc::EncoderVocab& vocab, tok::Normalizer& norm, const std::vector<std::string>& raw) {
  if (vocab.is_bpe()) return enc::bpe_ids(vocab, raw);
  std::vector<std::vector<std::string>> words;
  words.reserve(raw.size());
  for (const auto& s : raw) words.push_back(norm.tokens(s));
  return enc::word_ids(vocab, words);
}

enc::ScoredPairs scored_pairs(const StsData& d, const enc::EncoderVocab& vocab, tok::Normalizer& norm) {
  enc::ScoredPairs p;
  p.a = sentence_ids(vocab, norm, d.s1);
  p.b = sentence_ids(vocab, norm, d.s2);
  for (double g : d.gold) p.gold.push_back(static_cast<float>(g));
  return p;
}

// compare's STS row for the pooling: Spearman ×100 of the pairs' cosines.
double dev_spearman(enc::Encoder& model, const enc::EncoderVocab& vocab, const enc::ScoredPairs& dev,
                    const std::vector<double>& gold, const enc::PoolSpec& spec) {
  enc::TokenIds both = dev.a;  // rows [0, n) sentence 1, [n, 2n) sentence 2
  both.insert(both.end(), dev.b.begin(), dev.b.end());
  const common::Matrix m = enc::pool_sentences(model, vocab, both, spec, 64, nullptr);  // [2n, d]
  const std::size_t n = dev.size();
  return sts_spearman(gold, m.row(0), m.row(n), n, m.cols(), m.ld());
}

void count_inputs(const enc::ScoredPairs& p, const enc::EncoderVocab& vocab, std::size_t most, FinetuneResult& r) {
  for (const auto* side : {&p.a, &p.b})
    for (const auto& s : *side) {
      r.empty += !enc::has_known(s, vocab.unk);
      r.truncated += s.size() > most;
    }
}

}  // namespace

FinetuneResult finetune_sts(const FinetuneOptions& opt, const common::TrainHooks<enc::TuneProgress>& hooks) {
  opt.validate();
  const auto t0 = std::chrono::steady_clock::now();
  common::check_outputs_distinct({{"--output", opt.output}}, {{"--init", opt.init}, {"--train", opt.train}, {"--dev", opt.dev},
                                                               {"--vectors", opt.vectors}, {"--vocab", opt.vocab}});
  { common::AtomicFile probe(opt.output); }  // an unwritable output fails before any work
  const StsData train = read_sts(opt.train);
  const StsData dev = opt.dev.empty() ? StsData{} : read_sts(opt.dev);
  FinetuneResult r;
  r.train_fingerprint = common::content_fingerprint(opt.train);
  enc::Encoder model = enc::Encoder::load(opt.init);
  model.set_threads(opt.threads);
  const enc::EncoderVocab vocab = enc::query_vocab(model, opt.init, opt.vectors, opt.tokenizer);
  std::vector<float> weights;  // sif-weighted: by token id
  if (opt.tune.pool.pooling == enc::Pooling::kWeighted) weights = enc::sif_token_weights(vocab, opt.vocab, 1e-3);
  enc::TuneSettings s = opt.tune;
  s.pool = enc::PoolSpec(opt.tune.pool.pooling, enc::LayerChoice::final_states(), &weights);
  tok::Normalizer norm(opt.normalizer);
  const enc::ScoredPairs pairs = scored_pairs(train, vocab, norm);
  const enc::ScoredPairs dev_pairs = scored_pairs(dev, vocab, norm);
  r.train_pairs = pairs.size(), r.dev_pairs = dev_pairs.size();
  count_inputs(pairs, vocab, std::max<std::size_t>(1, model.config().max_len - 1), r);
  if (r.empty)
    spdlog::warn("{}: {} of {} sentences without a word the encoder knows (zero vectors, no gradient)", opt.train, r.empty,
                 2 * r.train_pairs);
  enc::TuneEval eval;
  if (!opt.dev.empty())
    eval = [&](enc::Encoder& m) { return dev_spearman(m, vocab, dev_pairs, dev.gold, s.pool); };
  r.tune = enc::tune_cosent(model, vocab, pairs, s, eval, hooks);
  if (!r.tune.interrupted) {
    record_finetune(model, opt, r, "sts-cosent", opt.train, std::string(to_string(measured_by(opt.tune.pool.pooling))));
    model.save(opt.output);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace cmp
