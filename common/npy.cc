#include "common/npy.h"

#include <bit>

#include "common/atomic_file.h"

namespace common {

void write_npy(const std::string& path, const float* data, std::size_t rows, std::size_t cols, std::size_t ld) {
  AtomicFile out(path);
  write_npy(out, data, rows, cols, ld);
  out.commit();
}

namespace {

// The magic, version and header of a little-endian array of type `descr`
// ("<f4", "<i8") and shape `shape` ("3, 4" or "5,").
void write_header(AtomicFile& out, const char* descr, const std::string& shape) {
  std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
  // magic(6) + version(2) + header length(2) + header, padded with spaces and
  // ended by '\n' to a multiple of 64 bytes.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  const unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                                 static_cast<unsigned char>(header.size() & 0xFF),
                                 static_cast<unsigned char>(header.size() >> 8)};
  out.write(pre, sizeof pre);
  out.write(header);
}

}  // namespace

void write_npy(AtomicFile& out, const float* data, std::size_t rows, std::size_t cols, std::size_t ld) {
  write_header(out, "<f4", std::to_string(rows) + ", " + std::to_string(cols));
  for (std::size_t r = 0; r < rows; ++r) out.write(data + r * ld, cols * sizeof(float));
}

void write_npy_int64(AtomicFile& out, const std::int64_t* data, std::size_t n) {
  static_assert(std::endian::native == std::endian::little, "npy '<i8' is written as the machine's int64");
  write_header(out, "<i8", std::to_string(n) + ",");
  out.write(data, n * sizeof(std::int64_t));
}

}  // namespace common
