#include "encoder/cosent.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace enc {

double cosent_loss(const double* cos, const float* gold, std::size_t n, double scale, double* dc) {
  // Terms x_ij = λ(c_j − c_i) for s_i > s_j, plus the 1 (x = 0): a log-sum-exp.
  double mx = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (gold[i] > gold[j]) mx = std::max(mx, scale * (cos[j] - cos[i]));
  double sum = std::exp(-mx);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (gold[i] > gold[j]) sum += std::exp(scale * (cos[j] - cos[i]) - mx);
  if (dc) {
    // ∂L/∂c_j += λ p_ij, ∂L/∂c_i −= λ p_ij with p_ij = exp(x_ij) / (1 + Σ exp).
    std::fill(dc, dc + n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        if (gold[i] > gold[j]) {
          const double p = std::exp(scale * (cos[j] - cos[i]) - mx) / sum;
          dc[j] += scale * p;
          dc[i] -= scale * p;
        }
  }
  return std::log(sum) + mx;
}

double cosent_pairs_loss(const float* a, const float* b, std::size_t n, std::size_t d, const float* gold,
                         double scale, float* da, float* db) {
  std::vector<double> cos(n), na(n), nb(n), dc(n);
  for (std::size_t i = 0; i < n; ++i) {
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t k = 0; k < d; ++k) {
      ab += static_cast<double>(a[i * d + k]) * b[i * d + k];
      aa += static_cast<double>(a[i * d + k]) * a[i * d + k];
      bb += static_cast<double>(b[i * d + k]) * b[i * d + k];
    }
    na[i] = std::sqrt(aa), nb[i] = std::sqrt(bb);
    cos[i] = na[i] > 0 && nb[i] > 0 ? ab / (na[i] * nb[i]) : 0.0;
  }
  const double loss = cosent_loss(cos.data(), gold, n, scale, da || db ? dc.data() : nullptr);
  // ∂c/∂a = b/(|a||b|) − c a/|a|², and symmetrically for b.
  for (std::size_t i = 0; i < n; ++i) {
    const bool ok = na[i] > 0 && nb[i] > 0;
    for (std::size_t k = 0; k < d; ++k) {
      if (da) da[i * d + k] = ok ? static_cast<float>(dc[i] * (b[i * d + k] / (na[i] * nb[i]) - cos[i] * a[i * d + k] / (na[i] * na[i]))) : 0.f;
      if (db) db[i * d + k] = ok ? static_cast<float>(dc[i] * (a[i * d + k] / (na[i] * nb[i]) - cos[i] * b[i * d + k] / (nb[i] * nb[i]))) : 0.f;
    }
  }
  return loss;
}

}  // namespace enc
