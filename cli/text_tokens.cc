#include "cli/text_tokens.h"

#include <string>

#include "tokenizer/normalize.h"

namespace cli {

namespace {

// End of `token` matched in raw from byte `at` (ASCII case folded; the
// normaliser's ' also matches U+2019 and U+02BC), or npos.
std::size_t match_at(std::string_view raw, std::size_t at, const std::string& token) {
  std::size_t i = at;
  for (char c : token) {
    if (c == '\'' && raw.compare(i, 3, "\xE2\x80\x99") == 0) {
      i += 3;
    } else if (c == '\'' && raw.compare(i, 2, "\xCA\xBC") == 0) {
      i += 2;
    } else if (i < raw.size() && (raw[i] >= 'A' && raw[i] <= 'Z' ? static_cast<char>(raw[i] - 'A' + 'a') : raw[i]) == c) {
      ++i;
    } else {
      return std::string_view::npos;
    }
  }
  return i;
}

}  // namespace

std::vector<cmp::TextToken> normalized_text_tokens(std::string_view raw) {
  std::vector<cmp::TextToken> out;
  std::size_t pos = 0;
  // The tokens come in text order, and what lies between two of them holds
  // no letter or digit: the first match after the previous token is the token.
  for (auto& t : tok::normalize_tokens(raw)) {
    std::size_t begin = pos, end = pos;
    for (std::size_t s = pos; s < raw.size(); ++s)
      if (const std::size_t e = match_at(raw, s, t); e != std::string_view::npos) {
        begin = s, end = e;
        break;
      }
    out.push_back({std::move(t), begin, end});
    pos = end;
  }
  return out;
}

}  // namespace cli
