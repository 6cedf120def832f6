// 64-byte aligned storage and a row-major float matrix with an explicit
// leading dimension (row stride in floats). Padding columns are kept at zero,
// so SIMD kernels may run over the full leading dimension.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace common {

constexpr std::size_t kAlignBytes = 64;
constexpr std::size_t kAlignFloats = kAlignBytes / sizeof(float);  // 16

// Rounds a column count up to a multiple of kAlignFloats.
constexpr std::size_t padded_ld(std::size_t cols) {
  return (cols + kAlignFloats - 1) / kAlignFloats * kAlignFloats;
}

// Owning, zero-initialised, 64-byte aligned float buffer.
class AlignedFloats {
 public:
  AlignedFloats() = default;
  explicit AlignedFloats(std::size_t n) { reset(n); }
  AlignedFloats(const AlignedFloats&) = delete;
  AlignedFloats& operator=(const AlignedFloats&) = delete;
  AlignedFloats(AlignedFloats&& o) noexcept { swap(o); }
  AlignedFloats& operator=(AlignedFloats&& o) noexcept {
    swap(o);
    return *this;
  }
  ~AlignedFloats() { std::free(data_); }

  void reset(std::size_t n) {
    std::free(data_);
    data_ = nullptr;
    size_ = capacity_ = 0;
    if (n == 0) return;
    std::size_t bytes = (n * sizeof(float) + kAlignBytes - 1) / kAlignBytes * kAlignBytes;
    data_ = static_cast<float*>(std::aligned_alloc(kAlignBytes, bytes));
    if (!data_) throw std::bad_alloc();
    std::memset(data_, 0, bytes);
    size_ = capacity_ = n;
  }
  // Makes room for n floats, reallocating (zeroed) only when growing; the
  // contents are otherwise left as they are. For scratch buffers reused
  // across calls (no page faults or zeroing of big buffers every time).
  void ensure(std::size_t n) {
    if (n > capacity_) {
      reset(n);
      capacity_ = n;
    }
    size_ = n;
  }
  void swap(AlignedFloats& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(capacity_, o.capacity_);
  }
  float* data() { return data_; }
  const float* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  float* data_ = nullptr;
  std::size_t size_ = 0, capacity_ = 0;
};

// Row-major matrix [rows, cols] stored with leading dimension ld >= cols.
class Matrix {
 public:
  Matrix() = default;
  Matrix(std::size_t rows, std::size_t cols) { resize(rows, cols); }

  void resize(std::size_t rows, std::size_t cols) {
    rows_ = rows;
    cols_ = cols;
    ld_ = padded_ld(cols);
    buf_.reset(rows_ * ld_);
  }
  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return cols_; }
  std::size_t ld() const { return ld_; }
  float* data() { return buf_.data(); }
  const float* data() const { return buf_.data(); }
  float* row(std::size_t r) { return buf_.data() + r * ld_; }
  const float* row(std::size_t r) const { return buf_.data() + r * ld_; }
  float& at(std::size_t r, std::size_t c) { return buf_.data()[r * ld_ + c]; }
  float at(std::size_t r, std::size_t c) const { return buf_.data()[r * ld_ + c]; }

 private:
  std::size_t rows_ = 0, cols_ = 0, ld_ = 0;
  AlignedFloats buf_;
};

}  // namespace common
