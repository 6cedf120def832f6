// The batched skip-gram update with negative sampling of Ji et al.,
// "Parallelizing Word2Vec in Shared and Distributed Memory" (pWord2Vec,
// 2016): for one centre word w, its K context words share ONE set of
// negatives, so the window is a small matrix problem instead of K separate
// pair updates:
//
//   In  = syn0[c_1..c_K]            [K, d]      (the context words' input rows)
//   Out = syn1neg[w, neg_1..neg_n]  [M, d]      (M = 1 + n; row 0 is the positive)
//   S   = In · Outᵀ                 [K, M]
//   G   = (label - σ(S)) · alpha    [K, M]      label = 1 in column 0, else 0;
//                                               clamped outside ±6 as word2vec.c
//   ΔIn  = G · Out                  [K, d]      (from the old Out)
//   ΔOut = Gᵀ · In                  [M, d]      (from the old In)
//   In += ΔIn, Out += ΔOut                      (Hogwild, deltas added to the live rows)
//
// Deltas, not copies, are written back, so a word that occurs twice among
// the contexts or the negatives gets both contributions: the step is exactly
// -alpha × the gradient of the window's loss with respect to the matrices.
// With K = 1 it is bit-for-bit ns_update followed by l1 += neu1e (the pair
// kernel of window_kernel.h, its reference twin).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "common/aligned.h"
#include "common/rng.h"
#include "word2vec/hot_rows.h"
#include "word2vec/huffman.h"
#include "word2vec/sampling.h"
#include "word2vec/window_kernel.h"

namespace w2v {

// Scratch space of ns_batch_update, grown as needed and reused.
struct BatchScratch {
  common::AlignedFloats g;         // [K, M] gradients of the scores
  common::AlignedFloats g_t;       // [M, K] the same, transposed
  common::AlignedFloats delta_in;  // [K, ld] ΔIn
  common::AlignedFloats labels;    // [M] the targets' labels
  common::AlignedFloats loss_terms;  // [M] one input's losses against the targets
  std::vector<const float*> in_rows;  // [K] input row pointers
  std::vector<float*> out_rows;       // [M] target row pointers
  void ensure(int k_rows, int m_rows, std::size_t ld);
};

// One window's update as above. inputs[k] (k < K) are syn0 rows, targets[j]
// (j < M) syn1neg rows, targets[0] the positive. Returns the summed logistic
// loss of the K·M predictions.
float ns_batch_update(const std::int32_t* inputs, int k_rows, const std::int32_t* targets, int m_rows, float alpha,
                      common::Matrix& syn0, common::Matrix& syn1neg, BatchScratch& scratch, const SigmoidTable& sig);

// The same update for hierarchical softmax: the targets are the inner nodes
// points[j] of one word's Huffman path (rows of syn1), label_j = 1 - code[j];
// a saturated score (|s| >= 6) gets gradient 0, as hs_update skips it. With
// K = 1 it is bit-for-bit hs_update followed by l1 += neu1e. With hot, the
// nodes it holds are read and written in the worker's private copy.
float hs_batch_update(const std::int32_t* inputs, int k_rows, std::span<const std::uint8_t> code,
                      std::span<const std::int32_t> points, float alpha, common::Matrix& syn0, common::Matrix& syn1,
                      BatchScratch& scratch, const SigmoidTable& sig, HotRows* hot = nullptr);

// Skip-gram, one batched update per centre word and objective: with
// hierarchical softmax hs_batch_update on the centre's Huffman path, with
// negative sampling ns_batch_update (and both, in that order, if both are on).
class BatchKernel {
 public:
  // huffman: null without -hs; sampler: null without -negative. hot_nodes:
  // how many of the heaviest Huffman inner nodes (those nearest the root)
  // this worker trains in a private copy (HotRows; 0 = none).
  BatchKernel(Params& params, const HuffmanCodes* huffman, const NegativeSampler* sampler, const SigmoidTable& sig,
              int negative, std::size_t hot_nodes = 0);

  // The context words sen[c], |c - pos| <= win, c != pos, predict sen[pos]
  // with the centre's Huffman path and/or one shared draw of negatives.
  // Called for pos = 0, 1, ... len-1 of each sentence in turn (the draw for
  // pos + 1 is made during pos).
  void skipgram(const std::int32_t* sen, int len, int pos, int win, float alpha, common::Lcg& rng);

  // Centre words between two HotRows syncs. On bench.txt (2 threads, 3
  // seeds) 1000 and 10,000 both kept the quality within run-to-run noise
  // of private-copy-free training; 1000 keeps the copies' lag short.
  static constexpr std::uint64_t kHotSyncEvery = 1000;

  // With private hot nodes (synced every kHotSyncEvery centre words):
  // publishes this worker's changes and drops the copy (HotRows::flush), so
  // the shared matrices hold every update. A no-op without.
  void flush_shared();

  // Loss accumulated since the last take_loss(): (sum, number of context-word predictions).
  std::pair<double, std::uint64_t> take_loss() { return loss_.take(); }
  // Nominal flops since the last take_flops() (LossTally).
  std::uint64_t take_flops() { return loss_.take_flops(); }

 private:
  void ns_window(const std::int32_t* sen, int len, int pos, int hi, int k, float alpha, common::Lcg& rng);

  Params& p_;
  const HuffmanCodes* huffman_;
  const NegativeSampler* sampler_;
  const SigmoidTable& sig_;
  int negative_;
  std::size_t ld_;
  std::vector<std::int32_t> inputs_;  // [K] the context word ids
  // The targets of the window at ahead_pos_ (the next centre of the same
  // sentence), drawn one call early so their rows arrive in time; -1 = none.
  // Never pending across sentences, so checkpoints need not store it.
  std::int32_t ahead_[WindowKernel::kMaxNegative + 1];
  int ahead_n_ = 0;
  int ahead_pos_ = -1;
  BatchScratch scratch_;
  std::optional<HotRows> hot_;  // the heaviest inner nodes of syn1, or none
  std::uint64_t hot_words_ = 0;  // centre words since the last HotRows sync
  LossTally loss_;
};

}  // namespace w2v
