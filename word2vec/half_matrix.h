// A half-precision (IEEE fp16) copy of a float matrix for fast approximate
// scoring: half the memory traffic of float32 when a query must stream the
// whole matrix. For unit-length rows and a unit query every approximate
// dot product is within kHalfDotError of the exact one, which lets a caller
// rescore a candidate set in float32 and still return exact results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/aligned.h"

namespace w2v {

// |dot_half(row, q) - dot(row, q)| <= kHalfDotError for ||row||, ||q|| <= 1:
// each element is rounded with relative error <= 2^-11, so by
// Cauchy-Schwarz the sum errs by at most 2^-11, plus float32 accumulation.
constexpr float kHalfDotError = 1.0f / 2048.f + 1e-5f;

class HalfMatrix {
 public:
  HalfMatrix() = default;
  // Rows of m rounded to fp16; rows are padded to m.ld() halves (zeros).
  explicit HalfMatrix(const common::Matrix& m);
  std::size_t rows() const { return rows_; }
  std::size_t ld() const { return ld_; }
  const std::uint16_t* row(std::size_t r) const { return data_.data() + r * ld_; }
  // True where this CPU build has a vectorised fp16 kernel (else use float32).
  static bool fast();
  // out[r - begin] = row(r) · q for r in [begin, end); q has ld() floats.
  void dots(const float* q, std::size_t begin, std::size_t end, float* out) const;
  // Plain reference twin of dots().
  void dots_ref(const float* q, std::size_t begin, std::size_t end, float* out) const;

 private:
  std::size_t rows_ = 0, ld_ = 0;
  std::vector<std::uint16_t> data_;  // [rows, ld] fp16 bit patterns
};

// Scalar IEEE fp16 conversions (round to nearest even).
std::uint16_t float_to_half(float f);
float half_to_float(std::uint16_t h);

}  // namespace w2v
