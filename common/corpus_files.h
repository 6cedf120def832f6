// The training input as one byte space: the concatenation of several files,
// directories (every regular file below, sorted) or standard input (spooled
// to an unlinked temporary file so it can be read several times).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace common {

struct CorpusFile {
  std::string path;     // as given by the user, or "<stdin>"
  int fd = -1;          // open for reading (pread); owned by CorpusFiles
  std::uint64_t size = 0;
  std::uint64_t offset = 0;  // global offset of the file's first byte
};

class CorpusFiles {
 public:
  // Opens every input. Throws InputError for a missing or unreadable path,
  // a directory with no files, or input that is entirely empty.
  explicit CorpusFiles(const std::vector<std::string>& inputs);
  CorpusFiles(const CorpusFiles&) = delete;
  CorpusFiles& operator=(const CorpusFiles&) = delete;
  ~CorpusFiles();

  const std::vector<CorpusFile>& files() const { return files_; }
  std::uint64_t total_bytes() const { return total_; }
  // Index of the file holding global offset `off` (off < total_bytes()).
  std::size_t file_at(std::uint64_t off) const;
  // Identifies the input by content ("N file(s), B bytes, content hash H":
  // sizes plus a hash of sampled blocks, names ignored), so that a resume
  // can check it reads the same text.
  std::string fingerprint() const;
  // 1-based line number of global offset `off` inside its file (for errors).
  std::uint64_t line_of(std::uint64_t off) const;

 private:
  void add_file(const std::string& path);
  void add_stdin();
  std::vector<CorpusFile> files_;
  std::uint64_t total_ = 0;
};

}  // namespace common
