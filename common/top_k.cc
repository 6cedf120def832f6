#include "common/top_k.h"

#include <algorithm>
#include <cmath>

namespace common {

std::vector<Hit> top_k(const float* scores, std::size_t n, std::size_t k, std::span<const std::int32_t> exclude) {
  auto better = [](const Hit& a, const Hit& b) { return a.score != b.score ? a.score > b.score : a.id < b.id; };
  // Min-heap (by `better`) of the best k seen so far.
  std::vector<Hit> heap;
  heap.reserve(k + 1);
  for (std::size_t i = 0; i < n; ++i) {
    const float s = scores[i];
    if (heap.size() == k && !(s > heap.front().score)) continue;
    const auto id = static_cast<std::int32_t>(i);
    if (std::find(exclude.begin(), exclude.end(), id) != exclude.end()) continue;
    if (std::isnan(s)) continue;
    heap.push_back({id, s});
    std::push_heap(heap.begin(), heap.end(), better);
    if (heap.size() > k) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.pop_back();
    }
  }
  std::sort(heap.begin(), heap.end(), better);
  return heap;
}

}  // namespace common
