// Writes float32 arrays as numpy .npy files (format version 1.0), atomically.
#pragma once

#include <cstddef>
#include <string>

namespace common {

// Writes rows × cols floats taken from `data` with row stride `ld`.
void write_npy(const std::string& path, const float* data, std::size_t rows, std::size_t cols, std::size_t ld);

}  // namespace common
