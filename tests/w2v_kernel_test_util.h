// Helpers of the Word2Vec kernel tests (test_batch_kernel.cc,
// test_cbow_batch_kernel.cc): random matrices, copies, bit comparison, and
// the finite-difference check of a kernel's step against a loss.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <vector>

#include "common/aligned.h"
#include "word2vec/sampling.h"

namespace w2vtest {

using common::Matrix;

inline void fill(Matrix& m, std::mt19937& rng, float scale) {
  std::uniform_real_distribution<float> u(-scale, scale);
  for (std::size_t r = 0; r < m.rows(); ++r)
    for (std::size_t i = 0; i < m.cols(); ++i) m.at(r, i) = u(rng);
}

inline Matrix copy_of(const Matrix& m) {
  Matrix c(m.rows(), m.cols());
  for (std::size_t r = 0; r < m.rows(); ++r)
    for (std::size_t i = 0; i < m.ld(); ++i) c.row(r)[i] = m.row(r)[i];
  return c;
}

inline bool same_bits(const Matrix& a, const Matrix& b) {
  for (std::size_t r = 0; r < a.rows(); ++r)
    if (!std::equal(a.row(r), a.row(r) + a.ld(), b.row(r))) return false;
  return true;
}

// -log σ(z), stable for either sign.
inline double neg_log_sigmoid(double z) { return z >= 0 ? std::log1p(std::exp(-z)) : -z + std::log1p(std::exp(z)); }

inline double row_dot(const Matrix& a, std::size_t ra, const Matrix& b, std::size_t rb) {
  double s = 0;
  for (std::size_t i = 0; i < a.cols(); ++i) s += double(a.at(ra, i)) * b.at(rb, i);
  return s;
}

// A near-exact sigmoid table, so steps can be compared with derivatives.
inline const w2v::SigmoidTable& fine_table() {
  static const w2v::SigmoidTable t(2'000'000);
  return t;
}

// Central differences of loss() in every entry of m, compared with the step
// a kernel took: after - before == -alpha · ∂L/∂m.
inline void check_matrix_step(Matrix& m, const Matrix& before, const Matrix& after, double alpha,
                              const std::function<double()>& loss) {
  constexpr double eps = 1e-3;
  double largest = 0;
  std::vector<double> want(m.rows() * m.cols());
  for (std::size_t r = 0; r < m.rows(); ++r)
    for (std::size_t i = 0; i < m.cols(); ++i) {
      const float keep = m.at(r, i);
      m.at(r, i) = static_cast<float>(keep + eps);
      const double up = loss();
      m.at(r, i) = static_cast<float>(keep - eps);
      const double down = loss();
      m.at(r, i) = keep;
      // The float perturbation is not exactly ±eps: divide by the step taken.
      const double h = double(static_cast<float>(keep + eps)) - double(static_cast<float>(keep - eps));
      want[r * m.cols() + i] = -alpha * (up - down) / h;
      largest = std::max(largest, std::abs(want[r * m.cols() + i]));
    }
  const double tol = 2e-3 * largest + 1e-9;
  int bad = 0;
  for (std::size_t r = 0; r < m.rows(); ++r) {
    for (std::size_t i = 0; i < m.cols(); ++i) {
      const double step = double(after.at(r, i)) - before.at(r, i);
      if (std::abs(step - want[r * m.cols() + i]) > tol) {
        ++bad;
        CAPTURE(r);
        CAPTURE(i);
        CAPTURE(step);
        CHECK(step == doctest::Approx(want[r * m.cols() + i]));
      }
    }
    for (std::size_t i = m.cols(); i < m.ld(); ++i) CHECK(after.row(r)[i] == 0.f);  // padding untouched
  }
  CHECK(bad == 0);
}

}  // namespace w2vtest
