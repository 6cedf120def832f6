// Exact top-k by cosine over a matrix of unit rows, the one search that
// `similar` and sentence search share: a BLAS GEMV over float32, or — when
// an fp16 copy of the rows is given — an approximate fp16 scan (half the
// bytes streamed), the candidates that could be in the top k rescored in
// float32, and the full GEMV as fallback when the error bound cannot rule
// rows out. Both paths return the same hits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/aligned.h"
#include "common/top_k.h"
#include "word2vec/half_matrix.h"

namespace w2v {

// Below this many rows a float32 GEMV is fast enough and no fp16 copy is made.
inline constexpr std::size_t kFastMinRows = 20000;

// The fp16 copy of unit[rows, ld] worth keeping for nearest_rows: empty when
// this CPU has no fp16 kernel or the matrix has fewer than kFastMinRows rows.
HalfMatrix fast_copy(const common::Matrix& unit);

// Best k of rows [0, n) of unit by dot product with the unit query q[ld],
// highest first (ties: lower id first), skipping the ids in `exclude` and
// the rows in `never` (ascending; e.g. zero rows, which must not match).
// half: fast_copy(unit) or an empty HalfMatrix.
std::vector<common::Hit> nearest_rows(const common::Matrix& unit, const HalfMatrix& half, std::size_t n, const float* q,
                                      std::size_t k, std::span<const std::int32_t> exclude,
                                      std::span<const std::int32_t> never = {});

// Plain reference twin (scalar dot products, full sort).
std::vector<common::Hit> nearest_rows_ref(const common::Matrix& unit, std::size_t n, const float* q, std::size_t k,
                                          std::span<const std::int32_t> exclude,
                                          std::span<const std::int32_t> never = {});

}  // namespace w2v
