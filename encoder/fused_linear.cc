#include "encoder/fused_linear.h"

#include <algorithm>

#include "common/blas.h"
#include "common/fast_math.h"
#include "common/parallel.h"
#include "encoder/ops.h"

namespace enc {

namespace {

// Rows per GEMM block: the block's output (about 2 MiB, a core's L2) is
// still in cache for the tail, and the block is tall enough that OpenBLAS
// packing W once per block costs little (blocks of 64 to 128 rows measured
// 10-25% slower than one GEMM over all rows at N = 4096, d = 256, F = 1024).
std::size_t block_rows(std::size_t out) {
  const std::size_t r = (std::size_t{1} << 19) / std::max<std::size_t>(out, 1);
  return std::max<std::size_t>(256, r / 16 * 16);
}

// One row of the tail in a single pass: v = ((y + b) ⊙ mask) + residual is
// stored, then act(v) ⊙ act_mask (the same operations in the same order as
// separate passes, without re-reading the row for each).
template <bool kBias, bool kMask, bool kRes, Act kAct, bool kActMask>
void tail_row(float* y, std::size_t o, std::size_t out, const float* b, const LinearTail& t) {
  constexpr float kInvSqrt2 = 0.70710678118654752f;
  float* row = y + o;                                    // [out]
  const float* mk = kMask ? t.mask + o : nullptr;        // [out]
  const float* rs = kRes ? t.residual + o : nullptr;     // [out]
  float* ao = kAct != Act::kNone ? t.act_out + o : nullptr;  // [out]
  const float* am = kActMask ? t.act_mask + o : nullptr;  // [out]
  for (std::size_t j = 0; j < out; ++j) {
    float v = row[j];
    if constexpr (kBias) v += b[j];
    if constexpr (kMask) v *= mk[j];
    if constexpr (kRes) v += rs[j];
    row[j] = v;
    if constexpr (kAct == Act::kNone) continue;
    float a;
    if constexpr (kAct == Act::kGelu) a = 0.5f * v * (1.f + common::erf_fast(v * kInvSqrt2));
    else a = v > 0.f ? v : 0.f;
    if constexpr (kActMask) a *= am[j];
    ao[j] = a;
  }
}

using TailRow = void (*)(float*, std::size_t, std::size_t, const float*, const LinearTail&);

template <bool kBias, bool kMask, bool kRes, Act kAct>
TailRow pick_act_mask(bool act_mask) {
  if (act_mask && kAct != Act::kNone) return tail_row<kBias, kMask, kRes, kAct, true>;
  return tail_row<kBias, kMask, kRes, kAct, false>;
}

template <bool kBias, bool kMask, bool kRes>
TailRow pick_act(Act act, bool act_mask) {
  if (act == Act::kGelu) return pick_act_mask<kBias, kMask, kRes, Act::kGelu>(act_mask);
  if (act == Act::kRelu) return pick_act_mask<kBias, kMask, kRes, Act::kRelu>(act_mask);
  return pick_act_mask<kBias, kMask, kRes, Act::kNone>(act_mask);
}

template <bool kBias, bool kMask>
TailRow pick_res(bool res, Act act, bool act_mask) {
  return res ? pick_act<kBias, kMask, true>(act, act_mask) : pick_act<kBias, kMask, false>(act, act_mask);
}

template <bool kBias>
TailRow pick_mask(bool mask, bool res, Act act, bool act_mask) {
  return mask ? pick_res<kBias, true>(res, act, act_mask) : pick_res<kBias, false>(res, act, act_mask);
}

// The tail over rows [r0, r1) of y (contiguous, row length out).
void apply_tail(float* y, std::size_t r0, std::size_t r1, std::size_t out, const float* b, const LinearTail& t) {
  if (!b && !t.mask && !t.residual && t.act == Act::kNone) return;
  const bool act_mask = t.act_mask != nullptr;
  const TailRow fn = b ? pick_mask<true>(t.mask, t.residual, t.act, act_mask)
                       : pick_mask<false>(t.mask, t.residual, t.act, act_mask);
  for (std::size_t i = r0; i < r1; ++i) fn(y, i * out, out, b, t);
}

}  // namespace

void linear_forward_fused(const float* x, std::size_t n, std::size_t in, const float* w, const float* b,
                          std::size_t out, float* y, const LinearTail& tail, int threads) {
  const std::size_t blk = block_rows(out);
  const std::size_t blocks = (n + blk - 1) / blk;
  common::ScopedBlasThreads single(1);
  common::parallel_for(blocks, threads, [&](std::size_t k, int) {
    const std::size_t r0 = k * blk, r1 = std::min(n, r0 + blk);
    common::gemm(false, true, r1 - r0, out, in, 1.f, x + r0 * in, in, w, in, 0.f, y + r0 * out, out);
    apply_tail(y, r0, r1, out, b, tail);
  });
}

void linear_forward_fused_ref(const float* x, std::size_t n, std::size_t in, const float* w, const float* b,
                              std::size_t out, float* y, const LinearTail& t) {
  common::gemm_ref(false, true, n, out, in, 1.f, x, in, w, in, 0.f, y, out);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < out; ++j) {
      const std::size_t k = i * out + j;
      float v = y[k] + (b ? b[j] : 0.f);
      if (t.mask) v *= t.mask[k];
      if (t.residual) v += t.residual[k];
      y[k] = v;
      if (t.act == Act::kNone) continue;
      float a = 0;
      if (t.act == Act::kGelu) gelu_ref(&v, 1, &a);
      else a = v > 0.f ? v : 0.f;
      t.act_out[k] = t.act_mask ? a * t.act_mask[k] : a;
    }
}

}  // namespace enc
