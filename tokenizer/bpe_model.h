// A byte-level BPE model: special tokens, the 256 byte tokens, and the
// ordered merges. Token ids: specials first (0..S-1), then byte b at S+b,
// then merge r creates token S+256+r. Encoding applies, within each piece
// (see bpe_pieces.h), the lowest-ranked applicable merge until none applies
// — the segmentation training produced. Decoding concatenates token bytes.
//
// File format (UTF-8 text, written atomically):
//   wordlens-bpe 1
//   # comment lines
//   specials S            then S lines, one special token each
//   merges M              then M lines "LEFT RIGHT", tokens in shown form
//   vocab V               then V lines "ID<TAB>TOKEN" (shown form; checked on load)
//   end
// Shown form: bytes through GPT-2's byte-to-unicode mapping (byte_unicode.h).
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenizer/flat_map.h"
#include "tokenizer/word_table.h"

namespace common {
class LineReader;
}

namespace tok {

class BpeModel {
 public:
  BpeModel() = default;
  // Throws OptionError for specials that are empty, contain whitespace or repeat.
  BpeModel(std::vector<std::string> specials, std::vector<std::pair<std::int32_t, std::int32_t>> merges);

  static BpeModel load(const std::string& path);  // InputError / FormatError
  // The same from the text of a model file; `name` stands for the file in
  // error messages (FormatError "NAME:LINE: ...").
  static BpeModel from_text(const std::string& text, const std::string& name);
  void save(const std::string& path) const;
  // The model file's text (what save writes).
  std::string to_text() const;
  // Identifies the model: the specials and the merges, in order
  // ("bpe:SIZE:HEX"). Two models encode every text alike iff they agree.
  std::string fingerprint() const;

  std::size_t size() const { return bytes_.size(); }
  std::size_t num_specials() const { return specials_.size(); }
  std::size_t num_merges() const { return merges_.size(); }
  const std::vector<std::string>& specials() const { return specials_; }
  const std::vector<std::pair<std::int32_t, std::int32_t>>& merges() const { return merges_; }
  std::int32_t byte_id(unsigned char b) const { return static_cast<std::int32_t>(specials_.size()) + b; }
  // The bytes a token stands for (a special's own text for specials).
  const std::string& token_bytes(std::size_t id) const { return bytes_[id]; }
  // The token shown as text without whitespace (GPT-2 mapping; specials as is).
  const std::string& token_shown(std::size_t id) const { return shown_[id]; }
  // The token as a reader wants it: printable UTF-8 as itself, other bytes
  // as their glyph (readable_token.h; specials as is). For display only.
  const std::string& token_readable(std::size_t id) const { return readable_[id]; }
  // Id of a shown token, or -1.
  std::int32_t find_shown(std::string_view shown) const { return shown_index_.find(shown); }
  // Merge rank of (a, b), or -1.
  std::int32_t rank(std::int32_t a, std::int32_t b) const {
    const std::int32_t* r = ranks_.find(pair_key(a, b));
    return r ? *r : -1;
  }
  // Appends the ids of one piece.
  void encode_piece(std::string_view piece, std::vector<std::int32_t>& out) const;

 private:
  std::vector<std::string> specials_;
  std::vector<std::pair<std::int32_t, std::int32_t>> merges_;
  static BpeModel read(common::LineReader& in);

  std::vector<std::string> bytes_, shown_, readable_;
  WordTable shown_index_;
  FlatMap64<std::int32_t> ranks_;
};

// Encodes text with a model, caching piece encodings (one per thread).
class BpeEncoder {
 public:
  explicit BpeEncoder(const BpeModel& model) : model_(model) {}
  // Appends the ids of one piece.
  void encode_piece(std::string_view piece, std::vector<std::int32_t>& out);
  // Encodes a block of complete lines ('\n'-terminated, except perhaps the
  // last): calls on_line(ids) once per line.
  template <class OnLine>
  void encode_lines(std::string_view text, OnLine&& on_line);

 private:
  const BpeModel& model_;
  WordTable cache_words_;
  std::vector<std::vector<std::int32_t>> cache_ids_;
};

// Decodes ids to bytes; a leading space (the one every encoded line starts
// with) is removed. Throws InputError for an id outside the vocabulary.
std::string bpe_decode_line(const BpeModel& model, const std::vector<std::int32_t>& ids);

}  // namespace tok

#include "tokenizer/bpe_pieces.h"

namespace tok {

template <class OnLine>
void BpeEncoder::encode_lines(std::string_view text, OnLine&& on_line) {
  PieceScanner scanner;
  std::vector<std::int32_t> ids;
  auto piece = [&](std::string_view p) { encode_piece(p, ids); };
  auto eol = [&] {
    on_line(ids);
    ids.clear();
  };
  scanner.feed(text.data(), text.size(), piece, eol);
  scanner.finish(piece, eol);
}

}  // namespace tok
