// A sentence (or document) as an encoder trained on BPE tokens reads it at
// query time (embed, compare, attention, context, ffn): its token ids and,
// for each token, the bytes of the text it covers, so that a word of the
// text can be mapped to its pieces (a piece belongs to the word whose bytes
// it overlaps).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/bpe_model.h"

namespace tok {

// The one place text is prepared for BPE encoding at query time. Today the
// raw text passes unchanged, as `encoder train --tokenizer` read its corpus
// raw. A Unicode normaliser plugs in here; the byte ranges below are then
// ranges of its output, to be mapped back to the raw text.
std::string prepare_for_bpe(std::string_view raw);

// Bytes [begin, end) of a text.
struct ByteRange {
  std::size_t begin = 0, end = 0;
  bool empty() const { return begin >= end; }
};

struct BpeSentence {
  std::string text;               // what was encoded: prepare_for_bpe(raw)
  std::vector<std::int32_t> ids;  // the tokens, as `bpe encode --ids` gives them
  // [ids.size()]: the bytes of text each token stands for. Every line is
  // encoded with a leading space that is not in text, so a token made of
  // that space alone covers nothing.
  std::vector<ByteRange> spans;
};

// Encodes raw text: prepare_for_bpe, then line by line (lines split at
// '\n') exactly as `bpe encode` does. Text without a non-whitespace byte
// gives no tokens (an empty sentence).
BpeSentence encode_sentence(const BpeModel& model, std::string_view raw);

// The tokens [first, last) of s whose bytes overlap `bytes` (first == last
// when none do).
struct TokenRange {
  std::size_t first = 0, last = 0;
  bool empty() const { return first >= last; }
};
TokenRange tokens_overlapping(const BpeSentence& s, ByteRange bytes);

// The bytes of the index-th run of non-whitespace bytes of text (ASCII
// whitespace separates, as common::split_ws splits); empty past the last.
ByteRange whitespace_word(std::string_view text, std::size_t index);

// Where `word` occurs in text as a word: the first occurrence that starts a
// whitespace-separated word and ends where it ends or before a character
// that is not a letter, mark or digit — "раму" is found in "мыла раму."
// but not in "рамуш". Case and accents must match (the text is not
// normalised). Empty when there is none.
ByteRange find_word(std::string_view text, std::string_view word);

}  // namespace tok
