// Streaming whitespace tokenizer over a byte range of a CorpusFiles.
//
// Tokens are split at ASCII and Unicode whitespace; '\n' ends a line (a
// sentence). A token longer than kMaxTokenBytes (or the limit given) is cut
// at a UTF-8 character boundary and the rest of it is skipped. Invalid UTF-8 and NUL bytes raise
// InputError naming the file, line and byte offset. Memory is constant: a
// 200 MB line is read through the same 1 MiB buffer as any other.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/corpus_files.h"
#include "tokenizer/token_source.h"

namespace tok {

class TokenReader final : public TokenSource {
 public:
  using Kind = TokenKind;
  static constexpr std::size_t kMaxTokenBytes = 100;

  // Reads tokens starting in [begin, end) of the global byte space. `begin`
  // and `end` must be boundaries from align_to_boundary(). max_token_bytes
  // (at most 256 KiB) bounds a token.
  TokenReader(const common::CorpusFiles& files, std::uint64_t begin, std::uint64_t end,
              std::size_t max_token_bytes = kMaxTokenBytes);

  // kToken: *tok is valid until the next call. kNewline: a '\n' (end of a
  // sentence). kBreak: end of a file (a sentence boundary, not a word). kEnd: the
  // range is exhausted.
  Kind next(std::string_view* tok) override;

  // Global offset of the next unread byte; seek() returns there (resume).
  std::uint64_t position() const override { return files_.files()[file_idx_].offset + file_pos_ + pos_; }
  void seek(std::uint64_t pos, std::uint64_t skip = 0) override;
  std::uint64_t begin() const override { return begin_; }
  std::uint64_t end() const { return end_; }

 private:
  bool refill(std::size_t keep_from);  // false at the end of the current file
  bool next_file();
  [[noreturn]] void fail(const char* const what[2], std::size_t at) const;
  std::size_t decode_here(std::size_t keep_from, char32_t* cp);

  const common::CorpusFiles& files_;
  std::uint64_t begin_, end_;
  std::size_t max_token_;
  std::size_t file_idx_ = 0;
  std::uint64_t file_pos_ = 0;  // file offset of buf_[0]
  std::size_t pos_ = 0, len_ = 0;
  bool break_emitted_ = false;  // kBreak already returned for the current file end
  std::vector<unsigned char> buf_;
  std::string long_tok_;        // prefix of an over-long token
};

// The first token boundary at or after `pos`: just after the next '\n' when
// one lies within 1 MiB (or at the end of the file), otherwise the first
// ASCII whitespace byte. Consistent for both neighbours of a split point.
// With newline_only, only line starts (or a file's end) are boundaries.
std::uint64_t align_to_boundary(const common::CorpusFiles& files, std::uint64_t pos, bool newline_only = false);

// Splits the corpus into n contiguous, aligned ranges of about equal bytes.
std::vector<std::pair<std::uint64_t, std::uint64_t>> split_ranges(const common::CorpusFiles& files, int n,
                                                                  bool newline_only = false);

}  // namespace tok
