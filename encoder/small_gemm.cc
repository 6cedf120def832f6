#include "encoder/small_gemm.h"

#include <algorithm>

#include "common/blas.h"

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

namespace enc {

#if defined(__AVX512F__)
// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized inside their own
// intrinsics (GCC bug 105593, as in common/simd.h).
#pragma GCC diagnostic push
#if !defined(__clang__)  // clang has no such warning group
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace {

constexpr std::size_t kTileCols = 64;  // 4 vectors of 16 floats

// C rows [i0, i0 + R), columns [j0, j0 + width) with width <= 64.
template <int R>
void tile(std::size_t i0, std::size_t j0, std::size_t width, std::size_t k, float alpha, const float* a,
          std::size_t lda, const float* b, std::size_t ldb, bool accumulate, float* c, std::size_t ldc) {
  __mmask16 mask[4];
  for (std::size_t v = 0; v < 4; ++v) {
    const std::size_t lo = v * 16;
    mask[v] = width >= lo + 16 ? __mmask16(0xFFFF) : width > lo ? __mmask16((1u << (width - lo)) - 1) : __mmask16(0);
  }
  // Every loop over r and v is unrolled so that acc lives in registers
  // (without the pragmas GCC 12 stores all of acc to the stack every p).
  __m512 acc[R][4];
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < 4; ++v) acc[r][v] = _mm512_setzero_ps();
  const float* arow = a + i0 * lda;
  for (std::size_t p = 0; p < k; ++p) {
    const float* brow = b + p * ldb + j0;
    __m512 bv[4];
#pragma GCC unroll 4
    for (int v = 0; v < 4; ++v) bv[v] = _mm512_maskz_loadu_ps(mask[v], brow + 16 * v);
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      const __m512 av = _mm512_set1_ps(arow[static_cast<std::size_t>(r) * lda + p]);
#pragma GCC unroll 4
      for (int v = 0; v < 4; ++v) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
    }
  }
  const __m512 va = _mm512_set1_ps(alpha);
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r) {
    float* crow = c + (i0 + static_cast<std::size_t>(r)) * ldc + j0;
#pragma GCC unroll 4
    for (int v = 0; v < 4; ++v) {
      __m512 out = _mm512_mul_ps(va, acc[r][v]);
      if (accumulate) out = _mm512_add_ps(_mm512_maskz_loadu_ps(mask[v], crow + 16 * v), out);
      _mm512_mask_storeu_ps(crow + 16 * v, mask[v], out);
    }
  }
}

}  // namespace

void small_gemm(std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a, std::size_t lda,
                const float* b, std::size_t ldb, bool accumulate, float* c, std::size_t ldc) {
  for (std::size_t j0 = 0; j0 < n; j0 += kTileCols) {
    const std::size_t width = std::min(kTileCols, n - j0);
    std::size_t i = 0;
    for (; i + 4 <= m; i += 4) tile<4>(i, j0, width, k, alpha, a, lda, b, ldb, accumulate, c, ldc);
    for (; i < m; ++i) tile<1>(i, j0, width, k, alpha, a, lda, b, ldb, accumulate, c, ldc);
  }
}

#pragma GCC diagnostic pop
#elif defined(__AVX2__) && defined(__FMA__)
namespace {

// AVX2 has 16 vector registers: a tile of R <= 6 rows x 16 columns keeps
// 2R accumulators, the 2 vectors of B's row and one broadcast of A.
constexpr std::size_t kTileCols = 16;  // 2 vectors of 8 floats

// Lane masks for the columns [lo, lo + 8) that lie below width.
__m256i lane_mask(std::size_t width, std::size_t lo) {
  const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const int left = width > lo ? static_cast<int>(std::min<std::size_t>(width - lo, 8)) : 0;
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(left), idx);
}

// C rows [i0, i0 + R), columns [j0, j0 + width) with width <= 16; kFull:
// width == 16 (plain loads and stores).
template <int R, bool kFull>
void tile(std::size_t i0, std::size_t j0, std::size_t width, std::size_t k, float alpha, const float* a,
          std::size_t lda, const float* b, std::size_t ldb, bool accumulate, float* c, std::size_t ldc) {
  const __m256i m0 = lane_mask(width, 0), m1 = lane_mask(width, 8);
  __m256 acc[R][2];
#pragma GCC unroll 6
  for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  const float* arow = a + i0 * lda;
  for (std::size_t p = 0; p < k; ++p) {
    const float* brow = b + p * ldb + j0;
    const __m256 b0 = kFull ? _mm256_loadu_ps(brow) : _mm256_maskload_ps(brow, m0);
    const __m256 b1 = kFull ? _mm256_loadu_ps(brow + 8) : _mm256_maskload_ps(brow + 8, m1);
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      const __m256 av = _mm256_broadcast_ss(arow + static_cast<std::size_t>(r) * lda + p);
      acc[r][0] = _mm256_fmadd_ps(av, b0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(av, b1, acc[r][1]);
    }
  }
  const __m256 va = _mm256_set1_ps(alpha);
#pragma GCC unroll 6
  for (int r = 0; r < R; ++r) {
    float* crow = c + (i0 + static_cast<std::size_t>(r)) * ldc + j0;
    __m256 o0 = _mm256_mul_ps(va, acc[r][0]), o1 = _mm256_mul_ps(va, acc[r][1]);
    if (kFull) {
      if (accumulate) o0 = _mm256_add_ps(_mm256_loadu_ps(crow), o0), o1 = _mm256_add_ps(_mm256_loadu_ps(crow + 8), o1);
      _mm256_storeu_ps(crow, o0), _mm256_storeu_ps(crow + 8, o1);
    } else {
      if (accumulate)
        o0 = _mm256_add_ps(_mm256_maskload_ps(crow, m0), o0), o1 = _mm256_add_ps(_mm256_maskload_ps(crow + 8, m1), o1);
      _mm256_maskstore_ps(crow, m0, o0), _mm256_maskstore_ps(crow + 8, m1, o1);
    }
  }
}

template <bool kFull>
void column_panel(std::size_t m, std::size_t j0, std::size_t width, std::size_t k, float alpha, const float* a,
                  std::size_t lda, const float* b, std::size_t ldb, bool accumulate, float* c, std::size_t ldc) {
  std::size_t i = 0;
  for (; i + 6 <= m; i += 6) tile<6, kFull>(i, j0, width, k, alpha, a, lda, b, ldb, accumulate, c, ldc);
  for (; i + 2 <= m; i += 2) tile<2, kFull>(i, j0, width, k, alpha, a, lda, b, ldb, accumulate, c, ldc);
  for (; i < m; ++i) tile<1, kFull>(i, j0, width, k, alpha, a, lda, b, ldb, accumulate, c, ldc);
}

}  // namespace

void small_gemm(std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a, std::size_t lda,
                const float* b, std::size_t ldb, bool accumulate, float* c, std::size_t ldc) {
  for (std::size_t j0 = 0; j0 < n; j0 += kTileCols) {
    const std::size_t width = std::min(kTileCols, n - j0);
    if (width == kTileCols) column_panel<true>(m, j0, width, k, alpha, a, lda, b, ldb, accumulate, c, ldc);
    else column_panel<false>(m, j0, width, k, alpha, a, lda, b, ldb, accumulate, c, ldc);
  }
}
#else
void small_gemm(std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a, std::size_t lda,
                const float* b, std::size_t ldb, bool accumulate, float* c, std::size_t ldc) {
  common::gemm(false, false, m, n, k, alpha, a, lda, b, ldb, accumulate ? 1.f : 0.f, c, ldc);
}
#endif

#pragma GCC diagnostic push
#if !defined(__clang__)  // clang has no such warning group
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#pragma GCC diagnostic ignored "-Wuninitialized"

namespace {

#if defined(__AVX2__) && !defined(__AVX512F__)
// dst[8, 8] = src[8, 8]ᵀ with AVX shuffles.
void transpose8(const float* src, std::size_t lds, float* dst, std::size_t ldd) {
  __m256 r[8], t[8];
  for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src + static_cast<std::size_t>(i) * lds);
  for (int i = 0; i < 8; i += 2) {  // interleave row pairs: 32-bit elements
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 8; i += 4) {  // 64-bit pairs
    r[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
    r[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xEE);
    r[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
    r[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
  }
  for (int i = 0; i < 4; ++i) {  // 128-bit halves
    t[i] = _mm256_permute2f128_ps(r[i], r[i + 4], 0x20);
    t[i + 4] = _mm256_permute2f128_ps(r[i], r[i + 4], 0x31);
  }
  for (int i = 0; i < 8; ++i) _mm256_storeu_ps(dst + static_cast<std::size_t>(i) * ldd, t[i]);
}
#endif

// dst[16, 16] = src[16, 16]ᵀ with AVX-512 shuffles (AVX2: four 8 x 8
// blocks; scalar without either).
void transpose16(const float* src, std::size_t lds, float* dst, std::size_t ldd) {
#if defined(__AVX512F__)
  __m512 r[16], t[16];
  for (int i = 0; i < 16; ++i) r[i] = _mm512_loadu_ps(src + static_cast<std::size_t>(i) * lds);
  for (int i = 0; i < 16; i += 2) {  // interleave row pairs: 32-bit elements
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {  // 64-bit pairs
    r[i] = _mm512_shuffle_ps(t[i], t[i + 2], 0x44);
    r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], 0xEE);
    r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0x44);
    r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
  }
  for (int i = 0; i < 4; ++i) {  // 128-bit lanes
    t[i] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0x88);
    t[i + 4] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0xDD);
    t[i + 8] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0x88);
    t[i + 12] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0xDD);
  }
  for (int i = 0; i < 4; ++i) {  // 256-bit halves
    r[i] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88);
    r[i + 8] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0xDD);
    r[i + 4] = _mm512_shuffle_f32x4(t[i + 4], t[i + 12], 0x88);
    r[i + 12] = _mm512_shuffle_f32x4(t[i + 4], t[i + 12], 0xDD);
  }
  for (int i = 0; i < 16; ++i) _mm512_storeu_ps(dst + static_cast<std::size_t>(i) * ldd, r[i]);
#elif defined(__AVX2__)
  for (std::size_t bi = 0; bi < 16; bi += 8)
    for (std::size_t bj = 0; bj < 16; bj += 8) transpose8(src + bi * lds + bj, lds, dst + bj * ldd + bi, ldd);
#else
  for (std::size_t i = 0; i < 16; ++i)
    for (std::size_t j = 0; j < 16; ++j) dst[j * ldd + i] = src[i * lds + j];
#endif
}

}  // namespace

void transpose(const float* src, std::size_t rows, std::size_t cols, std::size_t lds, float* dst, std::size_t ldd) {
  constexpr std::size_t kBlock = 16;
  for (std::size_t i0 = 0; i0 < rows; i0 += kBlock)
    for (std::size_t j0 = 0; j0 < cols; j0 += kBlock) {
      if (i0 + kBlock <= rows && j0 + kBlock <= cols) {
        transpose16(src + i0 * lds + j0, lds, dst + j0 * ldd + i0, ldd);
        continue;
      }
      for (std::size_t i = i0; i < std::min(rows, i0 + kBlock); ++i)
        for (std::size_t j = j0; j < std::min(cols, j0 + kBlock); ++j) dst[j * ldd + i] = src[i * lds + j];
    }
}

#pragma GCC diagnostic pop

}  // namespace enc
