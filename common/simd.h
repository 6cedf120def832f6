// Vector kernels for the Word2Vec inner loops, with plain reference twins.
// The fast kernels require n to be a multiple of kAlignFloats (16) and
// 64-byte aligned pointers, which Matrix rows and padded scratch buffers are.
#pragma once

#include <cstddef>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

#include "common/aligned.h"

namespace common {

// Reference twins: obvious loops, used by tests.
inline float dot_ref(const float* a, const float* b, std::size_t n) {
  float s = 0.f;
  for (std::size_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}
inline void axpy_ref(float alpha, const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized inside their own
// intrinsics (GCC bug 105593); the warning is about the header, not us.
#pragma GCC diagnostic push
#if !defined(__clang__)  // clang has no such warning group
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#if defined(__AVX512F__)
// The sum of the 32 lanes of two accumulators, in dot()'s fixed order.
inline float hsum2(__m512 acc0, __m512 acc1) {
  __m512 t = _mm512_add_ps(acc0, acc1);
  t = _mm512_add_ps(t, _mm512_shuffle_f32x4(t, t, 0x4E));  // fold 256-bit halves
  t = _mm512_add_ps(t, _mm512_shuffle_f32x4(t, t, 0xB1));  // fold 128-bit lanes
  __m128 lo = _mm512_castps512_ps128(t);
  lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
  lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
  return _mm_cvtss_f32(lo);
}
#elif defined(__AVX2__) && defined(__FMA__)
// The sum of the 16 lanes of two accumulators, in dot()'s fixed order.
inline float hsum2(__m256 acc0, __m256 acc1) {
  const __m256 s = _mm256_add_ps(acc0, acc1);
  __m128 lo = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
  lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
  lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
  return _mm_cvtss_f32(lo);
}
#endif

// dot(a[n], b[n]); n % 16 == 0, pointers 64-byte aligned.
inline float dot(const float* a, const float* b, std::size_t n) {
#if defined(__AVX512F__)
  __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    acc0 = _mm512_fmadd_ps(_mm512_load_ps(a + i), _mm512_load_ps(b + i), acc0);
    acc1 = _mm512_fmadd_ps(_mm512_load_ps(a + i + 16), _mm512_load_ps(b + i + 16), acc1);
  }
  if (i < n) acc0 = _mm512_fmadd_ps(_mm512_load_ps(a + i), _mm512_load_ps(b + i), acc0);
  return hsum2(acc0, acc1);
#elif defined(__AVX2__) && defined(__FMA__)
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  for (std::size_t i = 0; i < n; i += 16) {
    acc0 = _mm256_fmadd_ps(_mm256_load_ps(a + i), _mm256_load_ps(b + i), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_load_ps(a + i + 8), _mm256_load_ps(b + i + 8), acc1);
  }
  return hsum2(acc0, acc1);
#else
  float acc[16] = {0};
  for (std::size_t i = 0; i < n; i += 16)
    for (std::size_t j = 0; j < 16; ++j) acc[j] += a[i + j] * b[i + j];
  float s = 0.f;
  for (float v : acc) s += v;
  return s;
#endif
}

// out[r] = dot(a, rows[r], n) for r < m, bit-identical to dot(), reading a
// once per four rows (the scores of the batched Word2Vec update).
inline void dot_rows(const float* a, const float* const* rows, int m, float* out, std::size_t n) {
  int r = 0;
#if defined(__AVX512F__)
  for (; r + 4 <= m; r += 4) {
    const float *b0 = rows[r], *b1 = rows[r + 1], *b2 = rows[r + 2], *b3 = rows[r + 3];
    __m512 x0 = _mm512_setzero_ps(), x1 = x0, x2 = x0, x3 = x0;  // even 16-blocks
    __m512 y0 = x0, y1 = x0, y2 = x0, y3 = x0;                   // odd 16-blocks
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
      const __m512 va = _mm512_load_ps(a + i), vb = _mm512_load_ps(a + i + 16);
      x0 = _mm512_fmadd_ps(va, _mm512_load_ps(b0 + i), x0);
      x1 = _mm512_fmadd_ps(va, _mm512_load_ps(b1 + i), x1);
      x2 = _mm512_fmadd_ps(va, _mm512_load_ps(b2 + i), x2);
      x3 = _mm512_fmadd_ps(va, _mm512_load_ps(b3 + i), x3);
      y0 = _mm512_fmadd_ps(vb, _mm512_load_ps(b0 + i + 16), y0);
      y1 = _mm512_fmadd_ps(vb, _mm512_load_ps(b1 + i + 16), y1);
      y2 = _mm512_fmadd_ps(vb, _mm512_load_ps(b2 + i + 16), y2);
      y3 = _mm512_fmadd_ps(vb, _mm512_load_ps(b3 + i + 16), y3);
    }
    if (i < n) {
      const __m512 va = _mm512_load_ps(a + i);
      x0 = _mm512_fmadd_ps(va, _mm512_load_ps(b0 + i), x0);
      x1 = _mm512_fmadd_ps(va, _mm512_load_ps(b1 + i), x1);
      x2 = _mm512_fmadd_ps(va, _mm512_load_ps(b2 + i), x2);
      x3 = _mm512_fmadd_ps(va, _mm512_load_ps(b3 + i), x3);
    }
    out[r] = hsum2(x0, y0);
    out[r + 1] = hsum2(x1, y1);
    out[r + 2] = hsum2(x2, y2);
    out[r + 3] = hsum2(x3, y3);
  }
#elif defined(__AVX2__) && defined(__FMA__)
  for (; r + 4 <= m; r += 4) {
    const float *b0 = rows[r], *b1 = rows[r + 1], *b2 = rows[r + 2], *b3 = rows[r + 3];
    __m256 x0 = _mm256_setzero_ps(), x1 = x0, x2 = x0, x3 = x0;  // even 8-blocks
    __m256 y0 = x0, y1 = x0, y2 = x0, y3 = x0;                   // odd 8-blocks
    for (std::size_t i = 0; i < n; i += 16) {
      const __m256 va = _mm256_load_ps(a + i), vb = _mm256_load_ps(a + i + 8);
      x0 = _mm256_fmadd_ps(va, _mm256_load_ps(b0 + i), x0);
      x1 = _mm256_fmadd_ps(va, _mm256_load_ps(b1 + i), x1);
      x2 = _mm256_fmadd_ps(va, _mm256_load_ps(b2 + i), x2);
      x3 = _mm256_fmadd_ps(va, _mm256_load_ps(b3 + i), x3);
      y0 = _mm256_fmadd_ps(vb, _mm256_load_ps(b0 + i + 8), y0);
      y1 = _mm256_fmadd_ps(vb, _mm256_load_ps(b1 + i + 8), y1);
      y2 = _mm256_fmadd_ps(vb, _mm256_load_ps(b2 + i + 8), y2);
      y3 = _mm256_fmadd_ps(vb, _mm256_load_ps(b3 + i + 8), y3);
    }
    out[r] = hsum2(x0, y0);
    out[r + 1] = hsum2(x1, y1);
    out[r + 2] = hsum2(x2, y2);
    out[r + 3] = hsum2(x3, y3);
  }
#endif
  for (; r < m; ++r) out[r] = dot(a, rows[r], n);
}

#pragma GCC diagnostic pop

// y[n] += alpha * x[n]; n % 16 == 0, pointers 64-byte aligned.
inline void axpy(float alpha, const float* x, float* y, std::size_t n) {
#if defined(__AVX512F__)
  const __m512 va = _mm512_set1_ps(alpha);
  for (std::size_t i = 0; i < n; i += 16)
    _mm512_store_ps(y + i, _mm512_fmadd_ps(va, _mm512_load_ps(x + i), _mm512_load_ps(y + i)));
#elif defined(__AVX2__) && defined(__FMA__)
  const __m256 va = _mm256_set1_ps(alpha);
  for (std::size_t i = 0; i < n; i += 8)
    _mm256_store_ps(y + i, _mm256_fmadd_ps(va, _mm256_load_ps(x + i), _mm256_load_ps(y + i)));
#else
  for (std::size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
#endif
}

#if defined(__AVX512F__)
// axpy_rows on the kBlocks 16-float blocks of y starting at i.
template <int kBlocks>
inline void axpy_rows_tail(const float* coef, const float* const* x, int m, float* y, std::size_t i) {
  __m512 a[kBlocks];
  for (int b = 0; b < kBlocks; ++b) a[b] = _mm512_load_ps(y + i + 16 * b);
  for (int r = 0; r < m; ++r) {
    const __m512 c = _mm512_set1_ps(coef[r]);
    const float* p = x[r] + i;
    for (int b = 0; b < kBlocks; ++b) a[b] = _mm512_fmadd_ps(c, _mm512_load_ps(p + 16 * b), a[b]);
  }
  for (int b = 0; b < kBlocks; ++b) _mm512_store_ps(y + i + 16 * b, a[b]);
}
#elif defined(__AVX2__) && defined(__FMA__)
// axpy_rows on the kBlocks 8-float blocks of y starting at i, y kept in
// registers while the rows go by.
template <int kBlocks>
inline void axpy_rows_block(const float* coef, const float* const* x, int m, float* y, std::size_t i) {
  __m256 a[kBlocks];
  for (int b = 0; b < kBlocks; ++b) a[b] = _mm256_load_ps(y + i + 8 * b);
  for (int r = 0; r < m; ++r) {
    const __m256 c = _mm256_set1_ps(coef[r]);
    const float* p = x[r] + i;
    for (int b = 0; b < kBlocks; ++b) a[b] = _mm256_fmadd_ps(c, _mm256_load_ps(p + 8 * b), a[b]);
  }
  for (int b = 0; b < kBlocks; ++b) _mm256_store_ps(y + i + 8 * b, a[b]);
}
#endif

// y[n] += Σ_r coef[r]·x[r][n], the terms added in order r = 0, 1, ...:
// bit-identical to m calls of axpy, but y is loaded and stored once (the
// batched Word2Vec update's row write-back). n % 16 == 0, rows aligned.
inline void axpy_rows(const float* coef, const float* const* x, int m, float* y, std::size_t n) {
#if defined(__AVX512F__)
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    __m512 a0 = _mm512_load_ps(y + i), a1 = _mm512_load_ps(y + i + 16), a2 = _mm512_load_ps(y + i + 32),
           a3 = _mm512_load_ps(y + i + 48);
    for (int r = 0; r < m; ++r) {
      const __m512 c = _mm512_set1_ps(coef[r]);
      const float* p = x[r] + i;
      a0 = _mm512_fmadd_ps(c, _mm512_load_ps(p), a0);
      a1 = _mm512_fmadd_ps(c, _mm512_load_ps(p + 16), a1);
      a2 = _mm512_fmadd_ps(c, _mm512_load_ps(p + 32), a2);
      a3 = _mm512_fmadd_ps(c, _mm512_load_ps(p + 48), a3);
    }
    _mm512_store_ps(y + i, a0);
    _mm512_store_ps(y + i + 16, a1);
    _mm512_store_ps(y + i + 32, a2);
    _mm512_store_ps(y + i + 48, a3);
  }
  // The last 16, 32 or 48 floats in one pass over the rows.
  switch ((n - i) / 16) {
    case 1: axpy_rows_tail<1>(coef, x, m, y, i); break;
    case 2: axpy_rows_tail<2>(coef, x, m, y, i); break;
    case 3: axpy_rows_tail<3>(coef, x, m, y, i); break;
    default: break;
  }
#elif defined(__AVX2__) && defined(__FMA__)
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) axpy_rows_block<8>(coef, x, m, y, i);
  // The last 16, 32 or 48 floats in one pass over the rows.
  switch ((n - i) / 16) {
    case 1: axpy_rows_block<2>(coef, x, m, y, i); break;
    case 2: axpy_rows_block<4>(coef, x, m, y, i); break;
    case 3: axpy_rows_block<6>(coef, x, m, y, i); break;
    default: break;
  }
#else
  for (int r = 0; r < m; ++r) axpy(coef[r], x[r], y, n);
#endif
}

// Reference twins of dot_rows and axpy_rows.
inline void dot_rows_ref(const float* a, const float* const* rows, int m, float* out, std::size_t n) {
  for (int r = 0; r < m; ++r) out[r] = dot_ref(a, rows[r], n);
}
inline void axpy_rows_ref(const float* coef, const float* const* x, int m, float* y, std::size_t n) {
  for (int r = 0; r < m; ++r) axpy_ref(coef[r], x[r], y, n);
}

// Hint the cache to fetch a row of `bytes` bytes starting at p.
inline void prefetch_row(const float* p, std::size_t n) {
  const char* c = reinterpret_cast<const char*>(p);
  for (std::size_t off = 0; off < n * sizeof(float); off += kAlignBytes) __builtin_prefetch(c + off, 1, 3);
}

}  // namespace common
