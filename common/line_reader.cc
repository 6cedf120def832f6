#include "common/line_reader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "common/errors.h"

namespace common {

LineReader::LineReader(const std::string& path, const std::string& what) : in_(&file_), name_(path) {
  // An ifstream opens a directory without complaint and then reads nothing:
  // refuse it here, by name.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError("cannot read " + what + " '" + path + "': it is a directory, not a file");
  errno = 0;
  file_.open(path, std::ios::binary);
  if (!file_)
    throw InputError("cannot open " + what + " '" + path + "': " + (errno ? std::strerror(errno) : "cannot be opened"));
}

LineReader::LineReader(std::istream& in, std::string name) : in_(&in), name_(std::move(name)) {}

bool LineReader::next(std::string& line) {
  if (!std::getline(*in_, line)) {
    if (in_->bad())
      throw InputError("cannot read '" + name_ + "' after line " + std::to_string(lineno_) + ": read error");
    return false;
  }
  ++lineno_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

bool LineReader::next_nonempty(std::string& line) {
  while (next(line))
    if (!line.empty()) return true;
  return false;
}

}  // namespace common
