// Supervised fine-tuning of the encoder on labelled pairs of sentences:
// each step takes B pairs, runs the 2B sentences through
// Encoder::forward_train (dropout on), pools each one's final states — the
// whole sentence exactly as pool_sentences does at query time (pool_states),
// or the mean over a token range (a target word, as pool_ranges does) — gives
// the two sides' vectors u, v [B, d] to a PairLoss (CoSENT over the cosines
// for STS; a logistic head for WiC) and propagates its gradient back through
// the pooling and the encoder; then gradient clipping and AdamW at a linear
// warm-up/decay schedule. The pairs arrive as token ids: reading and
// normalising the benchmark files is the caller's (compare/sts_finetune.h,
// compare/wic_finetune.h).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "common/train_hooks.h"
#include "encoder/cosent.h"
#include "encoder/model.h"
#include "encoder/pooling.h"
#include "encoder/train_data.h"
#include "tokenizer/bpe_sentence.h"

namespace enc {

// Pairs of sentences as token ids without [CLS] (a[i], b[i]) and their gold
// labels (STS scores, of which CoSENT uses only the order; WiC 0/1). With
// ranges (ra, rb: one per sentence, token positions without [CLS]) a side's
// vector is the mean of its range's states; without them the sentence's
// pooling (TuneSettings::pool).
struct ScoredPairs {
  TokenIds a, b;
  std::vector<float> gold;
  std::vector<tok::TokenRange> ra, rb;  // empty, or one per pair
  std::size_t size() const { return gold.size(); }
};

// The loss of a batch of pair vectors, and its gradient.
class PairLoss {
 public:
  virtual ~PairLoss() = default;
  // u, v [n, d] (row i: pair i's two sides), gold [n]: returns the loss and
  // writes du, dv [n, d] = ∂L/∂u, ∂L/∂v.
  virtual double loss(const float* u, const float* v, const float* gold, std::size_t n, std::size_t d, float* du,
                      float* dv) = 0;
  // After the encoder's update of each step: the loss's own parameters, if
  // any, take their step (`step` counts from 1).
  virtual void update(long step) { (void)step; }
};

// CoSENT over the cosines of u and v (enc::cosent_pairs_loss), scale λ.
class CosentPairLoss : public PairLoss {
 public:
  explicit CosentPairLoss(double scale = kCosentScale) : scale_(scale) {}
  double loss(const float* u, const float* v, const float* gold, std::size_t n, std::size_t d, float* du,
              float* dv) override {
    return cosent_pairs_loss(u, v, n, d, gold, scale_, du, dv);
  }

 private:
  double scale_;
};

struct TuneSettings {
  PoolSpec pool;           // the final states (layer must be final); kWeighted needs weights by token id
  std::size_t epochs = 4;
  std::size_t batch = 32;  // pairs per step
  float lr = 5e-5f;        // peak learning rate
  float warmup = 0.1f;     // fraction of the steps spent warming up linearly, then linear decay to 0
  float weight_decay = 0.01f, clip = 1.f, dropout = 0.1f;
  double scale = kCosentScale;  // CoSENT's λ (tune_cosent)
  std::uint64_t seed = 1;  // pair order and dropout masks
  bool keep_best = false;  // with an evaluation: end with the weights of the epoch that scored best
  void validate() const;   // OptionError naming the option (--epochs, --batch, ...)
};

struct TuneProgress {
  std::size_t step = 0, steps = 0;  // optimizer steps done, of all
  std::size_t epoch = 0, epochs = 0;  // the epoch under way (1-based), or just finished when epoch_end
  double loss = 0;     // mean training loss of the epoch so far
  double seconds = 0;
  bool epoch_end = false;
  double score = 0;    // epoch_end with an evaluation: its score (NaN without one)
};

struct TuneResult {
  std::size_t steps = 0;
  double seconds = 0;
  std::vector<double> epoch_loss;  // mean training loss of each epoch
  std::vector<double> scores;      // evaluation before training (index 0) and after each epoch; empty without one
  std::vector<double> epoch_seconds;  // wall time of each epoch (training steps only)
  std::size_t best_epoch = 0;      // keep_best: the epoch whose weights were kept (0: the initial ones)
  bool interrupted = false;        // stopped by a stop request: the model is left as it was at that step
};

// Scores the model as it stands (no dropout), higher is better: e.g. the
// dev Spearman of the pooled vectors. May be empty.
using TuneEval = std::function<double(Encoder&)>;

// Fine-tunes `model` in place on the pairs with `loss`. InputError for fewer
// than 2 pairs, gold or ranges that do not match the pairs, or a range
// outside its sentence.
TuneResult tune_pairs(Encoder& model, const EncoderVocab& vocab, const ScoredPairs& train, const TuneSettings& s,
                      PairLoss& loss, const TuneEval& eval = {}, const common::TrainHooks<TuneProgress>& hooks = {});

// The same with CoSENT at s.scale (STS).
TuneResult tune_cosent(Encoder& model, const EncoderVocab& vocab, const ScoredPairs& train, const TuneSettings& s,
                       const TuneEval& eval = {}, const common::TrainHooks<TuneProgress>& hooks = {});

}  // namespace enc
