// The linear congruential generator word2vec.c uses (64-bit state, one
// multiply-add per draw). Its state is one integer, so it checkpoints exactly.
#pragma once

#include <cstdint>

namespace common {

class Lcg {
 public:
  explicit Lcg(std::uint64_t seed = 1) : state_(seed) {}
  std::uint64_t next() {
    state_ = state_ * 25214903917ULL + 11;
    return state_;
  }
  // Uniform integer in [0, n) from the high 32 bits (the low bits of an LCG
  // are weak).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  // 16-bit uniform fraction in [0, 65536), as word2vec.c's subsampling uses.
  std::uint32_t frac16() { return static_cast<std::uint32_t>((next() >> 16) & 0xFFFF); }
  std::uint64_t state() const { return state_; }
  void set_state(std::uint64_t s) { state_ = s; }

 private:
  std::uint64_t state_;
};

}  // namespace common
