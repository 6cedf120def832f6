// The best k of n scores: a bounded heap, exact, NaN-skipping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace common {

struct Hit {
  std::int32_t id;
  float score;
};

// Best k of scores[n] not in exclude, highest first (ties: lower id first).
std::vector<Hit> top_k(const float* scores, std::size_t n, std::size_t k, std::span<const std::int32_t> exclude);

}  // namespace common
