#include "word2vec/gradient_row.h"

#if defined(__AVX512F__)
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
#else
void gradient_row(float* s, const float* label, int m, float alpha, Objective obj, const SigmoidTable& sig,
                  float* loss_terms) {
  gradient_row_ref(s, label, m, alpha, obj, sig, loss_terms);
}
#endif

}  // namespace w2v
