// The per-window update of Word2Vec: one skip-gram or CBOW step for one
// centre word, with negative sampling and/or hierarchical softmax, Hogwild
// (lock-free) on the shared matrices. This is the unit a GEMM-batched variant
// (shared negatives per window, as in pWord2Vec) will replace.
#pragma once

#include <cstdint>
#include <span>
#include <utility>

#include "common/aligned.h"
#include "common/rng.h"
#include "word2vec/huffman.h"
#include "word2vec/sampling.h"

namespace w2v {

// The trainable matrices, all [V, dim] with the same padded leading dimension.
struct Params {
  common::Matrix syn0;     // [V, dim] input vectors (the word vectors)
  common::Matrix syn1;     // [V, dim] HS inner-node vectors (rows 0..V-2 used); empty without hs
  common::Matrix syn1neg;  // [V, dim] NS output vectors; empty without negative
};

// One negative-sampling prediction with score f: returns g = (label - σ(f))·alpha
// (label 1 for the positive, 0 for a negative), clamped outside ±6 as
// word2vec.c, and adds the prediction's logistic loss to *loss.
inline float ns_gradient(float f, bool positive, float alpha, const SigmoidTable& sig, float* loss) {
  constexpr float kMax = SigmoidTable::kMaxExp;
  const float label = positive ? 1.f : 0.f;
  if (f > kMax) {
    *loss += positive ? 0.f : f;
    return (label - 1.f) * alpha;
  }
  if (f < -kMax) {
    *loss += positive ? -f : 0.f;
    return label * alpha;
  }
  *loss -= positive ? sig.log_sigmoid(f) : sig.log_sigmoid(-f);
  return (label - sig.sigmoid(f)) * alpha;
}

// One hierarchical-softmax node with score f and label 1 - code: returns
// g = (label - σ(f))·alpha, or 0 for a saturated node (|f| >= 6), which
// word2vec.c skips; adds the node's logistic loss to *loss (for a saturated
// node the linear tail max(0, -z), z = ±f, an approximation).
inline float hs_gradient(float f, float label, float alpha, const SigmoidTable& sig, float* loss) {
  constexpr float kMax = SigmoidTable::kMaxExp;
  if (f <= -kMax || f >= kMax) {
    const float z = label > 0.5f ? f : -f;
    *loss += z < 0 ? -z : 0.f;
    return 0.f;
  }
  *loss -= label > 0.5f ? sig.log_sigmoid(f) : sig.log_sigmoid(-f);
  return (label - sig.sigmoid(f)) * alpha;
}

// The targets of one prediction: out[0] = word, then `negative` draws from
// the sampler, skipping draws equal to word (word2vec.c's rule). Returns the count.
int draw_ns_targets(const NegativeSampler& sampler, std::int32_t word, int negative, std::int32_t* out,
                    common::Lcg& rng);

// Negative sampling for one input vector h[ld]: targets[0] is the positive
// word (label 1), the rest are negatives (label 0). For each target row o:
// f = h·o, g = (label - σ(f))·alpha (clamped outside ±6 as word2vec.c),
// neu1e += g·o, o += g·h. Returns the summed logistic loss.
float ns_update(const float* h, const std::int32_t* targets, int n_targets, float alpha, common::Matrix& out,
                float* neu1e, const SigmoidTable& sig);

// Hierarchical softmax along a Huffman path: label = 1 - code[d], inner-node
// rows syn1[points[d]]; pairs with |f| >= 6 are skipped as in word2vec.c.
float hs_update(const float* h, std::span<const std::uint8_t> code, std::span<const std::int32_t> points, float alpha,
                common::Matrix& syn1, float* neu1e, const SigmoidTable& sig);

// The loss a kernel accumulates between two take()s: (sum, number of
// predictions); and, separately, its nominal arithmetic: 6·dim flops per
// score of one input vector against one target row (the dot product, the
// input's gradient, the target's update — counted whether or not a
// saturated score skips the update) and, for CBOW, 4·dim per context row
// (summed into the hidden vector, given the error).
struct LossTally {
  double sum = 0;
  std::uint64_t n = 0;
  std::uint64_t flops = 0;
  void add(double loss, std::uint64_t predictions) {
    sum += loss;
    n += predictions;
  }
  void add_work(std::uint64_t scores, std::uint64_t context_rows, std::uint64_t dim) {
    flops += (6 * scores + 4 * context_rows) * dim;
  }
  std::pair<double, std::uint64_t> take() {
    const auto r = std::make_pair(sum, n);
    sum = 0;
    n = 0;
    return r;
  }
  std::uint64_t take_flops() { return std::exchange(flops, 0); }
};

class WindowKernel {
 public:
  static constexpr int kMaxNegative = 64;

  WindowKernel(Params& params, const HuffmanCodes* huffman, const NegativeSampler* sampler, const SigmoidTable& sig,
               int negative);

  // Skip-gram: each context word sen[c], |c - pos| <= win, c != pos, predicts sen[pos].
  void skipgram(const std::int32_t* sen, int len, int pos, int win, float alpha, common::Lcg& rng);
  // CBOW: the mean of the context vectors predicts sen[pos]; every context
  // vector receives the full hidden-layer error (as word2vec.c).
  void cbow(const std::int32_t* sen, int len, int pos, int win, float alpha, common::Lcg& rng);

  // Loss accumulated since the last take_loss(): (sum, number of predictions).
  std::pair<double, std::uint64_t> take_loss() { return loss_.take(); }
  // Nominal flops since the last take_flops() (LossTally).
  std::uint64_t take_flops() { return loss_.take_flops(); }

 private:
  int draw_targets(std::int32_t word, std::int32_t* out, common::Lcg& rng) const;

  Params& p_;
  const HuffmanCodes* huffman_;
  const NegativeSampler* sampler_;
  const SigmoidTable& sig_;
  int negative_;
  std::size_t ld_, dim_;
  common::AlignedFloats neu1_, neu1e_;  // [ld] scratch
  LossTally loss_;
};

}  // namespace w2v
