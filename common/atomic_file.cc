#include "common/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/errors.h"

namespace common {

namespace {

// Temporary files are named DEST.tmp-PID-XXXXXX, so a later run can tell the
// ones a killed process left (its PID no longer runs) from a live writer's.
std::string temp_prefix(const std::string& dest) { return dest + ".tmp-"; }

// Removes DEST.tmp-PID-* files whose PID is not a running process (kill -9,
// a power cut); returns how many.
int remove_stale_temps(const std::string& dest) {
  namespace fs = std::filesystem;
  const fs::path d(dest);
  const fs::path dir = d.has_parent_path() ? d.parent_path() : fs::path(".");
  const std::string prefix = d.filename().string() + ".tmp-";
  std::error_code ec;
  int removed = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string rest = name.substr(prefix.size());  // PID-XXXXXX
    const auto dash = rest.find('-');
    if (dash == std::string::npos || dash == 0 || rest.find_first_not_of("0123456789") != dash) continue;
    const long pid = std::strtol(rest.substr(0, dash).c_str(), nullptr, 10);
    if (pid <= 0 || pid == static_cast<long>(::getpid())) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    std::error_code rm;
    if (fs::remove(it->path(), rm)) {
      spdlog::warn("removed '{}', a temporary file left by an interrupted run (process {} is gone)",
                   it->path().string(), pid);
      ++removed;
    }
  }
  return removed;
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw IoError("no output path given");
  struct stat st{};
  if (::stat(path_.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw IoError("cannot write '" + path_ + "': it is a directory (give a file name)");
  remove_stale_temps(path_);
  std::string tmpl = temp_prefix(path_) + std::to_string(::getpid()) + "-XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) throw IoError("cannot write '" + path_ + "': " + std::strerror(errno));
  ::fchmod(fd, 0644);
  tmp_ = name.data();
  f_ = ::fdopen(fd, "wb");
  if (!f_) {
    ::close(fd);
    ::unlink(tmp_.c_str());
    throw IoError("cannot write '" + path_ + "': " + std::strerror(errno));
  }
  std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
}

AtomicFile::~AtomicFile() {
  if (f_) std::fclose(f_);
  if (!committed_ && !tmp_.empty()) ::unlink(tmp_.c_str());
}

void AtomicFile::write(const void* data, std::size_t n) {
  if (n && std::fwrite(data, 1, n, f_) != n)
    throw IoError("cannot write '" + path_ + "': " + std::strerror(errno));
}

void AtomicFile::sync() {
  if (!f_) return;
  bool ok = std::fflush(f_) == 0 && ::fsync(::fileno(f_)) == 0;
  int err = errno;
  ok = (std::fclose(f_) == 0) && ok;
  f_ = nullptr;
  if (!ok) throw IoError("cannot write '" + path_ + "': " + std::strerror(err ? err : errno));
}

void AtomicFile::commit() {
  sync();
  if (::rename(tmp_.c_str(), path_.c_str()) != 0)
    throw IoError("cannot rename '" + tmp_ + "' to '" + path_ + "': " + std::strerror(errno));
  committed_ = true;
}

void commit_all(std::initializer_list<AtomicFile*> files) {
  for (auto* f : files) f->sync();
  for (auto* f : files) f->commit();
}

}  // namespace common
