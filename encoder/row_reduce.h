// Row reductions that GCC vectorises without -ffast-math: kLanes partial
// results (one AVX-512 register of floats) combined at the end, then the
// tail. They differ from a sequential loop in rounding only (sum) or not at
// all (max). Reference twins: the plain sequential loops in the tests.
#pragma once

#include <cstddef>
#include <cstdint>
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

// Index of the first maximum of x[0..n) (NaNs never compare greater, so
// they are skipped; 0 when there is nothing else). Each lane keeps its first
// maximum; ties between lanes go to the smaller index.
inline std::size_t lane_argmax(const float* x, std::size_t n) {
  if (n == 0) return 0;
  float best[kLanes];
  std::uint32_t at[kLanes];
  for (std::size_t k = 0; k < kLanes; ++k) best[k] = x[0], at[k] = 0;
  std::size_t j = 0;
  if (n <= std::size_t{0xFFFFFFFF} - kLanes)
    for (; j + kLanes <= n; j += kLanes)
      for (std::size_t k = 0; k < kLanes; ++k) {
        const bool gt = x[j + k] > best[k];
        best[k] = gt ? x[j + k] : best[k];
        at[k] = gt ? static_cast<std::uint32_t>(j + k) : at[k];
      }
  std::size_t arg = 0;
  for (std::size_t k = 0; k < kLanes; ++k)
    if (best[k] > x[arg] || (best[k] == x[arg] && at[k] < arg)) arg = at[k];
  for (; j < n; ++j) arg = x[j] > x[arg] ? j : arg;
  return arg;
}

}  // namespace enc
