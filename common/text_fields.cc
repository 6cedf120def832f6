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

CsvFields split_csv(std::string_view line, char sep) {
  CsvFields r;
  auto fail = [&](std::size_t at, const char* what) {
    r.fields.clear();
    r.error = what;
    r.error_byte = at + 1;
    return r;
  };
  auto is_blank = [](char c) { return c == ' ' || c == '\t'; };
  std::size_t i = 0;
  for (;;) {
    while (i < line.size() && is_blank(line[i])) ++i;
    std::string field;
    if (i < line.size() && line[i] == '"') {
      const std::size_t open = i++;
      for (;;) {
        if (i == line.size()) return fail(open, "quoted field not closed on its line");
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
      while (i < line.size() && is_blank(line[i])) ++i;
      if (i < line.size() && line[i] != sep) return fail(i, "text after a closing quote");
    } else {
      const std::size_t start = i;
      while (i < line.size() && line[i] != sep) {
        if (line[i] == '"') return fail(i, "quote inside an unquoted field (quote the whole field)");
        ++i;
      }
      std::size_t end = i;
      while (end > start && is_blank(line[end - 1])) --end;
      field.assign(line.substr(start, end - start));
    }
    r.fields.push_back(std::move(field));
    if (i == line.size()) return r;
    ++i;  // the separator
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
