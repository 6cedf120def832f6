// Writes float32 arrays (and int64 vectors) as numpy .npy files (format version 1.0), atomically.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace common {

class AtomicFile;

// Writes rows × cols floats taken from `data` with row stride `ld`.
void write_npy(const std::string& path, const float* data, std::size_t rows, std::size_t cols, std::size_t ld);
// The same into an open file, not committed (for outputs of several files).
void write_npy(AtomicFile& out, const float* data, std::size_t rows, std::size_t cols, std::size_t ld);
// A one-dimensional int64 array of n values ('<i8', shape (n,)), not committed.
void write_npy_int64(AtomicFile& out, const std::int64_t* data, std::size_t n);

}  // namespace common
