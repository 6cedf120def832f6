#include "encoder/attention.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "common/blas.h"
#include "common/fast_math.h"
#include "common/parallel.h"
#include "encoder/row_reduce.h"
#include "encoder/small_gemm.h"

namespace enc {

std::size_t AttentionShape::block() const {
  if (window == 0) return seq;
  return std::min(seq, std::max<std::size_t>(window, 32));
}

std::size_t AttentionShape::key_width() const {
  if (window == 0) return seq;
  return std::min(seq, block() + 2 * window);
}

namespace {

struct Block {
  std::size_t q0, nq, k0, nk;
};

Block block_of(const AttentionShape& s, std::size_t q0) {
  Block b;
  b.q0 = q0;
  b.nq = std::min(s.block(), s.seq - q0);
  if (s.window == 0) {
    b.k0 = 0;
    b.nk = s.seq;
  } else {
    b.k0 = q0 > s.window ? q0 - s.window : 0;
    b.nk = std::min(s.seq, q0 + b.nq + s.window) - b.k0;
  }
  return b;
}

bool visible(const AttentionShape& s, std::size_t i, std::size_t j, std::size_t len) {
  if (j >= len) return false;
  if (s.window == 0) return true;
  return (i > j ? i - j : j - i) <= s.window;
}

// This thread's scratch of at least n floats, kept between calls (a fresh
// vector per call came from the kernel each time: page faults were ~3% of a
// training step under perf).
float* thread_scratch(std::size_t n) {
  thread_local std::vector<float> buf;
  if (buf.size() < n) buf.resize(n);
  return buf.data();
}

// The floats every thread_scratch request of a shape asks for: the larger of
// the forward's and the backward's layouts below, with dropout, so a thread
// allocates its buffer once instead of growing it from the forward to the
// backward.
std::size_t scratch_floats(const AttentionShape& s) {
  const std::size_t dh = s.head_dim, kw = s.key_width(), bk = s.block() * kw;
  const std::size_t forward = dh * kw + bk + s.block() * dh + kw * dh;
  const std::size_t backward = 2 * bk + dh * kw + bk;
  return std::max(forward, backward);
}

// The keys query i sees among [k0, k0 + nk), as [lo, hi) relative to k0
// (visible() holds exactly there: keys below len, within ±window).
std::pair<std::size_t, std::size_t> visible_range(const AttentionShape& s, std::size_t i, std::size_t k0,
                                                  std::size_t nk, std::size_t len) {
  std::size_t first = 0, last = len;  // absolute [first, last)
  if (s.window != 0) {
    first = i > s.window ? i - s.window : 0;
    last = std::min(last, i + s.window + 1);
  }
  const std::size_t lo = std::max(first, k0), hi = std::min(last, k0 + nk);
  return lo < hi ? std::pair{lo - k0, hi - k0} : std::pair{std::size_t{0}, std::size_t{0}};
}

// dst[rows, cols] (contiguous) = src[rows, cols] with leading dimension lds.
void copy_rows(const float* src, std::size_t rows, std::size_t cols, std::size_t lds, float* dst) {
  for (std::size_t i = 0; i < rows; ++i) std::memcpy(dst + i * cols, src + i * lds, cols * sizeof(float));
}

// row[lo, hi) = softmax(row[lo, hi)); every other entry of row[kw] = 0. No
// visible key (or a -inf maximum): the whole row is 0.
void softmax_row(float* row, std::size_t lo, std::size_t hi, std::size_t kw) {
  const float mx = lane_max(row + lo, hi - lo);
  if (lo >= hi || mx == -std::numeric_limits<float>::infinity()) {
    std::fill(row, row + kw, 0.f);
    return;
  }
  float* r = row + lo;
  const std::size_t n = hi - lo;
  for (std::size_t j = 0; j < n; ++j) r[j] = common::exp_fast(r[j] - mx);
  const float inv = 1.f / lane_sum(n, [r](std::size_t j) { return r[j]; });
  for (std::size_t j = 0; j < n; ++j) r[j] *= inv;
  std::fill(row, row + lo, 0.f);
  std::fill(row + hi, row + kw, 0.f);
}

}  // namespace

void attention_dense(const AttentionShape& s, const float* probs, std::size_t b, std::size_t h, float* out) {
  const std::size_t kw = s.key_width();
  const float* p = probs + (b * s.heads + h) * s.seq * kw;  // [T, kw]
  std::fill(out, out + s.seq * s.seq, 0.f);
  for (std::size_t q0 = 0; q0 < s.seq; q0 += s.block()) {
    const Block blk = block_of(s, q0);
    for (std::size_t i = 0; i < blk.nq; ++i)
      std::copy(p + (q0 + i) * kw, p + (q0 + i) * kw + blk.nk, out + (q0 + i) * s.seq + blk.k0);
  }
}

void attention_forward(const AttentionShape& s, const float* qkv, const std::int32_t* lengths, float* probs,
                       float* ctx, int threads, const float* drop) {
  const std::size_t d = s.d(), ld = 3 * d, dh = s.head_dim, kw = s.key_width();
  const float scale = 1.f / std::sqrt(static_cast<float>(dh));
  common::ScopedBlasThreads single(1);  // each (batch, head) pair: one pool thread, single-threaded BLAS
  // Per-thread scratch: K_blkᵀ [dh, kw], (with drop) the dropped-out
  // probabilities [block, kw], Q_blk [block, dh] and V_blk [kw, dh].
  const std::size_t scratch_n = scratch_floats(s);
  common::parallel_for(s.batch * s.heads, threads, [&](std::size_t bh, int worker) {
    const std::size_t b = bh / s.heads, h = bh % s.heads;
    const auto len = static_cast<std::size_t>(lengths[b]);
    const float* q = qkv + b * s.seq * ld + h * dh;  // [T, dh] with ld
    const float* k = q + d;
    const float* v = q + 2 * d;
    float* p = probs + bh * s.seq * kw;  // [T, kw]
    float* out = ctx + b * s.seq * d + h * dh;
    for (std::size_t q0 = 0; q0 < s.seq; q0 += s.block()) {
      const Block blk = block_of(s, q0);
      float* pb = p + q0 * kw;  // [nq, kw], first nk columns used
      // scores[nq, nk] = Q_blk · K_blkᵀ · scale
      float* kbt = thread_scratch(scratch_n);  // [dh, nk]
      float* qs = kbt + dh * kw + (drop ? s.block() * kw : 0);  // [nq, dh]
      float* vs = qs + s.block() * dh;  // [nk, dh]
      transpose(k + blk.k0 * ld, blk.nk, dh, ld, kbt, blk.nk);
      copy_rows(q + q0 * ld, blk.nq, dh, ld, qs);
      copy_rows(v + blk.k0 * ld, blk.nk, dh, ld, vs);
      small_gemm(blk.nq, blk.nk, dh, scale, qs, dh, kbt, blk.nk, false, pb, kw);
      for (std::size_t i = 0; i < blk.nq; ++i) {
        const auto [lo, hi] = visible_range(s, q0 + i, blk.k0, blk.nk, len);
        softmax_row(pb + i * kw, lo, hi, kw);
      }
      const float* weights = pb;  // [nq, kw]
      if (drop) {  // P' = P ⊙ dropout scales
        float* pd = thread_scratch(scratch_n) + dh * kw;
        const float* m = drop + bh * s.seq * kw + q0 * kw;
        for (std::size_t i = 0; i < blk.nq * kw; ++i) pd[i] = pb[i] * m[i];
        weights = pd;
      }
      // ctx_blk[nq, dh] = P[nq, nk] · V_blk[nk, dh]
      small_gemm(blk.nq, dh, blk.nk, 1.f, weights, kw, vs, dh, false, out + q0 * d, d);
    }
  });
}

void attention_backward(const AttentionShape& s, const float* qkv, const std::int32_t* lengths, const float* probs,
                        const float* dctx, float* dqkv, int threads, const float* drop) {
  const std::size_t d = s.d(), ld = 3 * d, dh = s.head_dim, kw = s.key_width();
  const float scale = 1.f / std::sqrt(static_cast<float>(dh));
  (void)lengths;  // masked entries have probability 0, so their gradients vanish
  // Full attention has one block per head, so dK and dV are written (beta 0)
  // by its GEMMs; windowed blocks overlap in keys, so each head zeroes its
  // dK, dV columns first and the blocks accumulate (beta 1).
  const float beta_kv = s.window == 0 ? 0.f : 1.f;
  common::ScopedBlasThreads single(1);  // each (batch, head) pair: one pool thread, single-threaded BLAS
  // Per thread: dP [block, kw], P ⊙ scales [block, kw] (with drop), and the
  // transposes V_blkᵀ [dh, kw], P'ᵀ or dSᵀ [kw, block].
  const std::size_t bk = s.block() * kw;
  const std::size_t scratch_n = scratch_floats(s);
  common::parallel_for(s.batch * s.heads, threads, [&](std::size_t bh, int worker) {
    const std::size_t b = bh / s.heads, h = bh % s.heads;
    const float* q = qkv + b * s.seq * ld + h * dh;
    const float* k = q + d;
    const float* v = q + 2 * d;
    float* dq = dqkv + b * s.seq * ld + h * dh;
    float* dk = dq + d;
    float* dv = dq + 2 * d;
    const float* p = probs + bh * s.seq * kw;
    const float* dout = dctx + b * s.seq * d + h * dh;
    float* dp = thread_scratch(scratch_n);  // [nq, kw]
    float* pd = dp + bk;  // [nq, kw] P ⊙ dropout scales (with drop)
    float* vt = dp + bk * (drop ? 2 : 1);  // [dh, nk] V_blkᵀ
    float* tt = vt + dh * kw;  // [nk, nq] P'ᵀ, then dSᵀ
    if (s.window != 0)
      for (std::size_t t = 0; t < s.seq; ++t) {
        std::memset(dk + t * ld, 0, dh * sizeof(float));
        std::memset(dv + t * ld, 0, dh * sizeof(float));
      }
    for (std::size_t q0 = 0; q0 < s.seq; q0 += s.block()) {
      const Block blk = block_of(s, q0);
      const float* pb = p + q0 * kw;
      const float* m = drop ? drop + bh * s.seq * kw + q0 * kw : nullptr;  // [nq, kw]
      const float* weights = pb;  // what weighted V in the forward
      if (m) {
        for (std::size_t i = 0; i < blk.nq * kw; ++i) pd[i] = pb[i] * m[i];
        weights = pd;
      }
      // dV_blk += P'ᵀ · dctx_blk ; dP' = dctx_blk · V_blkᵀ ; dP = dP' ⊙ scales
      const bool acc = beta_kv != 0.f;
      transpose(weights, blk.nq, blk.nk, kw, tt, blk.nq);
      small_gemm(blk.nk, dh, blk.nq, 1.f, tt, blk.nq, dout + q0 * d, d, acc, dv + blk.k0 * ld, ld);
      transpose(v + blk.k0 * ld, blk.nk, dh, ld, vt, blk.nk);
      small_gemm(blk.nq, blk.nk, dh, 1.f, dout + q0 * d, d, vt, blk.nk, false, dp, kw);
      if (m)
        for (std::size_t i = 0; i < blk.nq * kw; ++i) dp[i] *= m[i];
      // dS = P ⊙ (dP - Σ_j dP·P) · scale
      for (std::size_t i = 0; i < blk.nq; ++i) {
        const float* pr = pb + i * kw;
        float* r = dp + i * kw;
        const float dot = lane_sum(blk.nk, [r, pr](std::size_t j) { return r[j] * pr[j]; });
        for (std::size_t j = 0; j < blk.nk; ++j) r[j] = pr[j] * (r[j] - dot) * scale;
      }
      // dQ_blk = dS · K_blk ; dK_blk += dSᵀ · Q_blk
      small_gemm(blk.nq, dh, blk.nk, 1.f, dp, kw, k + blk.k0 * ld, ld, false, dq + q0 * ld, ld);
      transpose(dp, blk.nq, blk.nk, kw, tt, blk.nq);
      small_gemm(blk.nk, dh, blk.nq, 1.f, tt, blk.nq, q + q0 * ld, ld, acc, dk + blk.k0 * ld, ld);
    }
  });
}

void attention_ref(const AttentionShape& s, const float* qkv, const std::int32_t* lengths, float* ctx) {
  const std::size_t d = s.d(), ld = 3 * d, dh = s.head_dim;
  std::vector<double> w(s.seq);
  for (std::size_t b = 0; b < s.batch; ++b)
    for (std::size_t h = 0; h < s.heads; ++h)
      for (std::size_t i = 0; i < s.seq; ++i) {
        const float* q = qkv + (b * s.seq + i) * ld + h * dh;
        double mx = -1e300, sum = 0;
        for (std::size_t j = 0; j < s.seq; ++j) {
          w[j] = -1e300;
          if (!visible(s, i, j, static_cast<std::size_t>(lengths[b]))) continue;
          const float* k = qkv + (b * s.seq + j) * ld + d + h * dh;
          double dot = 0;
          for (std::size_t c = 0; c < dh; ++c) dot += static_cast<double>(q[c]) * k[c];
          w[j] = dot / std::sqrt(static_cast<double>(dh));
          mx = std::max(mx, w[j]);
        }
        for (std::size_t j = 0; j < s.seq; ++j) sum += w[j] = w[j] <= -1e299 ? 0.0 : std::exp(w[j] - mx);
        float* out = ctx + (b * s.seq + i) * d + h * dh;
        for (std::size_t c = 0; c < dh; ++c) {
          double acc = 0;
          for (std::size_t j = 0; j < s.seq; ++j) acc += w[j] * qkv[(b * s.seq + j) * ld + 2 * d + h * dh + c];
          out[c] = sum > 0 ? static_cast<float>(acc / sum) : 0.f;
        }
      }
}

}  // namespace enc
