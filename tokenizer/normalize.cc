#include "tokenizer/normalize.h"

namespace tok {

namespace {
bool alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alpha(char c) { return c >= 'a' && c <= 'z'; }
}  // namespace

std::vector<std::string> normalize_tokens(std::string_view raw) {
  // Lowercase ASCII; map U+2019 (E2 80 99) and U+02BC (CA BC) to '.
  std::string s;
  s.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c == 0xE2 && i + 2 < raw.size() && static_cast<unsigned char>(raw[i + 1]) == 0x80 &&
        static_cast<unsigned char>(raw[i + 2]) == 0x99) {
      s.push_back('\'');
      i += 2;
    } else if (c == 0xCA && i + 1 < raw.size() && static_cast<unsigned char>(raw[i + 1]) == 0xBC) {
      s.push_back('\'');
      i += 1;
    } else if (c >= 'A' && c <= 'Z') {
      s.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      s.push_back(static_cast<char>(c));
    }
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    if (!alnum(s[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && alnum(s[j])) ++j;
    // Optional suffix: an apostrophe followed by letters.
    if (j + 1 < s.size() && s[j] == '\'' && alpha(s[j + 1])) {
      std::size_t k = j + 1;
      while (k < s.size() && alpha(s[k])) ++k;
      j = k;
    }
    out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace tok
