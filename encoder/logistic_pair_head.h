// A logistic classifier on a pair of vectors, as a fine-tuning loss (WiC:
// same sense or not, from the target word's vectors u, v in the two
// sentences): p = σ(w · [u ⊙ v, |u − v|] + b), binary cross-entropy against
// the gold label (0 or 1), mean over the batch. Its own weights (zero at the
// start) are trained with AdamW, without weight decay, at their own rate;
// only the encoder is written afterwards.
#pragma once

#include <cstddef>
#include <vector>

#include "encoder/pair_tuning.h"

namespace enc {

class LogisticPairHead : public PairLoss {
 public:
  LogisticPairHead(std::size_t d, float lr);
  // Also keeps the weights' gradient for update().
  double loss(const float* u, const float* v, const float* gold, std::size_t n, std::size_t d, float* du,
              float* dv) override;
  void update(long step) override;
  // p(same) of one pair u[d], v[d].
  double probability(const float* u, const float* v) const;
  const std::vector<float>& weights() const { return w_; }  // [2d + 1]: u⊙v, |u−v|, then the bias
  std::vector<float>& weights() { return w_; }

 private:
  double logit(const float* u, const float* v) const;
  std::size_t d_;
  float lr_;
  std::vector<float> w_, g_, m_, v_;  // [2d + 1]
};

}  // namespace enc
