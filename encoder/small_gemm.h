// A register-blocked GEMM for the attention's small per-head products
// (T x T x head_dim at T ~ 128, head_dim ~ 64), where OpenBLAS spends about
// 40% of its time packing its operands and zeroing C (measured with perf):
// 4 rows x 64 columns of C in AVX-512 registers (AVX2: 6 rows x 16
// columns), B read in place, no packing. Without either it calls
// common::gemm. Reference twin: common::gemm_ref.
#pragma once

#include <cstddef>

namespace enc {

// C[m,n] = alpha · A[m,k] · B[k,n] (+ C when accumulate), row-major with
// leading dimensions; single-threaded.
void small_gemm(std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a, std::size_t lda,
                const float* b, std::size_t ldb, bool accumulate, float* c, std::size_t ldc);

// dst[cols, rows] = src[rows, cols]ᵀ (leading dimensions lds, ldd).
void transpose(const float* src, std::size_t rows, std::size_t cols, std::size_t lds, float* dst, std::size_t ldd);

}  // namespace enc
