#include "word2vec/huffman.h"

#include <algorithm>
#include <numeric>

namespace w2v {

HuffmanCodes::HuffmanCodes(const std::vector<std::uint64_t>& counts) {
  const std::size_t n = counts.size();
  offsets_.assign(n + 1, 0);
  if (n < 2) return;
  // Two-queue construction: leaves in ascending count order, inner nodes are
  // created in non-decreasing weight order, so the two smallest are always at
  // the heads of the queues. Nodes 0..n-1 are leaves (word ids), n..2n-2 inner.
  std::vector<std::size_t> leaves(n);
  std::iota(leaves.begin(), leaves.end(), 0);
  std::stable_sort(leaves.begin(), leaves.end(), [&](std::size_t a, std::size_t b) { return counts[a] < counts[b]; });
  std::vector<std::uint64_t> weight(2 * n - 1);
  std::vector<std::size_t> parent(2 * n - 1, 0);
  std::vector<std::uint8_t> branch(2 * n - 1, 0);
  for (std::size_t i = 0; i < n; ++i) weight[i] = counts[i];
  std::size_t li = 0, ii = n, next = n;
  auto pop_min = [&]() {
    if (li < n && (ii >= next || weight[leaves[li]] <= weight[ii])) return leaves[li++];
    return ii++;
  };
  for (; next < 2 * n - 1; ++next) {
    std::size_t a = pop_min(), b = pop_min();
    weight[next] = weight[a] + weight[b];
    parent[a] = parent[b] = next;
    branch[b] = 1;
  }
  const std::size_t root = 2 * n - 2;
  std::vector<std::uint8_t> code;
  std::vector<std::int32_t> point;
  for (std::size_t w = 0; w < n; ++w) {
    code.clear();
    point.clear();
    for (std::size_t node = w; node != root; node = parent[node]) {
      code.push_back(branch[node]);
      point.push_back(static_cast<std::int32_t>(parent[node] - n));
    }
    std::reverse(code.begin(), code.end());
    std::reverse(point.begin(), point.end());
    codes_.insert(codes_.end(), code.begin(), code.end());
    points_.insert(points_.end(), point.begin(), point.end());
    offsets_[w + 1] = codes_.size();
    max_len_ = std::max(max_len_, code.size());
  }
}

}  // namespace w2v
