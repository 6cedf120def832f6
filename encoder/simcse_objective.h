// The SimCSE objective as a training-loop objective: each sentence of the
// batch twice (rows B..2B-1 repeat rows 0..B-1; dropout makes the two
// views differ), mean-pooled over its real tokens, and the InfoNCE loss of
// simcse_loss. A batch holds half the tokens of --batch-tokens in distinct
// sentences.
#pragma once

#include "encoder/objective.h"

namespace enc {

class SimcseObjective : public Objective {
 public:
  explicit SimcseObjective(const ObjectiveSettings& s) : s_(s) {}
  std::size_t sentence_tokens(std::size_t batch_tokens) const override { return batch_tokens / 2; }
  void prepare(MlmBatch& m) const override;  // the two views
  double train_forward(Encoder& model, MlmBatch& m, std::size_t step, common::AlignedFloats& dh) override;
  EvalSums evaluate(Encoder& model, MlmBatch& m, std::size_t first) override;

 private:
  // z_ [2B, d] = the mean of each row's real hidden states h [2B·T, d].
  void pool_mean(const float* h, const MlmBatch& m, std::size_t d);

  ObjectiveSettings s_;
  common::AlignedFloats z_, dz_;  // [2B, d]
};

}  // namespace enc
