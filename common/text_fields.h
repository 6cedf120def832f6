// Splitting one line of text into fields: on a separator character (TSV,
// CSV without quoting, "a;b;c") or on runs of ASCII whitespace (as `>>`
// reads words).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace common {

// The fields between separators, empty ones included: n separators give
// n + 1 fields ("a,,b," -> "a", "", "b", ""; "" -> one empty field).
std::vector<std::string> split_fields(std::string_view line, char sep);
// The runs of non-whitespace (space, \t, \n, \v, \f, \r); none for a blank
// line.
std::vector<std::string> split_ws(std::string_view line);

}  // namespace common
