#include "word2vec/hot_rows.h"

#include <algorithm>
#include <cstring>

namespace w2v {

HotRows::HotRows(common::Matrix& shared, std::size_t begin, std::size_t end)
    : shared_(shared), begin_(std::min(begin, end)), end_(end), ld_(shared.ld()) {}

void HotRows::load() {
  const std::size_t n = (end_ - begin_) * ld_;
  local_.ensure(n);
  base_.ensure(n);
  if (n == 0) return;
  std::memcpy(local_.data(), shared_.row(begin_), n * sizeof(float));
  std::memcpy(base_.data(), local_.data(), n * sizeof(float));
  loaded_ = true;
}

void HotRows::sync() {
  if (!loaded_) return;
  float* shared = shared_.row(begin_);
  float* local = local_.data();
  float* base = base_.data();
  const std::size_t n = (end_ - begin_) * ld_;
  for (std::size_t i = 0; i < n; ++i) {
    const float s = shared[i] + (local[i] - base[i]);
    shared[i] = s;
    local[i] = s;
    base[i] = s;
  }
}

void HotRows::flush() {
  sync();
  loaded_ = false;
}

}  // namespace w2v
