// Writes a file atomically: everything goes to a temporary file beside the
// destination, which is renamed over it only by commit(). If commit() is
// never reached (an error, an interrupt), the temporary file is removed and
// no partial output is left behind. The temporary file is DEST.tmp-PID-XXXXXX;
// one whose process no longer runs (a kill -9) is removed, with a warning,
// by the next AtomicFile of the same destination.
#pragma once

#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>

namespace common {

class AtomicFile {
 public:
  // Creates the temporary file now, so an unwritable destination (a
  // directory, a missing or read-only folder) fails before any long work
  // starts. Throws IoError.
  explicit AtomicFile(std::string path);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  std::FILE* stream() { return f_; }
  void write(const void* data, std::size_t n);
  void write(std::string_view s) { write(s.data(), s.size()); }
  // Flushes, syncs and closes the temporary file (once). Throws IoError
  // (disk full, ...); the destination is untouched.
  void sync();
  // sync(), then renames onto the destination. Throws IoError.
  void commit();
  const std::string& path() const { return path_; }

 private:
  std::string path_, tmp_;
  std::FILE* f_ = nullptr;
  bool committed_ = false;
};

// Several files that appear together or not at all: every one is synced
// first (a full disk fails here, before any rename), then all are renamed.
void commit_all(std::initializer_list<AtomicFile*> files);

}  // namespace common
