#include "common/buffered_writer.h"

#include "common/atomic_file.h"

namespace common {

BufferedWriter::BufferedWriter(AtomicFile& file) : BufferedWriter([&file](std::string_view s) { file.write(s); }) {}

}  // namespace common
