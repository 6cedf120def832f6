// Huffman codes over word counts for hierarchical softmax: frequent words
// get short codes. Word w's path from the root visits inner nodes
// points(w)[d] (rows of syn1, 0..V-2) and branches code(w)[d] (0 or 1).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace w2v {

class HuffmanCodes {
 public:
  HuffmanCodes() = default;
  explicit HuffmanCodes(const std::vector<std::uint64_t>& counts);

  std::span<const std::uint8_t> code(std::size_t w) const {
    return {codes_.data() + offsets_[w], offsets_[w + 1] - offsets_[w]};
  }
  std::span<const std::int32_t> points(std::size_t w) const {
    return {points_.data() + offsets_[w], offsets_[w + 1] - offsets_[w]};
  }
  std::size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  std::size_t max_length() const { return max_len_; }

 private:
  std::vector<std::size_t> offsets_;   // [V+1]
  std::vector<std::uint8_t> codes_;    // [sum of code lengths]
  std::vector<std::int32_t> points_;   // [sum of code lengths]
  std::size_t max_len_ = 0;
};

}  // namespace w2v
