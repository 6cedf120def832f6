#include "encoder/logistic_pair_head.h"

#include <cmath>

#include "common/errors.h"
#include "encoder/ops.h"

namespace enc {

LogisticPairHead::LogisticPairHead(std::size_t d, float lr)
    : d_(d), lr_(lr), w_(2 * d + 1, 0.f), g_(2 * d + 1, 0.f), m_(2 * d + 1, 0.f), v_(2 * d + 1, 0.f) {}

double LogisticPairHead::logit(const float* u, const float* v) const {
  double z = w_[2 * d_];
  for (std::size_t j = 0; j < d_; ++j)
    z += static_cast<double>(w_[j]) * u[j] * v[j] + static_cast<double>(w_[d_ + j]) * std::abs(u[j] - v[j]);
  return z;
}

double LogisticPairHead::probability(const float* u, const float* v) const { return 1.0 / (1.0 + std::exp(-logit(u, v))); }

double LogisticPairHead::loss(const float* u, const float* v, const float* gold, std::size_t n, std::size_t d, float* du,
                              float* dv) {
  if (d != d_) throw common::InputError("logistic pair head: vectors of " + std::to_string(d) + " dimensions, not " + std::to_string(d_));
  std::fill(g_.begin(), g_.end(), 0.f);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float *ui = u + i * d, *vi = v + i * d;
    const double z = logit(ui, vi), y = gold[i];
    // BCE of σ(z) = softplus(z) − y z, computed stably; ∂/∂z = σ(z) − y.
    total += (z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z))) - y * z;
    const double dz = (1.0 / (1.0 + std::exp(-z)) - y) / static_cast<double>(n);
    for (std::size_t j = 0; j < d; ++j) {
      const double diff = ui[j] - vi[j], sign = diff > 0 ? 1.0 : diff < 0 ? -1.0 : 0.0;
      g_[j] += static_cast<float>(dz * ui[j] * vi[j]);
      g_[d + j] += static_cast<float>(dz * std::abs(diff));
      du[i * d + j] = static_cast<float>(dz * (w_[j] * vi[j] + w_[d + j] * sign));
      dv[i * d + j] = static_cast<float>(dz * (w_[j] * ui[j] - w_[d + j] * sign));
    }
    g_[2 * d] += static_cast<float>(dz);
  }
  return total / static_cast<double>(n);
}

void LogisticPairHead::update(long step) {
  adamw_step(w_.data(), g_.data(), m_.data(), v_.data(), w_.size(), lr_, 0.9f, 0.999f, 1e-8f, 0.f, step);
}

}  // namespace enc
