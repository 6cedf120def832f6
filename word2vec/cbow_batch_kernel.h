// CBOW with negative sampling, batched across neighbouring centre words:
// B consecutive windows of a sentence share ONE draw of n negatives, so the
// negatives' rows (the random, cache-missing ones) are fetched once for B
// windows and the window's predictions become small matrix products:
//
//   H   = [h_1 .. h_B]               [B, d]   h_b = mean of window b's context rows (syn0)
//   P   = syn1neg[w_1 .. w_B]        [B, d]   each window's own centre word (the positive)
//   N   = syn1neg[neg_1 .. neg_n]    [n, d]   the shared negatives
//   s_b = h_b · p_b,  S = H · Nᵀ     [B], [B, n]
//   g_b = (1 - σ(s_b))·alpha,  G = (0 - σ(S))·alpha, G[b, j] = 0 where neg_j = w_b
//                                             (clamped outside ±6 as word2vec.c)
//   E   = g ⊙ P + G · N              [B, d]   the hidden errors (from the old rows)
//   p_b += g_b · h_b,  N += Gᵀ · H            (from the old H; deltas, so repeated rows add)
//   every context row of window b += e_b      (word2vec.c's CBOW: the full error, not e_b / cw)
//
// The output step is exactly -alpha × the gradient of the group's loss
// Σ_b [-log σ(s_b) - Σ_j log σ(-S[b, j])] in syn1neg; the input step is
// -alpha × its gradient in h_b, given to each context row. With B = 1 and no
// negative equal to the centre it is bit-for-bit WindowKernel::cbow (the
// per-window kernel, its reference twin). The shared draw and the stale rows
// within a group (window b + 1 reads context rows before window b's error is
// added) make it another sampler, so it is `--update batch`, not the default.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "common/aligned.h"
#include "common/rng.h"
#include "word2vec/sampling.h"
#include "word2vec/window_kernel.h"

namespace w2v {

// One CBOW window: its context word ids and its centre word.
struct CbowWindow {
  const std::int32_t* context = nullptr;  // [n_context]
  int n_context = 0;                      // > 0
  std::int32_t word = 0;
};

// Scratch space of cbow_batch_update, grown as needed and reused.
struct CbowBatchScratch {
  common::AlignedFloats h, e;  // [B, ld] hidden means, hidden errors
  common::AlignedFloats g;     // [B, M] gradients, column 0 the positive, 1.. the negatives
  common::AlignedFloats g_t;   // [n, B] the negatives' columns, transposed
  common::AlignedFloats labels, loss_terms;  // [M] the targets' labels, one window's losses
  std::vector<const float*> rows, h_rows;  // [M] one window's output rows, [B] the hidden rows
  void ensure(int b_rows, int m_rows, std::size_t ld);
};

// One group's update as above; negatives[j] (j < n) are syn1neg rows.
// Returns the summed logistic loss of the group's predictions.
float cbow_batch_update(const CbowWindow* windows, int b_rows, const std::int32_t* negatives, int n, float alpha,
                        common::Matrix& syn0, common::Matrix& syn1neg, CbowBatchScratch& scratch,
                        const SigmoidTable& sig);

class CbowBatchKernel {
 public:
  static constexpr int kWindows = 4;  // B: centre words sharing one draw of negatives

  CbowBatchKernel(Params& params, const NegativeSampler& sampler, const SigmoidTable& sig, int negative);

  // Trains every centre word of the sentence, window radius for each drawn
  // as WindowKernel's caller does (win - rng.below(win)), kWindows centres
  // a group.
  void sentence(const std::int32_t* sen, int len, int win, float alpha, common::Lcg& rng);

  // Loss accumulated since the last take_loss(): (sum, number of windows).
  std::pair<double, std::uint64_t> take_loss() { return loss_.take(); }
  // Nominal flops since the last take_flops() (LossTally).
  std::uint64_t take_flops() { return loss_.take_flops(); }

 private:
  Params& p_;
  const NegativeSampler& sampler_;
  const SigmoidTable& sig_;
  int negative_;
  std::size_t ld_;
  std::vector<std::int32_t> context_;  // the group's context ids, window after window
  CbowBatchScratch scratch_;
  LossTally loss_;
};

}  // namespace w2v
