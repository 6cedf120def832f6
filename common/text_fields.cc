#include "common/text_fields.h"

#include "common/utf8.h"

namespace common {

std::vector<std::string> split_fields(std::string_view line, char sep) {
  std::vector<std::string> f;
  for (std::size_t start = 0;;) {
    const std::size_t end = line.find(sep, start);
    if (end == std::string_view::npos) {
      f.emplace_back(line.substr(start));
      return f;
    }
    f.emplace_back(line.substr(start, end - start));
    start = end + 1;
  }
}

std::vector<std::string> split_ws(std::string_view line) {
  std::vector<std::string> f;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_ascii_space(static_cast<unsigned char>(line[i]))) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_ascii_space(static_cast<unsigned char>(line[i]))) ++i;
    if (i > start) f.emplace_back(line.substr(start, i - start));
  }
  return f;
}

}  // namespace common
