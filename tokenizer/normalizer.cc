#include "tokenizer/normalizer.h"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucasemap.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>

#include <spdlog/spdlog.h>

#include "common/utf8.h"

namespace tok {

namespace {

// What a code point is to the scanner.
enum class Cls : unsigned char {
  kSep,     // separates tokens (spaces, punctuation, symbols, controls)
  kLetter,  // L*
  kMark,    // M*
  kDigit,   // N*
  kApos,    // ' U+2019 U+02BC: one suffix "'letters" may follow a run
  kHyphen,  // - U+2010 U+2011: joins two letters with keep_hyphens
  kFormat,  // Cf: inside a word when a word character follows
};

constexpr char32_t kZwnj = 0x200C, kZwj = 0x200D;

// Marks that only dress a glyph: variation selectors (emoji, CJK) and
// enclosing marks (the keycap of "1️⃣", circles).
bool droppable_mark(char32_t cp) {
  if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF)) return true;
  return cp >= 0x80 && u_charType(static_cast<UChar32>(cp)) == U_ENCLOSING_MARK;
}

Cls special(char32_t cp) {
  if (cp == '\'' || cp == 0x2019 || cp == 0x02BC) return Cls::kApos;
  if (cp == '-' || cp == 0x2010 || cp == 0x2011) return Cls::kHyphen;
  return Cls::kSep;
}

Cls classify_icu(char32_t cp) {
  const Cls s = special(cp);
  if (s != Cls::kSep) return s;
  switch (u_charType(static_cast<UChar32>(cp))) {
    case U_UPPERCASE_LETTER: case U_LOWERCASE_LETTER: case U_TITLECASE_LETTER: case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
      return Cls::kLetter;
    case U_NON_SPACING_MARK: case U_ENCLOSING_MARK: case U_COMBINING_SPACING_MARK:
      return Cls::kMark;
    case U_DECIMAL_DIGIT_NUMBER: case U_LETTER_NUMBER: case U_OTHER_NUMBER:
      return Cls::kDigit;
    case U_FORMAT_CHAR:
      return Cls::kFormat;
    default:
      return Cls::kSep;
  }
}

// The same for ASCII, as a table (what classify_icu gives for 0..127).
constexpr std::array<Cls, 128> make_ascii_table() {
  std::array<Cls, 128> t{};
  for (int c = 0; c < 128; ++c) {
    Cls k = Cls::kSep;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) k = Cls::kLetter;
    else if (c >= '0' && c <= '9') k = Cls::kDigit;
    else if (c == '\'') k = Cls::kApos;
    else if (c == '-') k = Cls::kHyphen;
    t[static_cast<std::size_t>(c)] = k;
  }
  return t;
}
constexpr std::array<Cls, 128> kAscii = make_ascii_table();

// A decoded code point of valid UTF-8 (check_text ran first).
struct Cp {
  char32_t cp = 0;
  std::size_t len = 0;
  Cls cls = Cls::kSep;
};

Cp decode(std::string_view s, std::size_t i, bool ascii_fast) {
  Cp c;
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80 && ascii_fast) return {b, 1, kAscii[b]};
  c.len = common::utf8_decode(reinterpret_cast<const unsigned char*>(s.data()) + i, s.size() - i, &c.cp);
  if (c.len == 0) c.len = 1;  // (not reached: the text was checked)
  c.cls = classify_icu(c.cp);
  return c;
}

// True when UAX #29 must look at a run holding cp: its Word_Break property
// is not one of those that never break inside a run of word characters.
bool needs_word_break(char32_t cp) {
  switch (u_getIntPropertyValue(static_cast<UChar32>(cp), UCHAR_WORD_BREAK)) {
    case U_WB_ALETTER: case U_WB_HEBREW_LETTER: case U_WB_NUMERIC: case U_WB_EXTEND: case U_WB_FORMAT:
    case U_WB_ZWJ:
      return false;
    default:
      return true;
  }
}

void check_icu(UErrorCode status, const char* what) {
  if (U_FAILURE(status))
    throw common::Error(std::string("ICU: ") + what + " failed: " + u_errorName(status) +
                        " (is the ICU data library installed?)");
}

// Removes combining U+0300 / U+0301 (UTF-8 CC 80 / CC 81).
void strip_stress(std::string& s) {
  std::size_t w = 0;
  for (std::size_t r = 0; r < s.size(); ++r) {
    if (static_cast<unsigned char>(s[r]) == 0xCC && r + 1 < s.size() &&
        (static_cast<unsigned char>(s[r + 1]) == 0x80 || static_cast<unsigned char>(s[r + 1]) == 0x81)) {
      ++r;
      continue;
    }
    s[w++] = s[r];
  }
  s.resize(w);
}

// ё (D1 91) -> е (D0 B5), Ё (D0 81) -> Е (D0 95).
void yo_to_e(std::string& s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    const auto a = static_cast<unsigned char>(s[i]), b = static_cast<unsigned char>(s[i + 1]);
    if (a == 0xD1 && b == 0x91) s[i] = static_cast<char>(0xD0), s[i + 1] = static_cast<char>(0xB5), ++i;
    else if (a == 0xD0 && b == 0x81) s[i + 1] = static_cast<char>(0x95), ++i;
  }
}

}  // namespace

void check_text(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    if (p[i] == 0) throw TextError(i, "NUL byte (this looks like binary data, not text)");
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    char32_t cp;
    const std::size_t n = common::utf8_decode(p + i, s.size() - i, &cp);
    if (n == 0) throw TextError(i, "invalid UTF-8 (convert the text first, e.g. iconv -f LATIN1 -t UTF-8)");
    i += n;
  }
}

std::size_t repair_utf8(std::string& s, std::size_t* first) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = 0, bad = 0;
  for (; i < s.size(); ++i) {  // the common case: nothing to repair, no copy
    char32_t cp;
    if (p[i] < 0x80) continue;
    const std::size_t n = common::utf8_decode(p + i, s.size() - i, &cp);
    if (n == 0) break;
    i += n - 1;
  }
  if (i == s.size()) return 0;
  *first = i;
  std::string out = s.substr(0, i);
  while (i < s.size()) {
    char32_t cp;
    const std::size_t n = p[i] < 0x80 ? 1 : common::utf8_decode(p + i, s.size() - i, &cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++bad, ++i;
    } else {
      out.append(s, i, n);
      i += n;
    }
  }
  s = std::move(out);
  return bad;
}

void repair_line(std::string& line, const std::string& where) {
  std::size_t first = 0;
  if (const std::size_t bad = repair_utf8(line, &first))
    spdlog::warn("{}: byte {}: invalid UTF-8 ({} byte{}), read as U+FFFD (a separator)", where, first, bad, bad == 1 ? "" : "s");
  try {
    check_text(line);
  } catch (const TextError& e) {
    throw e.at(where);
  }
}

// The ICU objects, made on first need and cloned by a copy.
struct Normalizer::Icu {
  const icu::Normalizer2* nfkc = nullptr;
  const icu::Normalizer2* nfc = nullptr;
  std::unique_ptr<icu::BreakIterator> words, sentences;
  UCaseMap* casemap = nullptr;
  std::string scratch;

  Icu() {
    UErrorCode st = U_ZERO_ERROR;
    nfkc = icu::Normalizer2::getNFKCInstance(st);
    check_icu(st, "NFKC");
    nfc = icu::Normalizer2::getNFCInstance(st);
    check_icu(st, "NFC");
    words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), st));
    check_icu(st, "the word break iterator");
    sentences.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), st));
    check_icu(st, "the sentence break iterator");
    casemap = ucasemap_open("", 0, &st);
    check_icu(st, "the case map");
  }
  Icu(const Icu& o) : nfkc(o.nfkc), nfc(o.nfc), words(o.words->clone()), sentences(o.sentences->clone()) {
    UErrorCode st = U_ZERO_ERROR;
    casemap = ucasemap_open("", 0, &st);
    check_icu(st, "the case map");
  }
  Icu& operator=(const Icu&) = delete;
  ~Icu() { ucasemap_close(casemap); }

  std::string normalize(const icu::Normalizer2& n, const std::string& s) {
    UErrorCode st = U_ZERO_ERROR;
    if (n.isNormalizedUTF8(s, st) && U_SUCCESS(st)) return s;
    st = U_ZERO_ERROR;
    std::string out;
    icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(s.size()));
    n.normalizeUTF8(0, s, sink, nullptr, st);
    check_icu(st, "normalisation");
    return out;
  }

  // Boundaries (byte offsets) of `text` found by `it`, first and last included.
  std::vector<std::size_t> boundaries(icu::BreakIterator& it, std::string_view text) {
    UErrorCode st = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;
    utext_openUTF8(&ut, text.data(), static_cast<int64_t>(text.size()), &st);
    check_icu(st, "opening text");
    it.setText(&ut, st);
    check_icu(st, "setting the break iterator's text");
    std::vector<std::size_t> b;
    for (int32_t p = it.first(); p != icu::BreakIterator::DONE; p = it.next()) b.push_back(static_cast<std::size_t>(p));
    utext_close(&ut);
    if (b.empty() || b.front() != 0) b.insert(b.begin(), 0);
    if (b.back() != text.size()) b.push_back(text.size());
    return b;
  }
};

struct Normalizer::Sink {
  virtual ~Sink() = default;
  virtual void add(std::string&& text, std::size_t begin, std::size_t end) = 0;
};

Normalizer::Normalizer(NormalizerOptions opt) : opt_(opt) { opt_.validate(); }
Normalizer::Normalizer(const Normalizer& o)
    : opt_(o.opt_), icu_(o.icu_ ? std::make_unique<Icu>(*o.icu_) : nullptr), ascii_fast_(o.ascii_fast_) {}
Normalizer& Normalizer::operator=(const Normalizer& o) {
  if (this != &o) {
    opt_ = o.opt_;
    icu_ = o.icu_ ? std::make_unique<Icu>(*o.icu_) : nullptr;
    ascii_fast_ = o.ascii_fast_;
  }
  return *this;
}
Normalizer::~Normalizer() = default;

Normalizer::Icu& Normalizer::icu() {
  if (!icu_) icu_ = std::make_unique<Icu>();
  return *icu_;
}

// Finds the runs of word characters of s (see the header) and hands each to
// split_run. `fixed`: the range every token gets (a re-scanned token).
void Normalizer::scan(std::string_view s, int depth, const std::pair<std::size_t, std::size_t>* fixed, Sink& out) {
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    Cp c = decode(s, i, ascii_fast_);
    if (c.cls != Cls::kLetter && c.cls != Cls::kDigit) {  // a mark without a letter before it is no word
      i += c.len;
      continue;
    }
    const std::size_t start = i;
    bool split = false, suffix = false, apostrophe = false;
    Cls prev = Cls::kSep;
    for (;;) {
      if ((c.cp >= 0x80 || !ascii_fast_) && !split) split = needs_word_break(c.cp);
      prev = c.cls;
      i += c.len;
      if (i >= n) break;
      c = decode(s, i, ascii_fast_);
      const bool word = c.cls == Cls::kLetter || c.cls == Cls::kMark || (c.cls == Cls::kDigit && !suffix);
      if (word) continue;
      if (c.cls == Cls::kFormat) {  // inside the word only if a word character follows
        std::size_t j = i;
        Cp d = c;
        while (d.cls == Cls::kFormat && j + d.len < n) {
          j += d.len;
          d = decode(s, j, ascii_fast_);
        }
        if (d.cls == Cls::kLetter || d.cls == Cls::kMark || (d.cls == Cls::kDigit && !suffix)) {
          i = j, c = d;
          continue;
        }
        break;
      }
      if (c.cls != Cls::kApos && c.cls != Cls::kHyphen) break;
      if (i + c.len >= n) break;
      const Cp d = decode(s, i + c.len, ascii_fast_);
      if (d.cls != Cls::kLetter) break;
      if (c.cls == Cls::kApos) {
        if (apostrophe) break;
        apostrophe = suffix = true;
      } else if (!opt_.keep_hyphens || (prev != Cls::kLetter && prev != Cls::kMark) || suffix) {
        break;
      }
      i += c.len, c = d;
    }
    if (split)
      split_run(s, start, i, depth, fixed, out);
    else
      piece(s.substr(start, i - start), fixed ? fixed->first : start, fixed ? fixed->second : i, depth, out);
  }
}

// UAX #29 word boundaries inside one run, except next to an apostrophe or
// a joining hyphen.
void Normalizer::split_run(std::string_view s, std::size_t begin, std::size_t end, int depth,
                           const std::pair<std::size_t, std::size_t>* fixed, Sink& out) {
  const std::string_view run = s.substr(begin, end - begin);
  auto& ic = icu();
  const auto b = ic.boundaries(*ic.words, run);
  auto joiner_at = [&](std::size_t at) { return decode(run, at, ascii_fast_).cls; };
  auto joiner_before = [&](std::size_t at) {
    std::size_t k = at - 1;
    while (k > 0 && (static_cast<unsigned char>(run[k]) & 0xC0) == 0x80) --k;
    return joiner_at(k);
  };
  std::size_t from = 0;
  for (std::size_t k = 1; k < b.size(); ++k) {
    const std::size_t at = b[k];
    if (at < run.size()) {
      const Cls before = joiner_before(at), after = joiner_at(at);
      if (before == Cls::kApos || before == Cls::kHyphen || after == Cls::kApos || after == Cls::kHyphen) continue;
    }
    piece(run.substr(from, at - from), fixed ? fixed->first : begin + from, fixed ? fixed->second : begin + at, depth, out);
    from = at;
  }
}

// One token as it stands in the text: ' for every apostrophe, '-' for every
// hyphen, format characters dropped (but ZWNJ, ZWJ); then finished.
void Normalizer::piece(std::string_view raw, std::size_t begin, std::size_t end, int depth, Sink& out) {
  std::string text;
  text.reserve(raw.size());
  bool ascii = true;
  for (std::size_t i = 0; i < raw.size();) {
    const Cp c = decode(raw, i, ascii_fast_);
    if (c.cls == Cls::kApos) text.push_back('\'');
    else if (c.cls == Cls::kHyphen) text.push_back('-');
    else if ((c.cls == Cls::kFormat && c.cp != kZwnj && c.cp != kZwj) || droppable_mark(c.cp)) {
    } else {
      text.append(raw.substr(i, c.len));
      ascii = ascii && c.cp < 0x80;
    }
    i += c.len;
  }
  if (text.empty()) return;
  if (ascii && ascii_fast_) {
    if (opt_.case_mode != CaseMode::kKeep)
      for (char& ch : text)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    out.add(std::move(text), begin, end);
    return;
  }
  finish(std::move(text), begin, end, depth, out);
}

void Normalizer::finish(std::string text, std::size_t begin, std::size_t end, int depth, Sink& out) {
  auto& ic = icu();
  std::string k = ic.normalize(*ic.nfkc, text);
  if (k != text && depth == 0) {  // "½" -> "1⁄2": scan the NFKC form again, in the same range
    const std::pair<std::size_t, std::size_t> range{begin, end};
    scan(k, depth + 1, &range, out);
    return;
  }
  if (opt_.yo_to_e) yo_to_e(k);
  apply_case(k);
  k = ic.normalize(*ic.nfc, k);  // case mapping may leave a letter decomposed
  if (opt_.strip_accents) strip_stress(k);
  if (!k.empty()) out.add(std::move(k), begin, end);
}

void Normalizer::apply_case(std::string& text) {
  if (opt_.case_mode == CaseMode::kKeep) return;
  auto& ic = icu();
  std::string& dst = ic.scratch;
  dst.resize(text.size() * 3 + 16);
  for (int attempt = 0; attempt < 2; ++attempt) {
    UErrorCode st = U_ZERO_ERROR;
    const auto cap = static_cast<int32_t>(dst.size());
    const auto len = static_cast<int32_t>(text.size());
    const int32_t n = opt_.case_mode == CaseMode::kFold
                          ? ucasemap_utf8FoldCase(ic.casemap, dst.data(), cap, text.data(), len, &st)
                          : ucasemap_utf8ToLower(ic.casemap, dst.data(), cap, text.data(), len, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
      dst.resize(static_cast<std::size_t>(n) + 1);
      continue;
    }
    check_icu(st, "case mapping");
    text.assign(dst.data(), static_cast<std::size_t>(n));
    return;
  }
  check_icu(U_BUFFER_OVERFLOW_ERROR, "case mapping");
}

std::vector<NormToken> Normalizer::tokens_with_offsets(std::string_view raw) {
  struct S final : Sink {
    std::vector<NormToken> v;
    void add(std::string&& t, std::size_t b, std::size_t e) override { v.push_back({std::move(t), b, e}); }
  } sink;
  check_text(raw);
  scan(raw, 0, nullptr, sink);
  return std::move(sink.v);
}

void Normalizer::append_tokens(std::string_view word, std::vector<std::string>* out) {
  struct S final : Sink {
    std::vector<std::string>* v;
    void add(std::string&& t, std::size_t, std::size_t) override { v->push_back(std::move(t)); }
  } sink;
  sink.v = out;
  check_text(word);
  scan(word, 0, nullptr, sink);
}

std::vector<std::string> Normalizer::tokens(std::string_view raw) {
  std::vector<std::string> out;
  append_tokens(raw, &out);
  return out;
}

std::vector<std::pair<std::size_t, std::size_t>> Normalizer::sentences(std::string_view paragraph) {
  check_text(paragraph);
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (paragraph.empty()) return out;
  auto& ic = icu();
  const auto b = ic.boundaries(*ic.sentences, paragraph);
  for (std::size_t k = 1; k < b.size(); ++k)
    if (b[k] > b[k - 1]) out.emplace_back(b[k - 1], b[k]);
  return out;
}

}  // namespace tok
