// common/simd.h and common/blas.h: the fast kernels agree with their
// reference twins.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "common/aligned.h"
#include "common/blas.h"
#include "common/simd.h"

namespace {

void fill(float* p, std::size_t n, std::mt19937& rng, float scale = 1.f) {
  std::uniform_real_distribution<float> u(-scale, scale);
  for (std::size_t i = 0; i < n; ++i) p[i] = u(rng);
}

}  // namespace

TEST_CASE("aligned buffers and matrix padding") {
  CHECK(common::padded_ld(1) == 16);
  CHECK(common::padded_ld(16) == 16);
  CHECK(common::padded_ld(17) == 32);
  common::Matrix m(5, 20);
  CHECK(m.ld() == 32);
  for (std::size_t r = 0; r < m.rows(); ++r) {
    CHECK(reinterpret_cast<std::uintptr_t>(m.row(r)) % common::kAlignBytes == 0);
    for (std::size_t c = 0; c < m.ld(); ++c) CHECK(m.at(r, c) == 0.f);
  }
  common::AlignedFloats a(100);
  CHECK(reinterpret_cast<std::uintptr_t>(a.data()) % common::kAlignBytes == 0);
}

TEST_CASE("dot and axpy match their reference twins") {
  std::mt19937 rng(1);
  for (std::size_t n = 16; n <= 512; n += 16) {
    CAPTURE(n);
    common::AlignedFloats a(n), b(n), y1(n), y2(n);
    for (int rep = 0; rep < 5; ++rep) {
      fill(a.data(), n, rng);
      fill(b.data(), n, rng, 3.f);
      double mag = 0, exact = 0;
      for (std::size_t i = 0; i < n; ++i) {
        mag += std::abs(static_cast<double>(a.data()[i]) * b.data()[i]);
        exact += static_cast<double>(a.data()[i]) * b.data()[i];
      }
      const float fast = common::dot(a.data(), b.data(), n);
      const float ref = common::dot_ref(a.data(), b.data(), n);
      CHECK(std::abs(fast - ref) <= 1e-5 * mag);
      CHECK(std::abs(fast - exact) <= 1e-5 * mag);

      fill(y1.data(), n, rng);
      for (std::size_t i = 0; i < n; ++i) y2.data()[i] = y1.data()[i];
      const float alpha = std::uniform_real_distribution<float>(-2.f, 2.f)(rng);
      common::axpy(alpha, a.data(), y1.data(), n);
      common::axpy_ref(alpha, a.data(), y2.data(), n);
      int bad = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const float tol = 1e-5f * (std::abs(y2.data()[i]) + std::abs(alpha * a.data()[i]) + 1e-6f);
        bad += std::abs(y1.data()[i] - y2.data()[i]) > tol;
      }
      CHECK(bad == 0);
    }
  }
  // An exact case: small integers have exact float products and sums.
  common::AlignedFloats a(64), b(64);
  for (std::size_t i = 0; i < 64; ++i) a.data()[i] = static_cast<float>(i % 7) - 3, b.data()[i] = static_cast<float>(i % 5);
  CHECK(common::dot(a.data(), b.data(), 64) == common::dot_ref(a.data(), b.data(), 64));
}

TEST_CASE("axpy over a padded matrix row keeps the padding at zero") {
  std::mt19937 rng(2);
  for (std::size_t cols : {1, 15, 17, 20, 33, 100}) {
    CAPTURE(cols);
    common::Matrix m(3, cols);
    fill(m.row(0), cols, rng);
    fill(m.row(1), cols, rng);
    common::axpy(0.37f, m.row(0), m.row(1), m.ld());
    common::axpy(-1.5f, m.row(1), m.row(2), m.ld());
    for (std::size_t r = 0; r < 3; ++r)
      for (std::size_t c = cols; c < m.ld(); ++c) CHECK(m.at(r, c) == 0.f);
    // And the padding does not disturb dot.
    CHECK(common::dot(m.row(0), m.row(1), m.ld()) ==
          doctest::Approx(common::dot_ref(m.row(0), m.row(1), cols)).epsilon(1e-5));
  }
}

TEST_CASE("gemm matches gemm_ref for every transpose combination") {
  std::mt19937 rng(3);
  const std::size_t m = 13, n = 7, k = 21;
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (float beta : {0.f, 0.5f}) {
        CAPTURE(ta);
        CAPTURE(tb);
        CAPTURE(beta);
        // Stored shapes with leading dimensions wider than the used columns.
        const std::size_t a_rows = ta ? k : m, a_cols = ta ? m : k, lda = a_cols + 5;
        const std::size_t b_rows = tb ? n : k, b_cols = tb ? k : n, ldb = b_cols + 3;
        const std::size_t ldc = n + 9;
        std::vector<float> a(a_rows * lda), b(b_rows * ldb), c1(m * ldc), c2;
        fill(a.data(), a.size(), rng);
        fill(b.data(), b.size(), rng);
        fill(c1.data(), c1.size(), rng);
        const std::vector<float> c0 = c1;
        c2 = c1;
        const float alpha = 0.75f;
        common::gemm(ta, tb, m, n, k, alpha, a.data(), lda, b.data(), ldb, beta, c1.data(), ldc);
        common::gemm_ref(ta, tb, m, n, k, alpha, a.data(), lda, b.data(), ldb, beta, c2.data(), ldc);
        int bad = 0, touched = 0;
        for (std::size_t i = 0; i < m; ++i)
          for (std::size_t j = 0; j < ldc; ++j) {
            const float x = c1[i * ldc + j], ref = c2[i * ldc + j];
            if (j < n)
              bad += std::abs(x - ref) > 1e-4f * (1.f + std::abs(ref));
            else
              touched += x != c0[i * ldc + j] || ref != c0[i * ldc + j];  // outside the m×n block
          }
        CHECK(bad == 0);
        CHECK(touched == 0);
        // The reference itself, for one entry, against a direct sum.
        double s = 0;
        for (std::size_t p = 0; p < k; ++p)
          s += static_cast<double>(ta ? a[p * lda + 2] : a[2 * lda + p]) * (tb ? b[4 * ldb + p] : b[p * ldb + 4]);
        CHECK(c2[2 * ldc + 4] == doctest::Approx(alpha * s + beta * c0[2 * ldc + 4]).epsilon(1e-5));
      }
}

TEST_CASE("dot_rows and axpy_rows: bit-identical to dot and axpy, close to their reference twins") {
  std::mt19937 rng(31);
  for (std::size_t n : {16, 32, 48, 112, 304}) {
    for (int m : {1, 3, 4, 6, 9}) {
      CAPTURE(n);
      CAPTURE(m);
      common::Matrix rows(static_cast<std::size_t>(m), n);
      common::AlignedFloats a(n), y(n), y_seq(n), y_ref(n);
      fill(a.data(), n, rng);
      fill(y.data(), n, rng);
      for (std::size_t i = 0; i < n; ++i) y_seq.data()[i] = y_ref.data()[i] = y.data()[i];
      std::vector<const float*> ptr;
      std::vector<float> coef(static_cast<std::size_t>(m));
      for (int r = 0; r < m; ++r) {
        fill(rows.row(static_cast<std::size_t>(r)), n, rng);
        ptr.push_back(rows.row(static_cast<std::size_t>(r)));
        coef[static_cast<std::size_t>(r)] = std::uniform_real_distribution<float>(-1.f, 1.f)(rng);
      }
      std::vector<float> got(static_cast<std::size_t>(m)), ref(static_cast<std::size_t>(m));
      common::dot_rows(a.data(), ptr.data(), m, got.data(), n);
      common::dot_rows_ref(a.data(), ptr.data(), m, ref.data(), n);
      for (int r = 0; r < m; ++r) {
        CHECK(got[static_cast<std::size_t>(r)] == common::dot(a.data(), ptr[static_cast<std::size_t>(r)], n));
        CHECK(got[static_cast<std::size_t>(r)] == doctest::Approx(ref[static_cast<std::size_t>(r)]).epsilon(1e-4));
      }
      common::axpy_rows(coef.data(), ptr.data(), m, y.data(), n);
      for (int r = 0; r < m; ++r) common::axpy(coef[static_cast<std::size_t>(r)], ptr[static_cast<std::size_t>(r)], y_seq.data(), n);
      common::axpy_rows_ref(coef.data(), ptr.data(), m, y_ref.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        CHECK(y.data()[i] == y_seq.data()[i]);
        CHECK(y.data()[i] == doctest::Approx(y_ref.data()[i]).epsilon(1e-5));
      }
    }
  }
}
