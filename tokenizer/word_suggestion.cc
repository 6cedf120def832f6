#include "tokenizer/word_suggestion.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>


namespace tok {

namespace {

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Code points of s; a byte that does not start valid UTF-8 is one "code point" of its own (0x110000 + byte).
std::u32string code_points(std::string_view s) {
  std::u32string out;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) out.push_back(static_cast<char32_t>(u.char32At(i)));
  return out;
}

}  // namespace

std::string loose_key(std::string_view word) {
  if (is_ascii(word)) {
    std::string k(word);
    for (char& c : k)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return k;
  }
  UErrorCode st = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(st);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(st);
  if (U_FAILURE(st)) return std::string(word);
  const icu::UnicodeString in = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  icu::UnicodeString d = nfkd->normalize(in, st), bare;
  if (U_FAILURE(st)) return std::string(word);
  for (int32_t i = 0; i < d.length(); i = d.moveIndex32(i, 1)) {
    const UChar32 c = d.char32At(i);
    if (u_charType(c) != U_NON_SPACING_MARK) bare.append(c);
  }
  bare.foldCase();
  icu::UnicodeString out = nfc->normalize(bare, st);
  if (U_FAILURE(st)) return std::string(word);
  std::string key;
  out.toUTF8String(key);
  return key;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::u32string x = code_points(a), y = code_points(b);
  std::vector<std::size_t> row(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (x[i - 1] == y[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[y.size()];
}

std::optional<std::string> suggest_word(std::string_view query, const std::vector<std::string>& words, std::size_t scan_same,
                                        std::size_t scan_near) {
  const std::string key = loose_key(query);
  const std::size_t same_end = std::min(words.size(), scan_same);
  for (std::size_t i = 0; i < same_end; ++i)
    if (words[i] != query && loose_key(words[i]) == key) return words[i];
  const std::size_t len = code_points(key).size();
  if (len <= 3) return std::nullopt;
  const std::size_t limit = len <= 6 ? 1 : 2;
  std::size_t best = limit + 1, found = words.size();
  const std::size_t near_end = std::min(words.size(), scan_near);
  for (std::size_t i = 0; i < near_end && best > 1; ++i) {  // 1 edit is the best left after the pass above
    if (words[i] == query) continue;
    const std::string k = loose_key(words[i]);
    const std::size_t kl = code_points(k).size();
    if ((kl > len ? kl - len : len - kl) >= best) continue;  // the lengths alone differ by too much
    const std::size_t d = edit_distance(key, k);
    if (d >= 1 && d < best) best = d, found = i;  // the most frequent word at the smallest distance
  }
  if (found == words.size()) return std::nullopt;
  return words[found];
}

}  // namespace tok
