#include "common/npy.h"

#include "common/atomic_file.h"

namespace common {

void write_npy(const std::string& path, const float* data, std::size_t rows, std::size_t cols, std::size_t ld) {
  AtomicFile out(path);
  write_npy(out, data, rows, cols, ld);
  out.commit();
}

void write_npy(AtomicFile& out, const float* data, std::size_t rows, std::size_t cols, std::size_t ld) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                       std::to_string(cols) + "), }";
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
  for (std::size_t r = 0; r < rows; ++r) out.write(data + r * ld, cols * sizeof(float));
}

}  // namespace common
