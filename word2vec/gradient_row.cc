#include "word2vec/gradient_row.h"

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized inside their own
// intrinsics (GCC bug 105593), as in common/simd.h.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace w2v {

#if defined(__AVX512F__)
namespace {

// 16 lanes of gradient_row; lanes outside `live` are neither read nor written.
inline void gradient16(float* s, const float* label, __mmask16 live, float alpha, Objective obj,
                       const SigmoidTable& sig, float* loss_terms) {
  const __m512 kMax = _mm512_set1_ps(SigmoidTable::kMaxExp), kMin = _mm512_set1_ps(-SigmoidTable::kMaxExp);
  const __m512 zero = _mm512_setzero_ps(), one = _mm512_set1_ps(1.f), scale = _mm512_set1_ps(sig.scale());
  const __m512 f = _mm512_maskz_loadu_ps(live, s);
  const __m512 lab = _mm512_maskz_loadu_ps(live, label);
  const __mmask16 ordered = _mm512_mask_cmp_ps_mask(live, f, f, _CMP_ORD_Q);
  const __mmask16 pos = _mm512_cmp_ps_mask(lab, _mm512_set1_ps(0.5f), _CMP_GT_OQ);
  __mmask16 hi, lo;  // saturated lanes, as the scalar functions test them
  if (obj == Objective::kHs) {
    hi = _mm512_mask_cmp_ps_mask(ordered, f, kMax, _CMP_GE_OQ);
    lo = _mm512_mask_cmp_ps_mask(ordered, f, kMin, _CMP_LE_OQ);
  } else {
    hi = _mm512_mask_cmp_ps_mask(ordered, f, kMax, _CMP_GT_OQ);
    lo = _mm512_mask_cmp_ps_mask(ordered, f, kMin, _CMP_LT_OQ);
  }
  const __mmask16 sat = hi | lo;
  const __mmask16 table = ordered & static_cast<__mmask16>(~sat);
  // σ(f) from the table; NaN lanes keep f (NaN), as SigmoidTable::sigmoid.
  const __m512i idx = _mm512_cvttps_epi32(_mm512_mul_ps(_mm512_add_ps(f, kMax), scale));
  __m512 val = _mm512_mask_i32gather_ps(f, table, idx, sig.sigmoid_data(), 4);
  val = _mm512_mask_mov_ps(val, hi, one);
  val = _mm512_mask_mov_ps(val, lo, zero);
  __m512 g = _mm512_mul_ps(_mm512_sub_ps(lab, val), _mm512_set1_ps(alpha));
  if (obj == Objective::kHs) g = _mm512_mask_mov_ps(g, sat, zero);
  // Loss: -log σ(z), z = f for label 1, -f for label 0; saturated max(0, -z).
  const __m512 z = _mm512_mask_mov_ps(_mm512_sub_ps(zero, f), pos, f);
  const __m512i zidx = _mm512_cvttps_epi32(_mm512_mul_ps(_mm512_add_ps(z, kMax), scale));
  const __m512 logsig = _mm512_mask_i32gather_ps(f, table, zidx, sig.log_sigmoid_data(), 4);
  __m512 term = _mm512_sub_ps(zero, logsig);
  const __m512 tail = _mm512_mask_mov_ps(zero, _mm512_cmp_ps_mask(z, zero, _CMP_LT_OQ), _mm512_sub_ps(zero, z));
  term = _mm512_mask_mov_ps(term, sat, tail);
  _mm512_mask_storeu_ps(s, live, g);
  _mm512_mask_storeu_ps(loss_terms, live, term);
}

}  // namespace

void gradient_row(float* s, const float* label, int m, float alpha, Objective obj, const SigmoidTable& sig,
                  float* loss_terms) {
  for (int j = 0; j < m; j += 16) {
    const int n = m - j < 16 ? m - j : 16;
    const auto live = static_cast<__mmask16>((1u << n) - 1u);
    gradient16(s + j, label + j, live, alpha, obj, sig, loss_terms + j);
  }
}
#elif defined(__AVX2__)
namespace {

// 8 lanes of gradient_row, gradient16's steps with vector masks; lanes
// outside `live` (all ones / all zeros per lane) are neither read nor written.
inline void gradient8(float* s, const float* label, __m256i live, float alpha, Objective obj,
                      const SigmoidTable& sig, float* loss_terms) {
  const __m256 kMax = _mm256_set1_ps(SigmoidTable::kMaxExp), kMin = _mm256_set1_ps(-SigmoidTable::kMaxExp);
  const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.f), scale = _mm256_set1_ps(sig.scale());
  const __m256 live_ps = _mm256_castsi256_ps(live);
  const __m256 f = _mm256_maskload_ps(s, live);
  const __m256 lab = _mm256_maskload_ps(label, live);
  const __m256 ordered = _mm256_and_ps(live_ps, _mm256_cmp_ps(f, f, _CMP_ORD_Q));
  const __m256 pos = _mm256_cmp_ps(lab, _mm256_set1_ps(0.5f), _CMP_GT_OQ);
  __m256 hi, lo;  // saturated lanes, as the scalar functions test them
  if (obj == Objective::kHs) {
    hi = _mm256_and_ps(ordered, _mm256_cmp_ps(f, kMax, _CMP_GE_OQ));
    lo = _mm256_and_ps(ordered, _mm256_cmp_ps(f, kMin, _CMP_LE_OQ));
  } else {
    hi = _mm256_and_ps(ordered, _mm256_cmp_ps(f, kMax, _CMP_GT_OQ));
    lo = _mm256_and_ps(ordered, _mm256_cmp_ps(f, kMin, _CMP_LT_OQ));
  }
  const __m256 sat = _mm256_or_ps(hi, lo);
  const __m256 table = _mm256_andnot_ps(sat, ordered);
  // σ(f) from the table; NaN lanes keep f (NaN), as SigmoidTable::sigmoid.
  // Lanes outside `table` gather nothing (their index may be garbage).
  const __m256i idx = _mm256_cvttps_epi32(_mm256_mul_ps(_mm256_add_ps(f, kMax), scale));
  __m256 val = _mm256_mask_i32gather_ps(f, sig.sigmoid_data(), idx, table, 4);
  val = _mm256_blendv_ps(val, one, hi);
  val = _mm256_blendv_ps(val, zero, lo);
  __m256 g = _mm256_mul_ps(_mm256_sub_ps(lab, val), _mm256_set1_ps(alpha));
  if (obj == Objective::kHs) g = _mm256_blendv_ps(g, zero, sat);
  // Loss: -log σ(z), z = f for label 1, -f for label 0; saturated max(0, -z).
  const __m256 z = _mm256_blendv_ps(_mm256_sub_ps(zero, f), f, pos);
  const __m256i zidx = _mm256_cvttps_epi32(_mm256_mul_ps(_mm256_add_ps(z, kMax), scale));
  const __m256 logsig = _mm256_mask_i32gather_ps(f, sig.log_sigmoid_data(), zidx, table, 4);
  __m256 term = _mm256_sub_ps(zero, logsig);
  const __m256 tail = _mm256_blendv_ps(zero, _mm256_sub_ps(zero, z), _mm256_cmp_ps(z, zero, _CMP_LT_OQ));
  term = _mm256_blendv_ps(term, tail, sat);
  _mm256_maskstore_ps(s, live, g);
  _mm256_maskstore_ps(loss_terms, live, term);
}

}  // namespace

void gradient_row(float* s, const float* label, int m, float alpha, Objective obj, const SigmoidTable& sig,
                  float* loss_terms) {
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  for (int j = 0; j < m; j += 8) {
    const __m256i live = _mm256_cmpgt_epi32(_mm256_set1_epi32(m - j), lane);  // lane < m - j
    gradient8(s + j, label + j, live, alpha, obj, sig, loss_terms + j);
  }
}
#else
void gradient_row(float* s, const float* label, int m, float alpha, Objective obj, const SigmoidTable& sig,
                  float* loss_terms) {
  gradient_row_ref(s, label, m, alpha, obj, sig, loss_terms);
}
#endif

}  // namespace w2v
