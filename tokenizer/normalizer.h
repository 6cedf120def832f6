// The one text normaliser of wordlens (ICU): raw UTF-8 text in any script ->
// word tokens, used the same way by `normalize`, `train --normalize`,
// `encoder train` and every command that takes a sentence or a query word.
//
// A token is a run of letters, combining marks and digits (general
// categories L*, M*, N*), optionally followed by one apostrophe and more
// letters/marks ("don't", "ahab's", "80's"), split further at the word
// boundaries of UAX #29 where a run mixes scripts that are written without
// spaces (Han, kana, Thai, ...: ICU's dictionary segmentation). Everything else
// — whitespace, punctuation such as « » — … , symbols, emoji — separates
// tokens and is dropped. Hyphens separate tokens too unless keep_hyphens
// ("из-за", "well-known" stay whole). Each token is then NFKC-normalised,
// lowercased or case-folded, stripped of stress accents (combining U+0301 /
// U+0300 left over after composition: Russian "за́мок" -> "замок", while
// precomposed letters such as "é" or Macedonian "ќ" are kept) and, with
// yo_to_e, "ё" -> "е".
//
// Details: a token starts with a letter or a digit (a mark with no letter
// before it is dropped). ’ (U+2019) and ʼ (U+02BC) are read as ' and every
// kept hyphen (-, U+2010, U+2011) is written '-'. Format characters (general
// category Cf: soft hyphen, bidi marks, ...) inside a word do not split it and
// are dropped, except ZWNJ/ZWJ, which are kept (Persian, Indic scripts);
// variation selectors and enclosing marks (the keycap of "1️⃣") are dropped
// too. A token whose NFKC form holds separators ("½" -> "1⁄2") is scanned
// again: "1", "2". Case mapping uses the root locale (no Turkish dotless i).
//
// For ASCII text the default options give exactly the tokens of the
// benchmark corpus' rule, [a-z0-9]+('[a-z]+)? after lowercasing, with ’ and ʼ
// read as ' (tests/test_normalizer.cc checks both paths agree).
//
// A Normalizer holds ICU iterators: one per thread (it is cheap to copy).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/errors.h"

namespace tok {

enum class CaseMode { kLower, kFold, kKeep };

struct NormalizerOptions {
  CaseMode case_mode = CaseMode::kLower;  // --case lower|fold|keep
  bool strip_accents = true;              // --keep-accents turns it off
  bool yo_to_e = false;                   // --yo-to-e
  bool keep_hyphens = false;              // --keep-hyphens

  void validate() const {}
  // One line that names every setting, e.g.
  // "wordlens-normalizer 1 case=lower accents=strip yo=keep hyphens=split";
  // recorded in model files and compared at query time.
  std::string spec() const;
  // The inverse of spec(); common::FormatError naming `where` otherwise.
  static NormalizerOptions from_spec(const std::string& spec, const std::string& where);
  bool operator==(const NormalizerOptions& o) const = default;
};

// "lower", "fold", "keep" (the --case spelling) and its parse (OptionError
// "WHAT: 'x' is not one of lower, fold, keep").
std::string_view to_string(CaseMode m);
CaseMode parse_case_mode(std::string_view text, std::string_view what);

// Invalid UTF-8 or a NUL byte in text given to a Normalizer: an InputError
// whose message is "byte N: PROBLEM"; byte (N, counted from 0 in the text
// given) and problem are kept apart so that callers can name the file and
// line in their own words.
struct TextError : common::InputError {
  TextError(std::size_t byte_offset, const std::string& what_is_wrong)
      : common::InputError("byte " + std::to_string(byte_offset) + ": " + what_is_wrong),
        byte(byte_offset),
        problem(what_is_wrong) {}
  // The same error located: InputError "WHERE: byte N: PROBLEM" (WHERE is
  // e.g. "file.txt:12", N then counts from the line's first byte).
  common::InputError at(const std::string& where) const { return common::InputError(where + ": " + what()); }
  std::size_t byte;
  std::string problem;
};

// A token and the bytes [begin, end) of the raw input it came from.
struct NormToken {
  std::string text;
  std::size_t begin = 0, end = 0;
};

class Normalizer {
 public:
  explicit Normalizer(NormalizerOptions opt = {});
  Normalizer(const Normalizer& o);
  Normalizer& operator=(const Normalizer& o);
  ~Normalizer();

  const NormalizerOptions& options() const { return opt_; }

  // Tokens of one line or sentence. Invalid UTF-8 or a NUL byte throws
  // TextError (an InputError "byte N: ...", N counted from 0 in `raw`):
  // callers prefix the file and line.
  std::vector<std::string> tokens(std::string_view raw);
  std::vector<NormToken> tokens_with_offsets(std::string_view raw);

  // The tokens of one word (or any text), appended to *out; the same as
  // tokens(word) (the trainers' path, reusing *out's storage).
  void append_tokens(std::string_view word, std::vector<std::string>* out);

  // Sentences of a paragraph (UAX #29 sentence boundaries), as byte ranges
  // of `paragraph`; TextError as tokens().
  std::vector<std::pair<std::size_t, std::size_t>> sentences(std::string_view paragraph);

  // For tests: send ASCII text through the ICU path too (classification,
  // NFKC, case mapping), so that the ASCII fast path can be compared with it.
  void set_ascii_fast_path(bool on) { ascii_fast_ = on; }

 private:
  struct Icu;
  struct Sink;
  void scan(std::string_view s, int depth, const std::pair<std::size_t, std::size_t>* fixed, Sink& out);
  void split_run(std::string_view s, std::size_t begin, std::size_t end, int depth,
                 const std::pair<std::size_t, std::size_t>* fixed, Sink& out);
  void piece(std::string_view raw, std::size_t begin, std::size_t end, int depth, Sink& out);
  void finish(std::string text, std::size_t begin, std::size_t end, int depth, Sink& out);
  void apply_case(std::string& text);
  Icu& icu();

  NormalizerOptions opt_;
  std::unique_ptr<Icu> icu_;  // created on first need (pure ASCII never needs it)
  bool ascii_fast_ = true;
};

// Throws TextError at the first invalid UTF-8 sequence or NUL byte of s.
void check_text(std::string_view s);

// For published benchmark files that are not quite UTF-8 (the Lee corpus
// holds one Latin-1 byte): every byte that is not part of valid UTF-8 becomes
// U+FFFD, a separator to the normaliser. Returns the number of bytes
// replaced; *first gets the offset of the first one.
std::size_t repair_utf8(std::string& s, std::size_t* first);

// check_text for a line of a benchmark file: repair_utf8 with a warning
// "WHERE: byte N: invalid UTF-8, read as U+FFFD", then an InputError
// "WHERE: byte N: NUL byte ..." for a NUL byte.
void repair_line(std::string& line, const std::string& where);

}  // namespace tok
