// The one place that includes cblas.h: a row-major GEMM wrapper with
// explicit leading dimensions, and a reference twin for tests.
#pragma once

#include <cstddef>

namespace common {

// C[m,n] = alpha * op(A) * op(B) + beta * C, all row-major.
// op(A) is [m,k] (A stored [m,k] with lda, or [k,m] if trans_a);
// op(B) is [k,n] (B stored [k,n] with ldb, or [n,k] if trans_b).
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
          const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
          std::size_t ldc);

void gemm_ref(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
              const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
              std::size_t ldc);

// y[m] = alpha * A[m,n] x[n] + beta * y (A row-major with lda).
void gemv(std::size_t m, std::size_t n, float alpha, const float* a, std::size_t lda, const float* x, float beta,
          float* y);
void gemv_ref(std::size_t m, std::size_t n, float alpha, const float* a, std::size_t lda, const float* x, float beta,
              float* y);

// gemm() split over `threads` of our own threads (each calling a
// single-threaded BLAS): rows of C when m is large, else columns. Keeps
// OpenBLAS's own thread pool (and its spinning) out of the picture; call
// set_blas_threads(1) first.
void gemm_mt(int threads, bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
             const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc);

// Threads OpenBLAS may use; call with 1 inside worker threads.
void set_blas_threads(int n);

}  // namespace common
