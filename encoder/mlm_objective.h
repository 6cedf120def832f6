// The masked-LM objective: 15% of the real tokens (never [CLS]) are
// masked BERT-style with a mask drawn per step, and predicted through the
// tied embedding matrix.
#pragma once

#include "encoder/objective.h"

namespace enc {

class MlmObjective : public Objective {
 public:
  MlmObjective(const ObjectiveSettings& s, const EncoderVocab& vocab);
  void prepare(MlmBatch&) const override {}  // masking is part of each forward (its seed differs)
  double train_forward(Encoder& model, MlmBatch& m, std::size_t step, common::AlignedFloats& dh) override;
  double train_forward_shard(Encoder& model, MlmBatch& m, std::size_t step, std::size_t first, std::size_t count,
                             common::AlignedFloats& dh) override;
  EvalSums evaluate(Encoder& model, MlmBatch& m, std::size_t first) override;

 private:
  void mask(MlmBatch& m, std::uint64_t seed) const;

  ObjectiveSettings s_;
  std::int32_t mask_id_, first_regular_;
  std::size_t vocab_size_;
  MlmHead head_;
};

}  // namespace enc
