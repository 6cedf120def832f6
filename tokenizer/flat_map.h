// Open-addressing hash map from 64-bit keys to values (linear probing,
// power-of-two capacity). Keys must not be kEmpty. Used for BPE pair tables.
#pragma once

#include <cstdint>
#include <vector>

namespace tok {

template <class V>
class FlatMap64 {
 public:
  static constexpr std::uint64_t kEmpty = ~0ULL;

  FlatMap64() { rehash(64); }

  V* find(std::uint64_t key) {
    for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
      if (keys_[i] == key) return &vals_[i];
      if (keys_[i] == kEmpty) return nullptr;
    }
  }
  const V* find(std::uint64_t key) const { return const_cast<FlatMap64*>(this)->find(key); }
  // The value for key, default-constructed if new.
  V& operator[](std::uint64_t key) {
    if ((size_ + 1) * 2 > keys_.size()) rehash(keys_.size() * 2);
    std::size_t i = slot(key);
    for (; keys_[i] != kEmpty; i = (i + 1) & mask_)
      if (keys_[i] == key) return vals_[i];
    keys_[i] = key;
    vals_[i] = V();
    ++size_;
    return vals_[i];
  }
  std::size_t size() const { return size_; }

 private:
  std::size_t slot(std::uint64_t k) const {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return static_cast<std::size_t>(k) & mask_;
  }
  void rehash(std::size_t n) {
    std::vector<std::uint64_t> keys(n, kEmpty);
    std::vector<V> vals(n);
    std::swap(keys, keys_);
    std::swap(vals, vals_);
    mask_ = n - 1;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == kEmpty) continue;
      std::size_t j = slot(keys[i]);
      while (keys_[j] != kEmpty) j = (j + 1) & mask_;
      keys_[j] = keys[i];
      vals_[j] = std::move(vals[i]);
    }
  }
  std::vector<std::uint64_t> keys_;
  std::vector<V> vals_;
  std::size_t mask_ = 0, size_ = 0;
};

inline std::uint64_t pair_key(std::int32_t a, std::int32_t b) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
}

}  // namespace tok
