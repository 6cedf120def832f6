// Row reductions that GCC vectorises without -ffast-math: kLanes partial
// results (one AVX-512 register of floats) combined at the end, then the
// tail. They differ from a sequential loop in rounding only (sum) or not at
// all (max). Reference twins: the plain sequential loops in the tests.
#pragma once

#include <cstddef>
#include <limits>

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

// max of x[0..n) (-inf for n == 0; NaNs are skipped as std::max skips them
// when they come second).
inline float lane_max(const float* x, std::size_t n) {
  constexpr float kNegInf = -std::numeric_limits<float>::infinity();
  float acc[kLanes];
  for (float& a : acc) a = kNegInf;
  std::size_t j = 0;
  for (; j + kLanes <= n; j += kLanes)
    for (std::size_t k = 0; k < kLanes; ++k) acc[k] = x[j + k] > acc[k] ? x[j + k] : acc[k];
  float m = kNegInf;
  for (float a : acc) m = a > m ? a : m;
  for (; j < n; ++j) m = x[j] > m ? x[j] : m;
  return m;
}

}  // namespace enc
