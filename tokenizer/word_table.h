// Open-addressing hash table from word bytes to dense ids, with the word
// bytes kept in one arena. Used to count words and, in the training hot
// path, to map tokens to vocabulary ids.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace tok {

inline std::uint64_t hash_bytes(std::string_view s) {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (s.size() * 0xff51afd7ed558ccdULL);
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, n);
    h = (h ^ v) * 0x94d049bb133111ebULL;
  }
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ULL;
  return h ^ (h >> 32);
}

class WordTable {
 public:
  static constexpr std::int32_t kMissing = -1;

  WordTable() { rehash(1 << 10); }

  std::int32_t find(std::string_view w) const {
    std::uint64_t h = hash_bytes(w);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      std::int32_t id = slots_[i];
      if (id < 0) return kMissing;
      if (hashes_[static_cast<std::size_t>(id)] == h && word(static_cast<std::size_t>(id)) == w) return id;
    }
  }
  // Returns the id of w, adding it if new.
  std::int32_t insert(std::string_view w) {
    std::uint64_t h = hash_bytes(w);
    std::size_t i = h & mask_;
    for (;; i = (i + 1) & mask_) {
      std::int32_t id = slots_[i];
      if (id < 0) break;
      if (hashes_[static_cast<std::size_t>(id)] == h && word(static_cast<std::size_t>(id)) == w) return id;
    }
    std::int32_t id = static_cast<std::int32_t>(hashes_.size());
    slots_[i] = id;
    hashes_.push_back(h);
    offsets_.push_back(arena_.size());
    arena_.append(w);
    if (hashes_.size() * 2 > slots_.size()) rehash(slots_.size() * 2);
    return id;
  }
  std::size_t size() const { return hashes_.size(); }
  std::string_view word(std::size_t id) const {
    std::size_t b = offsets_[id];
    std::size_t e = id + 1 < offsets_.size() ? offsets_[id + 1] : arena_.size();
    return std::string_view(arena_).substr(b, e - b);
  }

 private:
  void rehash(std::size_t n) {
    slots_.assign(n, -1);
    mask_ = n - 1;
    for (std::size_t id = 0; id < hashes_.size(); ++id) {
      std::size_t i = hashes_[id] & mask_;
      while (slots_[i] >= 0) i = (i + 1) & mask_;
      slots_[i] = static_cast<std::int32_t>(id);
    }
  }
  std::vector<std::int32_t> slots_;
  std::vector<std::uint64_t> hashes_;
  std::vector<std::size_t> offsets_;
  std::string arena_;
  std::size_t mask_ = 0;
};

// Adds word counts counted in another table: to[w] += from[w] for every w.
inline void merge_counts(WordTable& to, std::vector<std::uint64_t>& to_counts, const WordTable& from,
                         const std::vector<std::uint64_t>& from_counts) {
  for (std::size_t id = 0; id < from.size(); ++id) {
    auto g = static_cast<std::size_t>(to.insert(from.word(id)));
    if (g == to_counts.size()) to_counts.push_back(0);
    to_counts[g] += from_counts[id];
  }
}

}  // namespace tok
