// Splitting one line of text into fields: on a separator character (TSV,
// CSV without quoting, "a;b;c"), as one line of quoted CSV, or on runs of
// ASCII whitespace (as `>>` reads words).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace common {

// The fields between separators, empty ones included: n separators give
// n + 1 fields ("a,,b," -> "a", "", "b", ""; "" -> one empty field).
std::vector<std::string> split_fields(std::string_view line, char sep);
// One line of CSV (RFC 4180, a record on one line): fields separated by
// `sep`; a field in double quotes may hold the separator, and "" inside it
// stands for one quote. Spaces and tabs around a field (outside its quotes)
// are dropped. A malformed line -- a quote that is not closed on the line,
// text after a closing quote, a quote inside an unquoted field -- leaves
// `error` set (what is wrong) and `error_byte` (1-based, in the line).
// `sep` must not be a space or a tab.
struct CsvFields {
  std::vector<std::string> fields;
  std::string error;
  std::size_t error_byte = 0;
};
CsvFields split_csv(std::string_view line, char sep = ',');
// The runs of non-whitespace (space, \t, \n, \v, \f, \r); none for a blank
// line.
std::vector<std::string> split_ws(std::string_view line);

}  // namespace common
