#include "tokenizer/bpe_sentence.h"

#include <unicode/uchar.h>

#include "common/utf8.h"
#include "tokenizer/bpe_pieces.h"

namespace tok {

namespace {

bool is_space(char c) { return common::is_ascii_space(static_cast<unsigned char>(c)); }

// True if text[at] starts a letter, mark or digit (so a word does not end before it).
bool continues_word(std::string_view text, std::size_t at) {
  if (at >= text.size() || is_space(text[at])) return false;
  char32_t cp;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + at;
  if (common::utf8_decode(p, text.size() - at, &cp) == 0) return false;
  const auto c = static_cast<UChar32>(cp);
  const auto type = u_charType(c);
  return u_isalnum(c) || type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
}

}  // namespace

std::string prepare_for_bpe(std::string_view raw) { return std::string(raw); }

BpeSentence encode_sentence(const BpeModel& model, std::string_view raw) {
  BpeSentence s;
  s.text = prepare_for_bpe(raw);
  bool blank = true;
  for (char c : s.text) blank = blank && is_space(c);
  if (blank) return s;
  // Offsets: `line` is where the current line starts in text; `at` counts
  // the bytes of the line's pieces so far, which start with the virtual
  // leading space (byte at - 1 of the line is text[line + at - 1]).
  std::size_t line = 0, at = 0;
  auto piece = [&](std::string_view p) {
    const std::size_t first = s.ids.size();
    model.encode_piece(p, s.ids);
    std::size_t off = at;
    for (std::size_t k = first; k < s.ids.size(); ++k) {
      const std::size_t len = model.token_bytes(static_cast<std::size_t>(s.ids[k])).size();
      s.spans.push_back({off == 0 ? line : line + off - 1, line + off + len - 1});
      off += len;
    }
    at += p.size();
  };
  auto eol = [&] {
    line += at;  // the line's bytes (at - 1) and its '\n'
    at = 0;
  };
  PieceScanner scanner;
  scanner.feed(s.text.data(), s.text.size(), piece, eol);
  scanner.finish(piece, eol);
  return s;
}

TokenRange tokens_overlapping(const BpeSentence& s, ByteRange bytes) {
  TokenRange r{s.spans.size(), s.spans.size()};
  for (std::size_t k = 0; k < s.spans.size(); ++k) {
    const ByteRange& t = s.spans[k];
    if (t.empty() || t.end <= bytes.begin || t.begin >= bytes.end) continue;
    if (r.first == s.spans.size()) r.first = k;
    r.last = k + 1;
  }
  if (r.first == s.spans.size()) r = {0, 0};
  return r;
}

ByteRange whitespace_word(std::string_view text, std::size_t index) {
  std::size_t i = 0, n = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i == text.size()) break;
    const std::size_t begin = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (n++ == index) return {begin, i};
  }
  return {};
}

ByteRange find_word(std::string_view text, std::string_view word) {
  if (word.empty()) return {};
  for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || is_space(text[at - 1]);
    if (starts && !continues_word(text, at + word.size())) return {at, at + word.size()};
  }
  return {};
}

}  // namespace tok
