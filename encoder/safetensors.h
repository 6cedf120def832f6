// Reading and writing the safetensors format (a little-endian u64 header
// length, a JSON header naming each tensor's dtype, shape and byte range,
// then the raw data), so that PyTorch users can load wordlens weights.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace enc {

struct StTensor {
  std::string dtype;               // "F32", "I32" or "I64"
  std::vector<std::size_t> shape;
  std::vector<unsigned char> bytes;
  // The product of the shape, or kNumelOverflow if it does not fit in size_t
  // (read_safetensors refuses such a tensor).
  static constexpr std::size_t kNumelOverflow = SIZE_MAX;
  std::size_t numel() const;
  // Values as float (F32; a NaN or infinity is a FormatError naming the
  // tensor and element) or as int64 (I32/I64); throw FormatError otherwise.
  std::vector<float> as_floats(const std::string& name) const;
  std::vector<std::int64_t> as_ints(const std::string& name) const;
};

struct StFile {
  std::map<std::string, StTensor> tensors;
  std::vector<std::string> order;  // tensor names in file order
  std::map<std::string, std::string> metadata;
};

// Throws InputError (cannot open) or FormatError (not safetensors, truncated,
// inconsistent header), naming the file and the tensor.
StFile read_safetensors(const std::string& path);

// Only the __metadata__ of a safetensors file (the header is read, the
// tensors are not). Errors as read_safetensors.
std::map<std::string, std::string> read_safetensors_metadata(const std::string& path);

struct StWrite {
  std::string name;
  std::vector<std::size_t> shape;
  const float* data;  // row-major, contiguous
};
// Writes F32 tensors in the given order, atomically.
void write_safetensors(const std::string& path, const std::vector<StWrite>& tensors,
                       const std::map<std::string, std::string>& metadata);

}  // namespace enc
