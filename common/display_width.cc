#include "common/display_width.h"

#include <algorithm>

#include <unicode/uchar.h>

#include "common/utf8.h"

namespace common {

int codepoint_width(char32_t cp) {
  const auto c = static_cast<UChar32>(cp);
  if (cp == 0xAD) return 1;  // soft hyphen: a format character that terminals draw
  if (cp >= 0x1160 && cp <= 0x11FF) return 0;  // Hangul medial vowels and final consonants join the syllable
  const auto type = static_cast<UCharCategory>(u_charType(c));
  if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_FORMAT_CHAR) return 0;
  const auto eaw = static_cast<UEastAsianWidth>(u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH));
  return eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH ? 2 : 1;
}

std::size_t display_width(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t w = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (p[i] < 0x80) {  // ASCII: one column each
      ++w, ++i;
      continue;
    }
    char32_t cp;
    const std::size_t n = utf8_decode(p + i, text.size() - i, &cp);
    if (n == 0) {  // not valid UTF-8: one column per byte
      ++w, ++i;
      continue;
    }
    w += static_cast<std::size_t>(codepoint_width(cp));
    i += n;
  }
  return w;
}

std::string cut_to_width(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  if (width == 0) return "";
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t w = 0, i = 0;
  while (i < text.size()) {
    char32_t cp = p[i];
    std::size_t n = 1;
    if (p[i] >= 0x80) {
      n = utf8_decode(p + i, text.size() - i, &cp);
      if (n == 0) n = 1, cp = 0xFFFD;
    }
    const auto cw = p[i] < 0x80 ? 1 : static_cast<std::size_t>(codepoint_width(cp));
    if (w + cw > width - 1) break;
    w += cw, i += n;
  }
  return std::string(text.substr(0, i)) + "\xE2\x80\xA6";  // …
}

std::size_t max_display_width(const std::vector<std::string>& texts) {
  std::size_t w = 0;
  for (const auto& t : texts) w = std::max(w, display_width(t));
  return w;
}

std::string pad_right(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t w = display_width(text);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string pad_left(std::string_view text, std::size_t width) {
  const std::size_t w = display_width(text);
  std::string out(w < width ? width - w : 0, ' ');
  out.append(text);
  return out;
}

}  // namespace common
