// Writes float32 arrays as numpy .npy files (format version 1.0), atomically.
#pragma once

#include <cstddef>
#include <string>

namespace common {

class AtomicFile;

// Writes rows × cols floats taken from `data` with row stride `ld`.
void write_npy(const std::string& path, const float* data, std::size_t rows, std::size_t cols, std::size_t ld);
// The same into an open file, not committed (for outputs of several files).
void write_npy(AtomicFile& out, const float* data, std::size_t rows, std::size_t cols, std::size_t ld);

}  // namespace common
