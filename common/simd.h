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
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
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
  __m512 t = _mm512_add_ps(acc0, acc1);
  t = _mm512_add_ps(t, _mm512_shuffle_f32x4(t, t, 0x4E));  // fold 256-bit halves
  t = _mm512_add_ps(t, _mm512_shuffle_f32x4(t, t, 0xB1));  // fold 128-bit lanes
  __m128 lo = _mm512_castps512_ps128(t);
  lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
  lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
  return _mm_cvtss_f32(lo);
#elif defined(__AVX2__) && defined(__FMA__)
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  for (std::size_t i = 0; i < n; i += 16) {
    acc0 = _mm256_fmadd_ps(_mm256_load_ps(a + i), _mm256_load_ps(b + i), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_load_ps(a + i + 8), _mm256_load_ps(b + i + 8), acc1);
  }
  __m256 s = _mm256_add_ps(acc0, acc1);
  __m128 lo = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
  lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
  lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
  return _mm_cvtss_f32(lo);
#else
  float acc[16] = {0};
  for (std::size_t i = 0; i < n; i += 16)
    for (std::size_t j = 0; j < 16; ++j) acc[j] += a[i + j] * b[i + j];
  float s = 0.f;
  for (float v : acc) s += v;
  return s;
#endif
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

// Hint the cache to fetch a row of `bytes` bytes starting at p.
inline void prefetch_row(const float* p, std::size_t n) {
  const char* c = reinterpret_cast<const char*>(p);
  for (std::size_t off = 0; off < n * sizeof(float); off += kAlignBytes) __builtin_prefetch(c + off, 1, 3);
}

}  // namespace common
