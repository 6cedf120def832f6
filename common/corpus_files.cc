#include "common/corpus_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/errors.h"
#include "common/file_identity.h"

namespace common {
namespace fs = std::filesystem;

namespace {
std::string errno_text() { return std::strerror(errno); }
}  // namespace

CorpusFiles::CorpusFiles(const std::vector<std::string>& inputs) {
  if (inputs.empty()) throw InputError("no training input given (use -train FILE, a directory, or - for stdin)");
  for (const auto& in : inputs) {
    if (in == "-") {
      add_stdin();
      continue;
    }
    std::error_code ec;
    auto st = fs::status(in, ec);
    if (ec || !fs::exists(st)) throw InputError("cannot open training input '" + in + "': no such file or directory");
    if (fs::is_directory(st)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(in, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (!name.empty() && name[0] == '.') {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file()) found.push_back(it->path().string());
      }
      if (ec) throw InputError("cannot list directory '" + in + "': " + ec.message());
      if (found.empty()) throw InputError("training directory '" + in + "' contains no files");
      std::sort(found.begin(), found.end());
      for (const auto& f : found) add_file(f);
    } else {
      add_file(in);
    }
  }
  if (total_ == 0) throw InputError("the training input is empty (0 bytes): give a text file with one sentence per line");
}

CorpusFiles::~CorpusFiles() {
  for (auto& f : files_)
    if (f.fd >= 0) ::close(f.fd);
}

void CorpusFiles::add_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError("cannot open training input '" + path + "': " + errno_text());
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw InputError("training input '" + path + "' is not a regular file (use - to read a pipe from stdin)");
  }
  files_.push_back({path, fd, static_cast<std::uint64_t>(st.st_size), total_});
  total_ += static_cast<std::uint64_t>(st.st_size);
}

void CorpusFiles::add_stdin() {
  // Spool stdin into an unlinked temporary file: training reads the corpus
  // once per epoch, and memory must not grow with the corpus.
  const char* tmpdir = std::getenv("TMPDIR");
  std::string tmpl = (fs::path(tmpdir && *tmpdir ? tmpdir : "/tmp") / "wordlens-stdin-XXXXXX").string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) throw IoError("cannot create a temporary file in " + tmpl + " to hold stdin: " + errno_text());
  ::unlink(name.data());
  std::vector<char> buf(1 << 20);
  std::uint64_t size = 0;
  for (;;) {
    ssize_t n = ::read(0, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      throw InputError("cannot read stdin: " + errno_text());
    }
    if (n == 0) break;
    for (ssize_t w = 0; w < n;) {
      ssize_t k = ::write(fd, buf.data() + w, static_cast<std::size_t>(n - w));
      if (k < 0 && errno == EINTR) continue;
      if (k < 0) {
        ::close(fd);
        throw IoError("cannot spool stdin to " + tmpl + ": " + errno_text());
      }
      w += k;
    }
    size += static_cast<std::uint64_t>(n);
  }
  files_.push_back({"<stdin>", fd, size, total_});
  total_ += size;
}

std::size_t CorpusFiles::file_at(std::uint64_t off) const {
  auto it = std::upper_bound(files_.begin(), files_.end(), off,
                             [](std::uint64_t o, const CorpusFile& f) { return o < f.offset; });
  std::size_t i = static_cast<std::size_t>(it - files_.begin()) - 1;
  // Skip empty files that share the offset with the next one.
  while (i + 1 < files_.size() && files_[i].size == 0) ++i;
  while (i + 1 < files_.size() && off >= files_[i].offset + files_[i].size) ++i;
  return i;
}

std::string CorpusFiles::fingerprint() const {
  // Contents, not names: each file's size and a hash of blocks spread evenly
  // over it (common::hash_file_blocks), so './c.txt' and 'c.txt' match and
  // other text of the same size does not.
  std::uint64_t h = 0x243f6a8885a308d3ULL;
  for (const auto& f : files_) h = hash_file_blocks(f.fd, f.size, f.path, h);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::to_string(files_.size()) + " file(s), " + std::to_string(total_) + " bytes, content hash " + hex;
}

std::uint64_t CorpusFiles::line_of(std::uint64_t off) const {
  const auto& f = files_[file_at(off)];
  std::uint64_t end = off - f.offset, line = 1;
  std::vector<char> buf(1 << 16);
  for (std::uint64_t p = 0; p < end;) {
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), end - p));
    ssize_t n = ::pread(f.fd, buf.data(), want, static_cast<off_t>(p));
    if (n <= 0) break;
    line += static_cast<std::uint64_t>(std::count(buf.data(), buf.data() + n, '\n'));
    p += static_cast<std::uint64_t>(n);
  }
  return line;
}

}  // namespace common
