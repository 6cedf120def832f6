// UTF-8 helpers: sequence decoding with validation, Unicode whitespace, and
// cutting a byte string at a character boundary.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace common {

// Decodes one UTF-8 sequence at p (at most `avail` bytes). Returns its length
// in bytes (1..4) and stores the code point, or 0 if the bytes are not valid
// UTF-8 (overlong, surrogate, > U+10FFFF, bad continuation, truncated).
std::size_t utf8_decode(const unsigned char* p, std::size_t avail, char32_t* cp);

// True for the ASCII whitespace bytes that separate tokens: space \t \n \v \f \r.
inline bool is_ascii_space(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

// True for non-ASCII Unicode White_Space code points (NBSP, en/em spaces,
// ideographic space, line/paragraph separators, NEL, ...).
bool is_unicode_space(char32_t cp);

// Length of the longest prefix of s that is at most max_bytes long and does
// not end inside a UTF-8 character.
std::size_t utf8_prefix_len(std::string_view s, std::size_t max_bytes);

// True if the whole string is valid UTF-8.
bool utf8_valid(std::string_view s);

}  // namespace common
