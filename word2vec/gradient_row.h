// The gradients of a row of scores, the step between the two small matrix
// products of the batched updates (batch_kernel.h, cbow_batch_kernel.h):
//
//   s[j] := g_j = (label_j - σ(s_j)) · alpha        in place, j < m
//   loss_terms[j] = the prediction's logistic loss   -log σ(±s_j)
//
// element by element exactly as hs_gradient (Objective::kHs: |s| >= 6 gives
// g = 0 and the loss max(0, -z)) or ns_gradient (kNs: s > 6 and s < -6
// clamp σ to 1 and 0), from the same SigmoidTable entries, so results are
// bit-identical to the scalar functions; a NaN score gives NaN as they do.
// The caller adds the loss terms in order (the scalar kernels' sum).
// gradient_row_ref is the reference twin: the scalar functions in a loop.
#pragma once

#include "word2vec/sampling.h"
#include "word2vec/window_kernel.h"

namespace w2v {

enum class Objective { kHs, kNs };

inline void gradient_row_ref(float* s, const float* label, int m, float alpha, Objective obj, const SigmoidTable& sig,
                             float* loss_terms) {
  for (int j = 0; j < m; ++j) {
    float loss = 0.f;
    s[j] = obj == Objective::kHs ? hs_gradient(s[j], label[j], alpha, sig, &loss)
                                 : ns_gradient(s[j], label[j] > 0.5f, alpha, sig, &loss);
    loss_terms[j] = loss;
  }
}

// The fast twin: AVX-512 or AVX2 with gathers from the table where available.
void gradient_row(float* s, const float* label, int m, float alpha, Objective obj, const SigmoidTable& sig,
                  float* loss_terms);

}  // namespace w2v
