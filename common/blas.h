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

// gemm() split over `threads` shares run on common::ThreadPool (ith/nth),
// each calling a single-threaded BLAS: rows of C when m >= n, else
// columns (the larger side, if it allows shares of 64), with share
// boundaries on multiples of 16. OpenBLAS is pinned to
// one thread for the call (a ScopedBlasThreads(1)), which keeps its own
// thread pool (and its spinning) out of the picture. Reference twin: gemm_ref.
void gemm_mt(int threads, bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
             const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc);

// The kernel set OpenBLAS chose for this CPU ("SkylakeX", "Haswell", ...).
const char* blas_core_name();

// OpenBLAS 0.3.21 (Debian 12) does not know some newer CPUs (Xeon model 207,
// say) and falls back to its oldest kernels, "Prescott" (SSE3: a sixth of the
// GEMM rate of an AVX-512 core). The kernel set the CPU's features allow
// instead ("SkylakeX" with AVX-512, "Haswell" with AVX2 and FMA), or null when
// OpenBLAS's choice stands. OpenBLAS reads OPENBLAS_CORETYPE only when it is
// loaded, so the program must set it and start again (cli/main.cc).
const char* blas_core_override();

// Threads OpenBLAS may use (process-wide).
void set_blas_threads(int n);
int blas_threads();

// Pins OpenBLAS to n threads for a scope and sets back the number it found.
// OpenBLAS's setting is process-wide: hold one guard on the thread that
// coordinates a parallel region (not one per worker), and nest guards LIFO.
class ScopedBlasThreads {
 public:
  explicit ScopedBlasThreads(int n);
  ~ScopedBlasThreads();
  ScopedBlasThreads(const ScopedBlasThreads&) = delete;
  ScopedBlasThreads& operator=(const ScopedBlasThreads&) = delete;

 private:
  int prev_, set_;
};

}  // namespace common
