#include "tokenizer/readable_token.h"

#include <unicode/uchar.h>

#include "common/utf8.h"
#include "tokenizer/byte_unicode.h"

namespace tok {

namespace {

// A character that shows as itself: not whitespace, not a control, format,
// unassigned, private-use or surrogate code point.
bool prints_as_itself(char32_t cp) {
  const auto c = static_cast<UChar32>(cp);
  if (u_isUWhiteSpace(c)) return false;
  switch (u_charType(c)) {
    case U_CONTROL_CHAR: case U_FORMAT_CHAR: case U_UNASSIGNED: case U_PRIVATE_USE_CHAR: case U_SURROGATE:
    case U_LINE_SEPARATOR: case U_PARAGRAPH_SEPARATOR: case U_SPACE_SEPARATOR:
      return false;
    default:
      return true;
  }
}

}  // namespace

std::string readable_token(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::string out;
  out.reserve(bytes.size() + 4);
  for (std::size_t i = 0; i < bytes.size();) {
    char32_t cp;
    const std::size_t n = common::utf8_decode(p + i, bytes.size() - i, &cp);
    if (n > 0 && prints_as_itself(cp)) {
      out.append(bytes.substr(i, n));
      i += n;
    } else {
      append_glyph(out, byte_glyph(p[i]));
      ++i;
    }
  }
  return out;
}

bool looks_like_shown_tokens(const std::vector<std::string>& words) {
  const std::string space = bytes_to_shown(" ");
  bool marked = false;
  for (const auto& w : words) marked = marked || w.compare(0, space.size(), space) == 0;
  if (!marked) return false;
  std::string bytes;
  for (const auto& w : words)
    if (!shown_to_bytes(w, &bytes)) return false;
  return true;
}

}  // namespace tok
