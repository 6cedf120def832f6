#include "compare/pca.h"

#include <cmath>

namespace cmp {

std::vector<std::array<double, 2>> project_2d(const common::Matrix& x) {
  const std::size_t n = x.rows(), d = x.cols();
  std::vector<double> mean(d, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) mean[j] += x.row(i)[j];
  for (auto& m : mean) m /= n ? static_cast<double>(n) : 1.0;
  // Covariance c[d, d] (unnormalised).
  std::vector<double> c(d * d, 0.0), r(d);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < d; ++j) r[j] = x.row(i)[j] - mean[j];
    for (std::size_t a = 0; a < d; ++a)
      for (std::size_t b = 0; b < d; ++b) c[a * d + b] += r[a] * r[b];
  }
  std::array<std::vector<double>, 2> axis;
  for (int k = 0; k < 2; ++k) {
    std::vector<double> v(d), w(d);
    for (std::size_t j = 0; j < d; ++j) v[j] = 1.0 + 0.01 * static_cast<double>(j % 7) + (k ? 0.1 * (j % 2) : 0.0);
    for (int it = 0; it < 300; ++it) {
      for (std::size_t a = 0; a < d; ++a) {
        double s = 0;
        for (std::size_t b = 0; b < d; ++b) s += c[a * d + b] * v[b];
        w[a] = s;
      }
      if (k == 1) {  // stay orthogonal to the first axis
        double p = 0;
        for (std::size_t j = 0; j < d; ++j) p += w[j] * axis[0][j];
        for (std::size_t j = 0; j < d; ++j) w[j] -= p * axis[0][j];
      }
      double norm = 0;
      for (double t : w) norm += t * t;
      norm = std::sqrt(norm);
      if (norm == 0) break;  // no variance left: the axis stays as it is
      for (std::size_t j = 0; j < d; ++j) v[j] = w[j] / norm;
    }
    std::size_t big = 0;
    for (std::size_t j = 0; j < d; ++j)
      if (std::abs(v[j]) > std::abs(v[big])) big = j;
    if (d && v[big] < 0)
      for (auto& t : v) t = -t;
    double norm = 0;
    for (double t : v) norm += t * t;
    if (norm > 0)
      for (auto& t : v) t /= std::sqrt(norm);
    axis[k] = v;
  }
  std::vector<std::array<double, 2>> out(n);
  for (std::size_t i = 0; i < n; ++i)
    for (int k = 0; k < 2; ++k) {
      double s = 0;
      for (std::size_t j = 0; j < d; ++j) s += (x.row(i)[j] - mean[j]) * axis[k][j];
      out[i][static_cast<std::size_t>(k)] = s;
    }
  return out;
}

}  // namespace cmp
