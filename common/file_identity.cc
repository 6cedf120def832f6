#include "common/file_identity.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "common/errors.h"

namespace common {

namespace {

// 64-bit hash of a byte range (splitmix-style mixing of 8-byte words).
std::uint64_t mix_bytes(std::uint64_t h, const char* p, std::size_t n) {
  auto mix = [](std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  };
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = mix(h ^ w) + 0x9e3779b97f4a7c15ULL;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, p + i, n - i);
  return mix(h ^ tail ^ (static_cast<std::uint64_t>(n - i) << 56));
}

}  // namespace


std::uint64_t hash_file_blocks(int fd, std::uint64_t size, const std::string& path, std::uint64_t h) {
  constexpr std::uint64_t kBlocks = 64, kBlock = 4096;
  std::vector<char> buf(kBlock);
  h = mix_bytes(h, reinterpret_cast<const char*>(&size), sizeof size);
  const std::uint64_t step = size > kBlocks * kBlock ? size / kBlocks : kBlock;
  for (std::uint64_t at = 0; at < size; at += step) {
    const ssize_t n = ::pread(fd, buf.data(), static_cast<std::size_t>(std::min(kBlock, size - at)), static_cast<off_t>(at));
    if (n < 0) throw InputError("cannot read '" + path + "': " + std::strerror(errno));
    h = mix_bytes(h, buf.data(), static_cast<std::size_t>(n));
  }
  return h;
}

std::string content_fingerprint(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError("cannot open '" + path + "': " + std::strerror(errno));
  struct stat st{};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw InputError("cannot read '" + path + "': not a regular file");
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  std::uint64_t h = 0;
  try {
    h = hash_file_blocks(fd, size, path, 0x243f6a8885a308d3ULL);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::to_string(size) + " bytes, content hash " + hex;
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa{}, sb{};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

namespace {

bool real(const NamedPath& p) { return !p.path.empty() && p.path != "-"; }

// Same file on disk, or (for outputs not written yet) the same string.
bool clash(const NamedPath& a, const NamedPath& b) { return a.path == b.path || same_file(a.path, b.path); }

}  // namespace

void check_outputs_distinct(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const auto& out = outputs[i];
    if (!real(out)) continue;
    for (const auto& in : inputs)
      if (real(in) && clash(out, in))
        throw OptionError(out.option + " '" + out.path + "' is the same file as " + in.option + " '" + in.path +
                          "': writing it would destroy the input (choose another output path)");
    for (std::size_t j = i + 1; j < outputs.size(); ++j)
      if (real(outputs[j]) && clash(out, outputs[j]))
        throw OptionError(out.option + " and " + outputs[j].option + " name the same file '" + out.path + "'");
  }
}

}  // namespace common
