// Word sense induction data in the RUSSE 2018 layout (Panchenko et al.
// 2018): a tab-separated file whose header names the columns
//   context_id  word  gold_sense_id  predict_sense_id  positions  context
// (any order; word, gold_sense_id, positions and context are required).
// `positions` holds "a-b" character ranges (Unicode code points, b
// exclusive) of the target's occurrences in `context`, comma-separated
// (spaces around a range allowed); the first non-empty range is the one
// used, and empty ones ("a-a", which the RUSSE wiki dev file has) are
// ignored and counted. A field written as a CSV quoted
// field ("...", inner quotes doubled, as pandas writes and reads the RUSSE
// files) is unquoted before the offsets are applied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/normalizer.h"

namespace cmp {

struct WsiContext {
  std::string id;                  // context_id (empty if the file has none)
  std::string word;                // the target as the word column spells it
  std::int64_t gold = 0;           // gold_sense_id
  std::string context;             // the raw (unquoted) sentence
  std::size_t begin = 0, end = 0;  // the target's first non-empty range, in bytes of `context`
  std::size_t line = 0;            // 1-based line of the file
};

struct WsiData {
  std::string path;
  std::vector<WsiContext> contexts;  // file order
  std::size_t empty_ranges = 0;      // "a-a" ranges in positions: ignored, counted
};

// Reads a whole file. Throws InputError (cannot open) or FormatError naming
// FILE:LINE and what is wrong: a header without the required columns, a row
// with fewer columns than the header, a gold_sense_id that is not a whole
// number, a range that is not "a-b" with a <= b or lies outside the context
// (in code points), no non-empty range, invalid UTF-8, no rows.
WsiData read_wsi(const std::string& path);

// Byte offset of code point `cp` in valid UTF-8 `s` (cp == number of code
// points gives s.size()); SIZE_MAX if s has fewer code points.
std::size_t utf8_byte_offset(std::string_view s, std::size_t cp);

// A normalised token and the bytes of the raw text it came from.
struct TextToken {
  std::string text;
  std::size_t begin = 0, end = 0;  // byte range [begin, end) in the raw text
};

// The product's normaliser as the WSI scorer sees it: raw text in, tokens
// with byte offsets out.
using TextTokenizer = std::function<std::vector<TextToken>(std::string_view)>;

// That tokenizer on the product's normaliser: norm's tokens with the byte
// ranges they came from. `norm` must outlive the tokenizer.
TextTokenizer normalizer_tokenizer(tok::Normalizer& norm);

// Index of the target's token: the token whose byte range contains `begin`,
// else the first token starting inside [begin, end); SIZE_MAX if none (the
// normaliser dropped the target).
std::size_t target_token(const std::vector<TextToken>& tokens, std::size_t begin, std::size_t end);

}  // namespace cmp
