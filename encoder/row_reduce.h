// Row reductions vectorised without -ffast-math: kLanes partial results
// (one AVX-512 register of floats) combined at the end, then the tail
// (max and argmax with AVX-512 intrinsics where available). They differ
// from a sequential loop in rounding only (sum) or not at all (max,
// argmax). Reference twins: the plain sequential loops in the tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

namespace enc {

inline constexpr std::size_t kLanes = 16;

// Σ f(j) for j in [0, n).
template <class F>
inline float lane_sum(std::size_t n, F f) {
  float acc[kLanes] = {};
  std::size_t j = 0;
  for (; j + kLanes <= n; j += kLanes)
    for (std::size_t k = 0; k < kLanes; ++k) acc[k] += f(j + k);
  float s = 0;
  for (float a : acc) s += a;
  for (; j < n; ++j) s += f(j);
  return s;
}

// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized inside their own
// intrinsics (GCC bug 105593, as in common/simd.h).
#pragma GCC diagnostic push
#if !defined(__clang__)  // clang has no such warning group
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

// max of x[0..n) (-inf for n == 0; NaNs are skipped as std::max skips them
// when they come second).
inline float lane_max(const float* x, std::size_t n) {
  constexpr float kNegInf = -std::numeric_limits<float>::infinity();
  std::size_t j = 0;
  float m = kNegInf;
#if defined(__AVX512F__)
  // (GCC 12 does not vectorise the portable loop below.) max_ps returns its
  // second operand when either is NaN: NaNs in x are skipped.
  __m512 acc = _mm512_set1_ps(kNegInf);
  for (; j + kLanes <= n; j += kLanes) acc = _mm512_max_ps(_mm512_loadu_ps(x + j), acc);
  m = _mm512_reduce_max_ps(acc);
#elif defined(__AVX2__)
  // Two registers of 8 (kLanes in all); max_ps skips NaNs in x as above.
  __m256 a0 = _mm256_set1_ps(kNegInf), a1 = a0;
  for (; j + kLanes <= n; j += kLanes) {
    a0 = _mm256_max_ps(_mm256_loadu_ps(x + j), a0);
    a1 = _mm256_max_ps(_mm256_loadu_ps(x + j + 8), a1);
  }
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, _mm256_max_ps(a0, a1));
  for (float a : lanes) m = a > m ? a : m;
#else
  float acc[kLanes];
  for (float& a : acc) a = kNegInf;
  for (; j + kLanes <= n; j += kLanes)
    for (std::size_t k = 0; k < kLanes; ++k) acc[k] = x[j + k] > acc[k] ? x[j + k] : acc[k];
  for (float a : acc) m = a > m ? a : m;
#endif
  for (; j < n; ++j) m = x[j] > m ? x[j] : m;
  return m;
}

// Index of the first maximum of x[0..n) (NaNs never compare greater, so
// they are skipped; 0 when there is nothing else). Each lane keeps its first
// maximum; ties between lanes go to the smaller index.
inline std::size_t lane_argmax(const float* x, std::size_t n) {
  if (n == 0) return 0;
  float best[kLanes];
  std::uint32_t at[kLanes];
  std::size_t j = 0;
#if defined(__AVX512F__)
  __m512 vbest = _mm512_set1_ps(x[0]);
  __m512i vat = _mm512_setzero_si512();
  __m512i idx = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512i step = _mm512_set1_epi32(static_cast<int>(kLanes));
  if (n <= std::size_t{0x7FFFFFFF} - kLanes)
    for (; j + kLanes <= n; j += kLanes) {
      const __m512 v = _mm512_loadu_ps(x + j);
      const __mmask16 gt = _mm512_cmp_ps_mask(v, vbest, _CMP_GT_OQ);
      vbest = _mm512_mask_mov_ps(vbest, gt, v);
      vat = _mm512_mask_mov_epi32(vat, gt, idx);
      idx = _mm512_add_epi32(idx, step);
    }
  _mm512_storeu_ps(best, vbest);
  _mm512_storeu_si512(at, vat);
#elif defined(__AVX2__)
  // Lanes 0-7 and 8-15 in two registers each (the same lanes as above).
  __m256 vbest[2] = {_mm256_set1_ps(x[0]), _mm256_set1_ps(x[0])};
  __m256i vat[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
  __m256i idx[2] = {_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_setr_epi32(8, 9, 10, 11, 12, 13, 14, 15)};
  const __m256i step = _mm256_set1_epi32(static_cast<int>(kLanes));
  if (n <= std::size_t{0x7FFFFFFF} - kLanes)
    for (; j + kLanes <= n; j += kLanes)
      for (int h = 0; h < 2; ++h) {
        const __m256 v = _mm256_loadu_ps(x + j + 8 * h);
        const __m256 gt = _mm256_cmp_ps(v, vbest[h], _CMP_GT_OQ);
        vbest[h] = _mm256_blendv_ps(vbest[h], v, gt);
        vat[h] = _mm256_blendv_epi8(vat[h], idx[h], _mm256_castps_si256(gt));
        idx[h] = _mm256_add_epi32(idx[h], step);
      }
  for (int h = 0; h < 2; ++h) {
    _mm256_storeu_ps(best + 8 * h, vbest[h]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(at + 8 * h), vat[h]);
  }
#else
  for (std::size_t k = 0; k < kLanes; ++k) best[k] = x[0], at[k] = 0;
  if (n <= std::size_t{0x7FFFFFFF} - kLanes)
    for (; j + kLanes <= n; j += kLanes)
      for (std::size_t k = 0; k < kLanes; ++k) {
        const bool gt = x[j + k] > best[k];
        best[k] = gt ? x[j + k] : best[k];
        at[k] = gt ? static_cast<std::uint32_t>(j + k) : at[k];
      }
#endif
  std::size_t arg = 0;
  for (std::size_t k = 0; k < kLanes; ++k)
    if (best[k] > x[arg] || (best[k] == x[arg] && at[k] < arg)) arg = at[k];
  for (; j < n; ++j) arg = x[j] > x[arg] ? j : arg;
  return arg;
}

#pragma GCC diagnostic pop

}  // namespace enc
