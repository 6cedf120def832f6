// Principal components of a small matrix by power iteration with deflation
// (deterministic start), for 2-D maps of sentence vectors.
#pragma once

#include <array>
#include <vector>

#include "common/aligned.h"

namespace cmp {

// Rows of x[S, d] centred and projected on the first two principal axes:
// [S] points (x, y). The sign of each axis is fixed so that its largest
// loading is positive, so the map does not flip between runs.
std::vector<std::array<double, 2>> project_2d(const common::Matrix& x);

}  // namespace cmp
