#include "encoder/simcse.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace enc {

double simcse_loss(const float* z, std::size_t b, std::size_t d, float temperature, float* dz, std::size_t* correct) {
  // u = z / |z| for all 2B rows.
  std::vector<double> u(2 * b * d), norm(2 * b);
  for (std::size_t i = 0; i < 2 * b; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < d; ++j) s += static_cast<double>(z[i * d + j]) * z[i * d + j];
    norm[i] = std::sqrt(s) + 1e-12;
    for (std::size_t j = 0; j < d; ++j) u[i * d + j] = z[i * d + j] / norm[i];
  }
  // s_ij = u_i · v_j / τ with v_j = u_{B+j}; g_ij = (softmax_i(j) - δ_ij) / B.
  std::vector<double> g(b * b), du(2 * b * d, 0.0);
  double loss = 0;
  for (std::size_t i = 0; i < b; ++i) {
    double mx = -1e300;
    for (std::size_t k = 0; k < b; ++k) {
      double s = 0;
      for (std::size_t j = 0; j < d; ++j) s += u[i * d + j] * u[(b + k) * d + j];
      g[i * b + k] = s / temperature;
      mx = std::max(mx, g[i * b + k]);
    }
    if (correct && g[i * b + i] >= mx) ++*correct;
    double sum = 0;
    for (std::size_t k = 0; k < b; ++k) sum += std::exp(g[i * b + k] - mx);
    loss += std::log(sum) + mx - g[i * b + i];
    for (std::size_t k = 0; k < b; ++k) g[i * b + k] = (std::exp(g[i * b + k] - mx) / sum - (i == k ? 1.0 : 0.0)) / b;
  }
  if (!dz) return loss / static_cast<double>(b);
  // du_i = Σ_k g_ik v_k / τ ; dv_k = Σ_i g_ik u_i / τ
  for (std::size_t i = 0; i < b; ++i)
    for (std::size_t k = 0; k < b; ++k) {
      const double w = g[i * b + k] / temperature;
      for (std::size_t j = 0; j < d; ++j) {
        du[i * d + j] += w * u[(b + k) * d + j];
        du[(b + k) * d + j] += w * u[i * d + j];
      }
    }
  // Through the normalisation: dz = (du - u (u·du)) / |z|.
  for (std::size_t i = 0; i < 2 * b; ++i) {
    double dot = 0;
    for (std::size_t j = 0; j < d; ++j) dot += u[i * d + j] * du[i * d + j];
    for (std::size_t j = 0; j < d; ++j) dz[i * d + j] = static_cast<float>((du[i * d + j] - u[i * d + j] * dot) / norm[i]);
  }
  return loss / static_cast<double>(b);
}

}  // namespace enc
