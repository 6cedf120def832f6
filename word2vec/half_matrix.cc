#include "word2vec/half_matrix.h"

#include <cstring>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace w2v {

std::uint16_t float_to_half(float f) {
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  const std::uint32_t sign = (x >> 16) & 0x8000u;
  std::uint32_t mag = x & 0x7FFFFFFFu;
  if (mag >= 0x7F800000u) return static_cast<std::uint16_t>(sign | (mag > 0x7F800000u ? 0x7E00u : 0x7C00u));
  if (mag >= 0x477FF000u) return static_cast<std::uint16_t>(sign | 0x7C00u);  // overflow -> inf
  if (mag < 0x38800000u) {                                                    // subnormal or zero in fp16
    if (mag < 0x33000000u) return static_cast<std::uint16_t>(sign);
    const std::uint32_t e = mag >> 23;
    std::uint32_t m = (mag & 0x7FFFFFu) | 0x800000u;
    const std::uint32_t shift = 126 - e;  // 14 - (e - 127) + 13 ... keeps 10+ bits
    std::uint32_t h = m >> shift;
    const std::uint32_t rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (h & 1))) ++h;
    return static_cast<std::uint16_t>(sign | h);
  }
  std::uint32_t h = ((mag - 0x38000000u) >> 13);
  const std::uint32_t rem = mag & 0x1FFFu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1))) ++h;
  return static_cast<std::uint16_t>(sign | h);
}

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  std::uint32_t e = (h >> 10) & 0x1F, m = h & 0x3FFu, x;
  if (e == 0) {
    if (m == 0) {
      x = sign;
    } else {  // subnormal: normalise
      e = 1;
      while (!(m & 0x400u)) {
        m <<= 1;
        --e;
      }
      m &= 0x3FFu;
      x = sign | ((e + 112) << 23) | (m << 13);
    }
  } else if (e == 31) {
    x = sign | 0x7F800000u | (m << 13);
  } else {
    x = sign | ((e + 112) << 23) | (m << 13);
  }
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

HalfMatrix::HalfMatrix(const common::Matrix& m) : rows_(m.rows()), ld_(m.ld()), data_(m.rows() * m.ld()) {
  for (std::size_t r = 0; r < rows_; ++r)
    for (std::size_t c = 0; c < ld_; ++c) data_[r * ld_ + c] = float_to_half(m.row(r)[c]);
}

bool HalfMatrix::fast() {
#if defined(__AVX512F__)
  return true;
#else
  return false;
#endif
}

void HalfMatrix::dots_ref(const float* q, std::size_t begin, std::size_t end, float* out) const {
  for (std::size_t r = begin; r < end; ++r) {
    float s = 0;
    for (std::size_t c = 0; c < ld_; ++c) s += half_to_float(row(r)[c]) * q[c];
    out[r - begin] = s;
  }
}

#pragma GCC diagnostic push
#if !defined(__clang__)  // clang has no such warning group
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12 AVX-512 header bug 105593
#endif
void HalfMatrix::dots(const float* q, std::size_t begin, std::size_t end, float* out) const {
#if defined(__AVX512F__)
  for (std::size_t r = begin; r < end; ++r) {
    const std::uint16_t* p = row(r);
    __m512 acc = _mm512_setzero_ps();
    for (std::size_t c = 0; c < ld_; c += 16) {
      __m512 v = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + c)));
      acc = _mm512_fmadd_ps(v, _mm512_loadu_ps(q + c), acc);
    }
    out[r - begin] = _mm512_reduce_add_ps(acc);
  }
#else
  dots_ref(q, begin, end, out);
#endif
}
#pragma GCC diagnostic pop

}  // namespace w2v
