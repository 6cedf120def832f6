#include "common/blas.h"

#include <cblas.h>

namespace common {

void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
          const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
          std::size_t ldc) {
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
              static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), alpha, a, static_cast<int>(lda), b,
              static_cast<int>(ldb), beta, c, static_cast<int>(ldc));
}

void gemm_ref(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
              const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
              std::size_t ldc) {
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t p = 0; p < k; ++p) {
        float av = trans_a ? a[p * lda + i] : a[i * lda + p];
        float bv = trans_b ? b[j * ldb + p] : b[p * ldb + j];
        s += static_cast<double>(av) * bv;
      }
      float prev = beta == 0.f ? 0.f : beta * c[i * ldc + j];
      c[i * ldc + j] = alpha * static_cast<float>(s) + prev;
    }
}

void gemv(std::size_t m, std::size_t n, float alpha, const float* a, std::size_t lda, const float* x, float beta,
          float* y) {
  cblas_sgemv(CblasRowMajor, CblasNoTrans, static_cast<int>(m), static_cast<int>(n), alpha, a, static_cast<int>(lda), x,
              1, beta, y, 1);
}

void gemv_ref(std::size_t m, std::size_t n, float alpha, const float* a, std::size_t lda, const float* x, float beta,
              float* y) {
  for (std::size_t i = 0; i < m; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < n; ++j) s += static_cast<double>(a[i * lda + j]) * x[j];
    y[i] = alpha * static_cast<float>(s) + (beta == 0.f ? 0.f : beta * y[i]);
  }
}

void set_blas_threads(int n) { openblas_set_num_threads(n); }

}  // namespace common
