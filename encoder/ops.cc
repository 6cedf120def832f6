#include "encoder/ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "common/blas.h"
#include "common/fast_math.h"
#include "common/parallel.h"
#include "encoder/row_reduce.h"

namespace enc {

namespace {

// fn(begin, end, ith) over `threads` contiguous shares of n items (one share
// on this thread when n is small or threads <= 1).
template <class Fn>
void for_shares(std::size_t n, int threads, std::size_t min_share, Fn&& fn) {
  const int nth = std::max(1, std::min(threads, static_cast<int>(n / std::max<std::size_t>(min_share, 1))));
  if (nth <= 1) {
    fn(std::size_t{0}, n, 0);
    return;
  }
  common::ThreadPool::shared().run(nth, [&](int ith, int nt) {
    const auto [b, e] = common::split_range(n, ith, nt);
    fn(b, e, ith);
  });
}

void layernorm_rows(const float* x, std::size_t r0, std::size_t r1, std::size_t d, const float* gamma,
                    const float* beta, float eps, float* y, float* mean, float* rstd) {
  const float inv_d = 1.f / static_cast<float>(d);
  for (std::size_t i = r0; i < r1; ++i) {
    const float* r = x + i * d;
    const float m = lane_sum(d, [r](std::size_t j) { return r[j]; }) * inv_d;
    const float var = lane_sum(d, [r, m](std::size_t j) { return (r[j] - m) * (r[j] - m); }) * inv_d;
    const float s = 1.f / std::sqrt(var + eps);
    float* o = y + i * d;
    for (std::size_t j = 0; j < d; ++j) o[j] = (r[j] - m) * s * gamma[j] + beta[j];
    mean[i] = m;
    rstd[i] = s;
  }
}

// dx of rows [r0, r1); dgamma/dbeta of those rows added into dg/db.
void layernorm_backward_rows(const float* dy, const float* x, std::size_t r0, std::size_t r1, std::size_t d,
                             const float* gamma, const float* mean, const float* rstd, float* dx, float* dg,
                             float* db, bool accumulate) {
  const float inv_d = 1.f / static_cast<float>(d);
  for (std::size_t i = r0; i < r1; ++i) {
    const float* r = x + i * d;
    const float* g = dy + i * d;
    const float m = mean[i], s = rstd[i];
    const float sum_dh = lane_sum(d, [g, gamma](std::size_t j) { return g[j] * gamma[j]; }) * inv_d;
    const float sum_dh_xhat =
        lane_sum(d, [=](std::size_t j) { return g[j] * gamma[j] * ((r[j] - m) * s); }) * inv_d;
    // Separate loops for dgamma/dbeta and for dx, each with few enough
    // pointers that GCC 12 vectorises it (one loop needs more than 10 alias
    // checks and stays scalar without AVX-512).
    for (std::size_t j = 0; j < d; ++j) {
      dg[j] += g[j] * ((r[j] - m) * s);
      db[j] += g[j];
    }
    float* o = dx + i * d;
    auto dx_of = [=](std::size_t j) {
      const float xhat = (r[j] - m) * s;
      return s * (g[j] * gamma[j] - sum_dh - xhat * sum_dh_xhat);
    };
    if (accumulate)
      for (std::size_t j = 0; j < d; ++j) o[j] += dx_of(j);
    else
      for (std::size_t j = 0; j < d; ++j) o[j] = dx_of(j);
  }
}

}  // namespace

void linear_forward(const float* x, std::size_t n, std::size_t in, const float* w, const float* b, std::size_t out,
                    float* y, int threads) {
  if (b) {
    for (std::size_t i = 0; i < n; ++i) std::memcpy(y + i * out, b, out * sizeof(float));
  }
  common::gemm_mt(threads, false, true, n, out, in, 1.f, x, in, w, in, b ? 1.f : 0.f, y, out);
}

void linear_backward(const float* dy, const float* x, std::size_t n, std::size_t in, const float* w, std::size_t out,
                     float* dx, float* dw, float* db, bool accumulate_dx, int threads) {
  if (dx) common::gemm_mt(threads, false, false, n, in, out, 1.f, dy, out, w, in, accumulate_dx ? 1.f : 0.f, dx, in);
  common::gemm_mt(threads, true, false, out, in, n, 1.f, dy, out, x, in, 1.f, dw, in);
  if (db) bias_grad(dy, n, out, db, threads);
}

void bias_grad_ref(const float* dy, std::size_t n, std::size_t out, float* db) {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < out; ++j) db[j] += dy[i * out + j];
}

void bias_grad(const float* dy, std::size_t n, std::size_t out, float* db, int threads) {
  // Each thread sums its columns over all rows in row order (the reference's
  // order per column: the same sums for any number of threads), kBlock
  // columns at a time in registers.
  constexpr std::size_t kBlock = 128;
  const std::size_t col_blocks = (out + 15) / 16;
  for_shares(col_blocks, threads, 4, [&](std::size_t c0, std::size_t c1, int) {
    for (std::size_t j0 = c0 * 16, j_end = std::min(out, c1 * 16); j0 < j_end; j0 += kBlock) {
      const std::size_t w = std::min(kBlock, j_end - j0);
      float acc[kBlock];  // [w] running sums of columns j0..j0+w
      std::memcpy(acc, db + j0, w * sizeof(float));
      if (w == kBlock) {  // fixed trip count: the accumulators stay in registers
        for (std::size_t i = 0; i < n; ++i) {
          const float* r = dy + i * out + j0;
          for (std::size_t j = 0; j < kBlock; ++j) acc[j] += r[j];
        }
      } else {
        for (std::size_t i = 0; i < n; ++i) {
          const float* r = dy + i * out + j0;
          for (std::size_t j = 0; j < w; ++j) acc[j] += r[j];
        }
      }
      std::memcpy(db + j0, acc, w * sizeof(float));
    }
  });
}


void layernorm_forward(const float* x, std::size_t n, std::size_t d, const float* gamma, const float* beta, float eps,
                       float* y, float* mean, float* rstd, int threads) {
  for_shares(n, threads, 64, [&](std::size_t r0, std::size_t r1, int) {
    layernorm_rows(x, r0, r1, d, gamma, beta, eps, y, mean, rstd);
  });
}

void layernorm_backward(const float* dy, const float* x, std::size_t n, std::size_t d, const float* gamma,
                        const float* mean, const float* rstd, float* dx, float* dgamma, float* dbeta,
                        bool accumulate_dx, int threads) {
  constexpr std::size_t kRows = 64;  // rows per chunk: dgamma/dbeta partial sums per chunk, added in chunk order
  const std::size_t chunks = (n + kRows - 1) / kRows;
  // Per chunk: dgamma [d], dbeta [d]; this (calling) thread's buffer, kept
  // between calls. The workers see it through `parts`: a lambda naming a
  // thread_local would reach the worker's own instance.
  thread_local std::vector<float> part;
  part.assign(chunks * 2 * d, 0.f);
  float* parts = part.data();
  common::parallel_for(chunks, threads, [&](std::size_t c, int) {
    float* p = parts + c * 2 * d;
    layernorm_backward_rows(dy, x, c * kRows, std::min(n, (c + 1) * kRows), d, gamma, mean, rstd, dx, p, p + d,
                            accumulate_dx);
  });
  for (std::size_t c = 0; c < chunks; ++c) {
    const float* p = parts + c * 2 * d;
    for (std::size_t j = 0; j < d; ++j) dgamma[j] += p[j], dbeta[j] += p[d + j];
  }
}

void layernorm_ref(const float* x, std::size_t n, std::size_t d, const float* gamma, const float* beta, float eps,
                   float* y) {
  for (std::size_t i = 0; i < n; ++i) {
    double m = 0, v = 0;
    for (std::size_t j = 0; j < d; ++j) m += x[i * d + j];
    m /= static_cast<double>(d);
    for (std::size_t j = 0; j < d; ++j) v += (x[i * d + j] - m) * (x[i * d + j] - m);
    v /= static_cast<double>(d);
    for (std::size_t j = 0; j < d; ++j)
      y[i * d + j] = static_cast<float>((x[i * d + j] - m) / std::sqrt(v + eps) * gamma[j] + beta[j]);
  }
}

// GELU uses the vectorisable erf/exp of common/fast_math.h (|error| < 1e-6).
void gelu_forward(const float* x, std::size_t count, float* y, int threads) {
  constexpr float kInvSqrt2 = 0.70710678118654752f;
  for_shares(count, threads, 1 << 14, [&](std::size_t b, std::size_t e, int) {
    for (std::size_t i = b; i < e; ++i) y[i] = 0.5f * x[i] * (1.f + common::erf_fast(x[i] * kInvSqrt2));
  });
}

void gelu_backward(const float* dy, const float* x, std::size_t count, float* dx, int threads) {
  constexpr float kInvSqrt2 = 0.70710678118654752f, kInvSqrt2Pi = 0.39894228040143268f;
  for_shares(count, threads, 1 << 14, [&](std::size_t b, std::size_t e, int) {
    for (std::size_t i = b; i < e; ++i) {
      const float cdf = 0.5f * (1.f + common::erf_fast(x[i] * kInvSqrt2));
      const float pdf = kInvSqrt2Pi * common::exp_fast(-0.5f * x[i] * x[i]);
      dx[i] = dy[i] * (cdf + x[i] * pdf);
    }
  });
}

void gelu_ref(const float* x, std::size_t count, float* y) {
  for (std::size_t i = 0; i < count; ++i)
    y[i] = static_cast<float>(0.5 * x[i] * (1.0 + std::erf(static_cast<double>(x[i]) / std::sqrt(2.0))));
}

void relu_forward(const float* x, std::size_t count, float* y) {
  for (std::size_t i = 0; i < count; ++i) y[i] = x[i] > 0.f ? x[i] : 0.f;
}

void relu_backward(const float* dy, const float* x, std::size_t count, float* dx) {
  for (std::size_t i = 0; i < count; ++i) dx[i] = x[i] > 0.f ? dy[i] : 0.f;
}

void sinusoidal_positions(std::size_t max_len, std::size_t d, float* pe) {
  for (std::size_t p = 0; p < max_len; ++p)
    for (std::size_t i = 0; i < d; i += 2) {
      const double angle = static_cast<double>(p) / std::pow(10000.0, static_cast<double>(i) / static_cast<double>(d));
      pe[p * d + i] = static_cast<float>(std::sin(angle));
      if (i + 1 < d) pe[p * d + i + 1] = static_cast<float>(std::cos(angle));
    }
}

// Fills scale[n] with 0 (probability p) or 1/(1-p), from a counter-based
// hash of (key, i) — reproducible and vectorisable.
void dropout_mask(float* scale, std::size_t n, float p, std::uint64_t key, std::size_t offset) {
  const float keep = 1.f / (1.f - p);
  const auto threshold = static_cast<std::uint32_t>(static_cast<double>(p) * 4294967295.0);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t z = key + (offset + i + 1) * 0x9E3779B97F4A7C15ULL;  // splitmix64 finaliser
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    scale[i] = static_cast<std::uint32_t>(z >> 32) < threshold ? 0.f : keep;
  }
}
// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized inside their own
// intrinsics (GCC bug 105593, as in common/simd.h).
#pragma GCC diagnostic push
#if !defined(__clang__)  // clang has no such warning group
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
void adamw_step(float* p, const float* g, float* m, float* v, std::size_t n, float lr, float beta1, float beta2,
                float eps, float weight_decay, long step, int threads, float grad_scale) {
  const float bc1 = 1.f - std::pow(beta1, static_cast<float>(step));
  const float bc2 = 1.f - std::pow(beta2, static_cast<float>(step));
  const float step_size = lr / bc1, inv_sqrt_bc2 = 1.f / std::sqrt(bc2);
  const float lr_wd = lr * weight_decay;
  for_shares(n, threads, 1 << 15, [&](std::size_t b, std::size_t e, int) {
#if defined(__AVX512F__)
    // (GCC does not vectorise std::sqrt while it may have to set errno.)
    // Every element, tail included, goes through the same vector ops, so
    // the result does not depend on where the shares split.
    const __m512 vlr_wd = _mm512_set1_ps(lr_wd), vb1 = _mm512_set1_ps(beta1), vc1 = _mm512_set1_ps(1.f - beta1),
                 vb2 = _mm512_set1_ps(beta2), vc2 = _mm512_set1_ps(1.f - beta2), vstep = _mm512_set1_ps(step_size),
                 vbc2 = _mm512_set1_ps(inv_sqrt_bc2), veps = _mm512_set1_ps(eps), vgs = _mm512_set1_ps(grad_scale);
    for (std::size_t i = b; i < e; i += 16) {
      const __mmask16 k = e - i >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << (e - i)) - 1);
      const __m512 gi = _mm512_mul_ps(_mm512_maskz_loadu_ps(k, g + i), vgs);
      __m512 pi = _mm512_maskz_loadu_ps(k, p + i);
      pi = _mm512_sub_ps(pi, _mm512_mul_ps(vlr_wd, pi));
      const __m512 mi = _mm512_add_ps(_mm512_mul_ps(vb1, _mm512_maskz_loadu_ps(k, m + i)), _mm512_mul_ps(vc1, gi));
      const __m512 vi = _mm512_add_ps(_mm512_mul_ps(vb2, _mm512_maskz_loadu_ps(k, v + i)),
                                      _mm512_mul_ps(_mm512_mul_ps(vc2, gi), gi));
      const __m512 den = _mm512_add_ps(_mm512_mul_ps(_mm512_sqrt_ps(vi), vbc2), veps);
      pi = _mm512_sub_ps(pi, _mm512_div_ps(_mm512_mul_ps(vstep, mi), den));
      _mm512_mask_storeu_ps(p + i, k, pi);
      _mm512_mask_storeu_ps(m + i, k, mi);
      _mm512_mask_storeu_ps(v + i, k, vi);
    }
#else
    // Local restrict copies: through the lambda's captured references GCC
    // cannot tell the stores from the pointers and leaves the loop scalar.
    float* __restrict pp = p;
    float* __restrict mm = m;
    float* __restrict vv = v;
    const float* __restrict gg = g;
    const float gs = grad_scale, wd = lr_wd, b1 = beta1, b2 = beta2, c1 = 1.f - beta1, c2 = 1.f - beta2,
                st = step_size, ib = inv_sqrt_bc2, ep = eps;
    for (std::size_t i = b; i < e; ++i) {
      const float gi = gg[i] * gs;
      pp[i] -= wd * pp[i];
      mm[i] = b1 * mm[i] + c1 * gi;
      vv[i] = b2 * vv[i] + c2 * gi * gi;
      pp[i] -= st * mm[i] / (std::sqrt(vv[i]) * ib + ep);
    }
#endif
  });
}
#pragma GCC diagnostic pop

double grad_norm(const float* g, std::size_t n, int threads) {
  constexpr std::size_t kChunk = std::size_t{1} << 16;
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<double> part(chunks, 0.0);
  common::parallel_for(chunks, threads, [&](std::size_t c, int) {
    const float* x = g + c * kChunk;
    const std::size_t len = std::min(kChunk, n - c * kChunk);
    double acc[4] = {};  // four partial sums per chunk
    std::size_t i = 0;
    for (; i + 4 <= len; i += 4)
      for (std::size_t k = 0; k < 4; ++k) acc[k] += static_cast<double>(x[i + k]) * x[i + k];
    for (; i < len; ++i) acc[0] += static_cast<double>(x[i]) * x[i];
    part[c] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  });
  double s = 0;
  for (double v : part) s += v;
  return std::sqrt(s);
}

float clip_factor(double norm, double max_norm) {
  return max_norm > 0 && norm > max_norm ? static_cast<float>(max_norm / (norm + 1e-6)) : 1.f;
}

double clip_grad_norm(float* g, std::size_t n, double max_norm, int threads) {
  const double norm = grad_norm(g, n, threads);
  const float scale = clip_factor(norm, max_norm);
  if (scale != 1.f)
    for_shares(n, threads, 1 << 15, [&](std::size_t b, std::size_t e, int) {
      for (std::size_t i = b; i < e; ++i) g[i] *= scale;
    });
  return norm;
}

}  // namespace enc
