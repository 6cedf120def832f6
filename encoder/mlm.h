// The masked-language-model head and training step pieces: tied output
// (logits = h · Eᵀ over the embedding matrix), softmax cross-entropy at the
// masked positions, BERT-style masking, and AdamW over all parameters.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "common/aligned.h"
#include "encoder/model.h"

namespace enc {

struct MlmBatch {
  std::vector<std::int32_t> ids;        // [B·T] model input (masked)
  std::vector<std::int32_t> lengths;    // [B]
  std::vector<std::int32_t> positions;  // [M] rows (b·T + t) that are predicted
  std::vector<std::int32_t> targets;    // [M] original ids at those rows
  std::size_t batch = 0, seq = 0;
};

// Picks `rate` of the real tokens (at least one per batch) and replaces
// 80% of them by mask_id, 10% by a random id in [first_regular, vocab), 10% kept.
// Positions t < skip_first of each sequence (e.g. [CLS]) are never picked.
void mask_tokens(MlmBatch& b, double rate, std::int32_t mask_id, std::int32_t first_regular, std::size_t vocab,
                 std::mt19937_64& rng, std::size_t skip_first = 0);

// Rows [first, first + count) of a masked batch: their ids and lengths,
// and the predicted positions among them (renumbered), at the same length T.
MlmBatch batch_rows(const MlmBatch& b, std::size_t first, std::size_t count);

struct MlmResult {
  double loss = 0;       // mean cross-entropy over the M positions
  std::size_t correct = 0, count = 0;
};

class MlmHead {
 public:
  // hidden[B·T, d] from Encoder::forward. Writes dhidden[B·T, d] (zero at
  // unmasked rows) and adds the output-side gradient into the embedding's.
  // `units`: the count the loss is averaged over (0: the batch's M; a
  // data-parallel shard gives the M of the whole batch, so that the shards'
  // losses and gradients add up to the whole batch's).
  MlmResult forward_backward(Encoder& model, const float* hidden, const MlmBatch& b, float* dhidden,
                             std::size_t units = 0);
  // Loss and accuracy only.
  MlmResult evaluate(const Encoder& model, const float* hidden, const MlmBatch& b);

 private:
  MlmResult run(const Encoder& model, const float* hidden, const MlmBatch& b, bool grad, std::size_t units = 0);
  common::AlignedFloats h_, logits_, dh_;  // [M, d], [M, V], [M, d]
};

// Reference twin of MlmHead::forward_backward (one row at a time, double
// softmax): the same loss, accuracy, dhidden[B·T, d] (written) and output-side
// gradient added into demb[V, d], for the tied embedding emb[V, d].
MlmResult mlm_head_ref(const float* emb, std::size_t vocab, std::size_t d, const float* hidden, const MlmBatch& b,
                       std::size_t units, float* dhidden, float* demb);

class AdamW {
 public:
  AdamW(std::size_t n, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f)
      : m_(n), v_(n), beta1_(beta1), beta2_(beta2), eps_(eps) {}
  // Updates every parameter except the first `skip_floats` (a frozen prefix,
  // e.g. the embedding matrix, which is slot 0).
  // `threads`: the update split over the pool (the same result for any number).
  // `grad_scale`: the gradients are used times this (a clipping factor, see
  // clip_factor); they are not written.
  void step(ParamSet& p, float lr, float weight_decay, std::size_t skip_floats = 0, int threads = 1,
            float grad_scale = 1.f);
  long steps() const { return step_; }
  float* m() { return m_.data(); }
  float* v() { return v_.data(); }
  const float* m() const { return m_.data(); }
  const float* v() const { return v_.data(); }
  void set_steps(long s) { step_ = s; }

 private:
  common::AlignedFloats m_, v_;
  float beta1_, beta2_, eps_;
  long step_ = 0;
};

}  // namespace enc
