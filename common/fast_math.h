// exp and erf for float written so that GCC vectorises loops over them
// (only multiply-add, compares and bit casts), with their reference
// twins in the standard library. exp_fast: relative error below 2e-7 on
// [-87, 88]; erf_fast: absolute error below 1e-6 (a rational approximation
// on [-4, 4], ±1 beyond, as Eigen and TensorFlow use for float).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace common {

inline float exp_fast(float in) {
  // Clamped so that NaN lands on -87.3 (no NaN reaches the float->int
  // conversion below, which would be undefined); NaN is returned at the end.
  // (Ternaries vectorise; fmin does not.)
  const float x = in >= -87.3f ? (in <= 88.7f ? in : 88.7f) : -87.3f;
  // Round to nearest with the 1.5·2^23 trick (std::floor does not vectorise
  // without -ffast-math; this is exact for |x·log2 e| < 2^22).
  constexpr float kRound = 12582912.f;
  const float n = (x * 1.44269504088896341f + kRound) - kRound;
  float r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.f;
  const auto bits = static_cast<std::uint32_t>(static_cast<std::int32_t>(n) + 127) << 23;
  const float e = p * std::bit_cast<float>(bits);
  return in == in ? e : in;
}

inline float erf_fast(float x) {
  x = x < -4.f ? -4.f : (x > 4.f ? 4.f : x);
  const float x2 = x * x;
  float p = -2.72614225801306e-10f;
  p = p * x2 + 2.77068142495902e-08f;
  p = p * x2 + -2.10102402082508e-06f;
  p = p * x2 + -5.69250639462346e-05f;
  p = p * x2 + -7.34990630326855e-04f;
  p = p * x2 + -2.95459980854025e-03f;
  p = p * x2 + -1.60960333262415e-02f;
  p = p * x;
  float q = -1.45660718464996e-05f;
  q = q * x2 + -2.13374055278905e-04f;
  q = q * x2 + -1.68282697438203e-03f;
  q = q * x2 + -7.37332916720468e-03f;
  q = q * x2 + -1.42647390514189e-02f;
  return p / q;
}

inline float exp_ref(float x) { return std::exp(x); }
inline float erf_ref(float x) { return std::erf(x); }

}  // namespace common
