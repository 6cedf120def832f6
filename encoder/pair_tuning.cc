#include "encoder/pair_tuning.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>

#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "encoder/lr_schedule.h"
#include "encoder/mlm.h"
#include "encoder/ops.h"

namespace enc {

void TuneSettings::validate() const {
  using common::OptionError;
  if (epochs < 1 || epochs > 100000) throw OptionError("--epochs must be in [1, 100000]");
  if (batch < 2 || batch > 100000) throw OptionError("--batch must be in [2, 100000] (CoSENT ranks the pairs of a batch)");
  if (!(lr > 0) || !std::isfinite(lr)) throw OptionError("--lr must be a positive number");
  if (!(warmup >= 0 && warmup < 1)) throw OptionError("--warmup is a fraction of the steps: it must be in [0, 1)");
  if (!(weight_decay >= 0 && weight_decay <= 1)) throw OptionError("--weight-decay must be in [0, 1]");
  if (!(clip >= 0) || !std::isfinite(clip)) throw OptionError("--clip must be at least 0 (0 = off)");
  if (!(dropout >= 0 && dropout < 1)) throw OptionError("--dropout must be in [0, 1)");
  if (!(scale > 0) || !std::isfinite(scale)) throw OptionError("the CoSENT scale must be positive");
  if (pool.layer.kind != LayerChoice::Kind::kFinal)
    throw OptionError("fine-tuning pools the final hidden states (a --layer choice cannot be trained through)");
}

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The 2B sequences of one step: rows [0, B) are the pairs' first sentences,
// [B, 2B) their second ones, each [CLS] + at most max_len - 1 ids, padded.
struct PairBatch {
  std::vector<std::vector<std::int32_t>> seqs;  // [2B], [CLS] first
  std::vector<tok::TokenRange> at;              // [2B]: the range pooled, in seqs' positions; empty: the sentence pooling
  std::vector<std::int32_t> ids;                // [2B·T]
  std::vector<std::int32_t> lengths;            // [2B]
  std::vector<bool> known;                      // [2B]: pooled (else a zero vector: no token other than [UNK])
  std::vector<float> gold;                      // [B]
  std::size_t rows = 0, seq = 0;                // 2B, T
};

// [CLS] + s cut to `most` ids — around the range (as pool_ranges crops) when
// there is one — and the range in the sequence's positions.
void add_row(PairBatch& b, std::int32_t cls, std::int32_t unk, const std::vector<std::int32_t>& s, const tok::TokenRange* r,
             std::size_t most) {
  std::size_t from = 0;
  if (r && s.size() > most) {
    const std::size_t mid = r->first + (r->last - r->first) / 2;
    from = std::min(mid > most / 2 ? mid - most / 2 : 0, s.size() - most);
  }
  const std::size_t n = std::min(most, s.size() - from);
  std::vector<std::int32_t> seq{cls};
  seq.insert(seq.end(), s.begin() + static_cast<std::ptrdiff_t>(from), s.begin() + static_cast<std::ptrdiff_t>(from + n));
  b.at.push_back(r ? tok::TokenRange{std::max(r->first, from) - from + 1, std::min(r->last, from + n) - from + 1}
                   : tok::TokenRange{});
  b.known.push_back(r ? true : has_known(s, unk));
  b.seq = std::max(b.seq, seq.size());
  b.seqs.push_back(std::move(seq));
}

PairBatch make_pair_batch(const EncoderVocab& vocab, const ScoredPairs& p, const std::size_t* pick, std::size_t bn,
                          std::size_t most) {
  PairBatch b;
  b.rows = 2 * bn;
  const bool ranged = !p.ra.empty();
  for (std::size_t side = 0; side < 2; ++side)
    for (std::size_t i = 0; i < bn; ++i) {
      const std::size_t k = pick[i];
      add_row(b, vocab.cls, vocab.unk, side == 0 ? p.a[k] : p.b[k], ranged ? (side == 0 ? &p.ra[k] : &p.rb[k]) : nullptr, most);
    }
  for (std::size_t i = 0; i < bn; ++i) b.gold.push_back(p.gold[pick[i]]);
  b.ids.assign(b.rows * b.seq, vocab.pad);
  for (std::size_t r = 0; r < b.rows; ++r) {
    std::copy(b.seqs[r].begin(), b.seqs[r].end(), b.ids.begin() + static_cast<std::ptrdiff_t>(r * b.seq));
    b.lengths.push_back(static_cast<std::int32_t>(b.seqs[r].size()));
  }
  return b;
}

// One step's forward, loss and backward into the model's gradients.
class PairStep {
 public:
  PairStep(const EncoderVocab& vocab, const TuneSettings& s, PairLoss& loss) : vocab_(vocab), s_(s), loss_(loss) {}
  // Returns the batch's loss; the model's gradients hold its gradient.
  double run(Encoder& model, const PairBatch& b, std::uint64_t seed) {
    const std::size_t d = model.config().d_model, bn = b.rows / 2, t = b.seq;
    const float* h = model.forward_train(b.ids.data(), b.lengths.data(), b.rows, t, s_.dropout, s_.dropout, seed);  // [2B·T, d]
    z_.ensure(b.rows * d);   // [2B, d]: the pooled vectors
    dz_.ensure(b.rows * d);  // [2B, d]
    std::fill(z_.data(), z_.data() + b.rows * d, 0.f);
    for (std::size_t r = 0; r < b.rows; ++r) pool(h + r * t * d, b, r, d, z_.data() + r * d);
    const double loss = loss_.loss(z_.data(), z_.data() + bn * d, b.gold.data(), bn, d, dz_.data(), dz_.data() + bn * d);
    dh_.ensure(b.rows * t * d);  // [2B·T, d]
    std::fill(dh_.data(), dh_.data() + b.rows * t * d, 0.f);
    for (std::size_t r = 0; r < b.rows; ++r) unpool(dz_.data() + r * d, b, r, d, dh_.data() + r * t * d);
    model.params().zero_grad();
    model.backward(dh_.data());
    return loss;
  }

 private:
  // Row r's states h[len, d] into z[d] (zeros), and back: dh[len, d] from dz[d].
  void pool(const float* h, const PairBatch& b, std::size_t r, std::size_t d, float* z) const {
    if (!b.known[r]) return;
    const tok::TokenRange& at = b.at[r];
    if (at.empty()) return pool_states(h, b.seqs[r], d, s_.pool, vocab_.unk, z);
    for (std::size_t k = at.first; k < at.last; ++k)
      for (std::size_t j = 0; j < d; ++j) z[j] += h[k * d + j];
    for (std::size_t j = 0; j < d; ++j) z[j] /= static_cast<float>(at.last - at.first);
  }
  void unpool(const float* dz, const PairBatch& b, std::size_t r, std::size_t d, float* dh) const {
    if (!b.known[r]) return;
    const tok::TokenRange& at = b.at[r];
    if (at.empty()) return pool_states_backward(dz, b.seqs[r], d, s_.pool, vocab_.unk, dh);
    for (std::size_t k = at.first; k < at.last; ++k)
      for (std::size_t j = 0; j < d; ++j) dh[k * d + j] = dz[j] / static_cast<float>(at.last - at.first);
  }

  const EncoderVocab& vocab_;
  const TuneSettings& s_;
  PairLoss& loss_;
  common::AlignedFloats z_, dz_, dh_;
};

// InputError unless gold and ranges match the pairs and each range lies in its sentence.
void check_pairs(const ScoredPairs& p) {
  const std::size_t n = p.size();
  if (n < 2 || p.a.size() != n || p.b.size() != n)
    throw common::InputError("fine-tuning needs at least 2 pairs, one gold label per pair");
  if (p.ra.empty() && p.rb.empty()) return;
  if (p.ra.size() != n || p.rb.size() != n) throw common::InputError("fine-tuning: one token range per sentence is needed");
  for (std::size_t i = 0; i < n; ++i)
    for (const auto& [r, s] : {std::pair{p.ra[i], &p.a[i]}, {p.rb[i], &p.b[i]}})
      if (r.empty() || r.last > s->size())
        throw common::InputError("fine-tuning: tokens " + std::to_string(r.first) + ".." + std::to_string(r.last) +
                                 " of pair " + std::to_string(i) + " are not a range of its sentence of " +
                                 std::to_string(s->size()) + " tokens");
}

void check_finite(double loss, std::size_t step, float lr) {
  if (std::isfinite(loss)) return;
  std::ostringstream m;
  m << "fine-tuning diverged at step " << step << " (loss " << (std::isnan(loss) ? "nan" : "inf") << "): lower --lr (now "
    << lr << ")";
  throw common::DivergedError(m.str());
}

}  // namespace

TuneResult tune_pairs(Encoder& model, const EncoderVocab& vocab, const ScoredPairs& train, const TuneSettings& s,
                      PairLoss& loss_fn, const TuneEval& eval, const common::TrainHooks<TuneProgress>& hooks) {
  s.validate();
  check_pairs(train);
  const std::size_t n = train.size();
  const auto t0 = Clock::now();
  const std::size_t most = std::max<std::size_t>(1, model.config().max_len - 1);
  const std::size_t bsize = std::min(s.batch, n);
  const std::size_t per_epoch = n / bsize + (n % bsize >= 2 ? 1 : 0);  // a last batch of one pair has no order to learn
  LrSchedule schedule;
  schedule.peak = s.lr, schedule.total = per_epoch * s.epochs;
  schedule.warmup = static_cast<std::size_t>(std::lround(s.warmup * static_cast<double>(schedule.total)));
  AdamW adam(model.params().total());
  PairStep step_fn(vocab, s, loss_fn);
  TuneResult r;
  std::vector<float> best;  // keep_best: the weights of the best evaluation so far
  double best_score = -INFINITY;
  auto evaluate = [&](std::size_t epoch) -> double {
    if (!eval) return NAN;
    const double score = eval(model);
    r.scores.push_back(score);
    if (s.keep_best && score > best_score) {
      best_score = score, r.best_epoch = epoch;
      best.assign(model.params().data_all(), model.params().data_all() + model.params().total());
    }
    return score;
  };
  evaluate(0);
  std::vector<std::size_t> order(n);
  std::mt19937_64 rng(s.seed);
  for (std::size_t epoch = 1; epoch <= s.epochs && !r.interrupted; ++epoch) {
    const auto e0 = Clock::now();
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), rng);
    double loss_sum = 0;
    for (std::size_t k = 0; k < per_epoch; ++k) {
      const std::size_t bn = std::min(bsize, n - k * bsize);
      const PairBatch b = make_pair_batch(vocab, train, order.data() + k * bsize, bn, most);
      const double loss = step_fn.run(model, b, s.seed * 7919ULL + r.steps);
      check_finite(loss, r.steps, s.lr);
      const float clip =
          s.clip > 0 ? clip_factor(grad_norm(model.params().grad_all(), model.params().total(), model.threads()), s.clip)
                     : 1.f;  // applied inside the AdamW pass
      adam.step(model.params(), static_cast<float>(schedule.at(r.steps)), s.weight_decay, 0, model.threads(), clip);
      ++r.steps, loss_sum += loss;
      loss_fn.update(static_cast<long>(r.steps));
      TuneProgress p;
      p.step = r.steps, p.steps = schedule.total, p.epoch = epoch, p.epochs = s.epochs;
      p.loss = loss_sum / static_cast<double>(k + 1), p.seconds = seconds_since(t0);
      hooks.progress(p);
      if (hooks.stop_requested() && r.steps < schedule.total) {
        r.interrupted = true;
        break;
      }
    }
    if (r.interrupted) break;
    r.epoch_seconds.push_back(seconds_since(e0));
    r.epoch_loss.push_back(loss_sum / static_cast<double>(per_epoch));
    TuneProgress p;
    p.step = r.steps, p.steps = schedule.total, p.epoch = epoch, p.epochs = s.epochs, p.epoch_end = true;
    p.loss = r.epoch_loss.back(), p.score = evaluate(epoch), p.seconds = seconds_since(t0);
    hooks.progress(p);
  }
  if (s.keep_best && !best.empty() && !r.interrupted) {
    std::copy(best.begin(), best.end(), model.params().data_all());
    spdlog::info("--keep-best: the weights after epoch {} (score {:.2f})", r.best_epoch, best_score);
  }
  r.seconds = seconds_since(t0);
  return r;
}

TuneResult tune_cosent(Encoder& model, const EncoderVocab& vocab, const ScoredPairs& train, const TuneSettings& s,
                       const TuneEval& eval, const common::TrainHooks<TuneProgress>& hooks) {
  CosentPairLoss loss(s.scale);
  return tune_pairs(model, vocab, train, s, loss, eval, hooks);
}

}  // namespace enc
