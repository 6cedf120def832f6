// Reads a text file (or a stream) one line at a time, the one way every
// wordlens reader does it: a trailing '\r' is dropped (CRLF files read like
// LF files), lines are counted from 1 so errors can name them, and
// next_nonempty() skips blank lines. A directory or an unreadable path is an
// InputError naming the path and what it was expected to be; so is a read
// error in the middle of the input (naming the last line read).
#pragma once

#include <cstddef>
#include <fstream>
#include <istream>
#include <string>

namespace common {

class LineReader {
 public:
  // Opens `path`; `what` names the file's role for the error message
  // ("cannot open STS file 'x': No such file or directory",
  // "cannot read STS file 'x': it is a directory, not a file").
  LineReader(const std::string& path, const std::string& what);
  // Reads an already open stream (std::cin, a string stream); `name` is used
  // in where() and in errors.
  LineReader(std::istream& in, std::string name);
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its '\n' (and '\r'); false at the end. Throws
  // InputError if the stream fails other than by reaching its end.
  bool next(std::string& line);
  // The next line that is not empty (after dropping '\r'); false at the end.
  // Blank lines skipped still count in line_number().
  bool next_nonempty(std::string& line);
  // 1-based number of the line last returned (0 before the first).
  std::size_t line_number() const { return lineno_; }
  const std::string& name() const { return name_; }
  // "NAME:LINE", for error messages ("NAME:LINE: what is wrong").
  std::string where() const { return name_ + ":" + std::to_string(lineno_); }

 private:
  std::ifstream file_;
  std::istream* in_;
  std::string name_;
  std::size_t lineno_ = 0;
};

}  // namespace common
