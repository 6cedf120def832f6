// BPE tokens of a byte range, for the trainers: each line is cut into
// pieces, encoded with a BpeModel, and returned as shown tokens (no
// whitespace, so they are valid word2vec words). The resume point is the
// start of the current line plus the number of its tokens already returned.
#pragma once

#include <cstdint>
#include <deque>
#include <string_view>
#include <vector>

#include "tokenizer/bpe_model.h"
#include "common/corpus_files.h"
#include "tokenizer/token_source.h"

namespace tok {

class BpeTokenReader final : public TokenSource {
 public:
  // [begin, end) must start at line starts (split_ranges(..., newline_only)).
  BpeTokenReader(const common::CorpusFiles& files, const BpeModel& model, std::uint64_t begin, std::uint64_t end);
  TokenKind next(std::string_view* tok) override;
  std::uint64_t position() const override { return line_start_; }
  std::uint64_t skip() const override { return returned_; }
  void seek(std::uint64_t pos, std::uint64_t skip = 0) override;
  std::uint64_t begin() const override { return begin_; }

 private:
  bool fill();  // encodes more input into queue_; false at the end of the range

  static constexpr std::int32_t kEol = -1, kFileEnd = -2;
  const common::CorpusFiles& files_;
  const BpeModel& model_;
  BpeEncoder encoder_;
  PieceScanner scanner_;
  std::uint64_t begin_, end_;
  std::uint64_t read_pos_ = 0;     // next byte to read
  std::uint64_t line_start_ = 0;   // start of the line being returned
  std::uint64_t returned_ = 0;     // tokens of that line already returned
  std::deque<std::int32_t> queue_; // ids, kEol, kFileEnd (at most one line's worth)
  std::vector<std::int32_t> ids_;
  std::vector<char> buf_;
};

}  // namespace tok
