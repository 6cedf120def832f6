#include "common/blas.h"

#include <cblas.h>

#include <algorithm>
#include <cstring>

#include "common/parallel.h"

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

void gemm_mt(int threads, bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
             const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc) {
  const int nth = std::max(1, threads);
  const auto t = static_cast<std::size_t>(nth);
  if (nth == 1 || static_cast<double>(m) * n * k < 2e6) {
    gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  // ith's boundaries [part(ith), part(ith + 1)) on multiples of 16 keep the blocks cache-aligned.
  auto part = [t](std::size_t i, std::size_t total) {
    return i >= t ? total : std::min(total, (total * i / t + 15) / 16 * 16);
  };
  // Split the larger of m and n: each share then re-packs the smaller
  // operand whole (by rows, B is packed by every share; by columns, A).
  // Measured at 2 threads: the MLM logits (614 x 30000 x 256) and linear2's
  // dW (256 x 1024 x 4096) are 5% and 18% faster by columns.
  const bool by_rows = m >= n ? m >= 64 * t : n < 64 * t;
  ScopedBlasThreads single(1);
  ThreadPool::shared().run(nth, [&](int ith, int) {
    const auto i = static_cast<std::size_t>(ith);
    if (by_rows) {
      const std::size_t m0 = part(i, m), m1 = part(i + 1, m);
      if (m0 >= m1) return;
      const float* ai = trans_a ? a + m0 : a + m0 * lda;
      gemm(trans_a, trans_b, m1 - m0, n, k, alpha, ai, lda, b, ldb, beta, c + m0 * ldc, ldc);
    } else {
      const std::size_t n0 = part(i, n), n1 = part(i + 1, n);
      if (n0 >= n1) return;
      const float* bi = trans_b ? b + n0 * ldb : b + n0;
      gemm(trans_a, trans_b, m, n1 - n0, k, alpha, a, lda, bi, ldb, beta, c + n0, ldc);
    }
  });
}

void set_blas_threads(int n) { openblas_set_num_threads(n); }

int blas_threads() { return openblas_get_num_threads(); }

ScopedBlasThreads::ScopedBlasThreads(int n) : prev_(openblas_get_num_threads()), set_(std::max(1, n)) {
  if (set_ != prev_) openblas_set_num_threads(set_);
}

ScopedBlasThreads::~ScopedBlasThreads() {
  if (set_ != prev_) openblas_set_num_threads(prev_);
}

const char* blas_core_name() { return openblas_get_corename(); }

const char* blas_core_override() {
  if (std::strcmp(openblas_get_corename(), "Prescott") != 0) return nullptr;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512dq"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
  return nullptr;
}

}  // namespace common
