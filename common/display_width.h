// How many terminal columns text takes, and padding to a column width, so
// that tables line up whatever the script: East Asian wide and fullwidth
// characters take 2 columns, combining marks and zero-width format
// characters 0, everything else 1; a byte that is not part of valid UTF-8
// counts 1 (terminals show it as one replacement character).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace common {

// Columns of one code point (0, 1 or 2).
int codepoint_width(char32_t cp);
// Columns of UTF-8 text.
std::size_t display_width(std::string_view text);
// The widest of texts (0 for none).
std::size_t max_display_width(const std::vector<std::string>& texts);

// text followed by spaces up to `width` columns (left-aligned in a column);
// text already as wide or wider is returned as is.
std::string pad_right(std::string_view text, std::size_t width);
// text if it fits in `width` columns, else its longest prefix (whole
// characters, combining marks kept with their letter) that fits in
// width - 1 columns followed by "…". Tabs and other control bytes count 1.
std::string cut_to_width(std::string_view text, std::size_t width);
// Spaces then text, `width` columns in all (right-aligned).
std::string pad_left(std::string_view text, std::size_t width);

}  // namespace common
