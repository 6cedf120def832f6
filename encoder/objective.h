// What an encoder is trained to do, as seen by the one training loop: how
// a padded batch of sentences becomes the model input, the training
// forward with its loss and the gradient at the final hidden states, and
// the held-out evaluation of a batch. The masked LM and SimCSE implement it.
#pragma once

#include <cstdint>
#include <memory>

#include "common/aligned.h"
#include "encoder/mlm.h"
#include "encoder/model.h"
#include "encoder/settings.h"
#include "encoder/train_data.h"

namespace enc {

// The run's settings an objective draws on.
struct ObjectiveSettings {
  std::uint64_t seed = 1;                  // masks and dropout of step s are seeded from (seed, s)
  float dropout = 0, attention_dropout = 0;
  float temperature = 0.05f;               // SimCSE
};

// Held-out sums over the batches: loss × units, units predicted right,
// units (masked tokens, or sentences).
struct EvalSums {
  double loss_sum = 0;
  std::size_t correct = 0, count = 0;
  void add(const EvalSums& o) {
    loss_sum += o.loss_sum, correct += o.correct, count += o.count;
  }
};

class Objective {
 public:
  virtual ~Objective() = default;
  // Tokens of distinct sentences per batch for a --batch-tokens budget.
  virtual std::size_t sentence_tokens(std::size_t batch_tokens) const { return batch_tokens; }
  // Turns a padded batch of sentences into the model input, in place.
  virtual void prepare(MlmBatch& m) const = 0;
  // The training forward of step `step` (dropout on): returns the loss and
  // writes dh [B·T, d], its gradient w.r.t. the final hidden states.
  // May add gradient into the parameters directly (tied output layer).
  virtual double train_forward(Encoder& model, MlmBatch& m, std::size_t step, common::AlignedFloats& dh) = 0;
  // Data-parallel training (mpirun): the training forward of rows
  // [first, first + count) of the whole batch m, count > 0, masked, dropped
  // out and normalised as in train_forward of the whole batch, so that the
  // ranks' losses and gradients add up to it. The default throws
  // OptionError (an objective whose loss couples the whole batch).
  virtual double train_forward_shard(Encoder& model, MlmBatch& m, std::size_t step, std::size_t first,
                                     std::size_t count, common::AlignedFloats& dh);
  // A prepared held-out batch whose first sequence is `first` (fixed
  // seeds, so comparable across steps and runs).
  virtual EvalSums evaluate(Encoder& model, MlmBatch& m, std::size_t first) = 0;
};

std::unique_ptr<Objective> make_objective(ObjectiveKind kind, const ObjectiveSettings& s, const EncoderVocab& vocab);

}  // namespace enc
