#include "encoder/ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/blas.h"
#include "common/fast_math.h"

namespace enc {

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
  if (db)
    for (std::size_t i = 0; i < n; ++i) {
      const float* r = dy + i * out;
      for (std::size_t j = 0; j < out; ++j) db[j] += r[j];
    }
}

void layernorm_forward(const float* x, std::size_t n, std::size_t d, const float* gamma, const float* beta, float eps,
                       float* y, float* mean, float* rstd) {
  for (std::size_t i = 0; i < n; ++i) {
    const float* r = x + i * d;
    float m = 0;
    for (std::size_t j = 0; j < d; ++j) m += r[j];
    m /= static_cast<float>(d);
    float var = 0;
    for (std::size_t j = 0; j < d; ++j) var += (r[j] - m) * (r[j] - m);
    var /= static_cast<float>(d);
    const float s = 1.f / std::sqrt(var + eps);
    float* o = y + i * d;
    for (std::size_t j = 0; j < d; ++j) o[j] = (r[j] - m) * s * gamma[j] + beta[j];
    mean[i] = m;
    rstd[i] = s;
  }
}

void layernorm_backward(const float* dy, const float* x, std::size_t n, std::size_t d, const float* gamma,
                        const float* mean, const float* rstd, float* dx, float* dgamma, float* dbeta) {
  for (std::size_t i = 0; i < n; ++i) {
    const float* r = x + i * d;
    const float* g = dy + i * d;
    const float m = mean[i], s = rstd[i];
    float sum_dh = 0, sum_dh_xhat = 0;
    for (std::size_t j = 0; j < d; ++j) {
      const float xhat = (r[j] - m) * s;
      const float dh = g[j] * gamma[j];
      sum_dh += dh;
      sum_dh_xhat += dh * xhat;
      dgamma[j] += g[j] * xhat;
      dbeta[j] += g[j];
    }
    sum_dh /= static_cast<float>(d);
    sum_dh_xhat /= static_cast<float>(d);
    float* o = dx + i * d;
    for (std::size_t j = 0; j < d; ++j) {
      const float xhat = (r[j] - m) * s;
      o[j] = s * (g[j] * gamma[j] - sum_dh - xhat * sum_dh_xhat);
    }
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
void gelu_forward(const float* x, std::size_t count, float* y) {
  constexpr float kInvSqrt2 = 0.70710678118654752f;
  for (std::size_t i = 0; i < count; ++i) y[i] = 0.5f * x[i] * (1.f + common::erf_fast(x[i] * kInvSqrt2));
}

void gelu_backward(const float* dy, const float* x, std::size_t count, float* dx) {
  constexpr float kInvSqrt2 = 0.70710678118654752f, kInvSqrt2Pi = 0.39894228040143268f;
  for (std::size_t i = 0; i < count; ++i) {
    const float cdf = 0.5f * (1.f + common::erf_fast(x[i] * kInvSqrt2));
    const float pdf = kInvSqrt2Pi * common::exp_fast(-0.5f * x[i] * x[i]);
    dx[i] = dy[i] * (cdf + x[i] * pdf);
  }
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
void adamw_step(float* p, const float* g, float* m, float* v, std::size_t n, float lr, float beta1, float beta2,
                float eps, float weight_decay, long step) {
  const float bc1 = 1.f - std::pow(beta1, static_cast<float>(step));
  const float bc2 = 1.f - std::pow(beta2, static_cast<float>(step));
  const float step_size = lr / bc1, inv_sqrt_bc2 = 1.f / std::sqrt(bc2);
  for (std::size_t i = 0; i < n; ++i) {
    p[i] -= lr * weight_decay * p[i];
    m[i] = beta1 * m[i] + (1.f - beta1) * g[i];
    v[i] = beta2 * v[i] + (1.f - beta2) * g[i] * g[i];
    p[i] -= step_size * m[i] / (std::sqrt(v[i]) * inv_sqrt_bc2 + eps);
  }
}

double clip_grad_norm(float* g, std::size_t n, double max_norm) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(g[i]) * g[i];
  const double norm = std::sqrt(s);
  if (max_norm > 0 && norm > max_norm) {
    const float scale = static_cast<float>(max_norm / (norm + 1e-6));
    for (std::size_t i = 0; i < n; ++i) g[i] *= scale;
  }
  return norm;
}

}  // namespace enc
