// The tokens `train --normalize` and `encoder train` learn from raw text: the
// whitespace words of a TokenReader, each normalised into 0..n tokens by a
// Normalizer, as `wordlens normalize` would write them (sentence boundaries
// aside: lines stay the sentences). Normalising word by word gives the
// tokens of the whole line, since no token spans whitespace. A word is read
// whole up to kMaxWordBytes (a line of Chinese or Thai has no spaces); every
// token is then cut to TokenReader::kMaxTokenBytes like any other.
//
// Resumable like BpeTokenReader: the resume point is the start of the word
// being returned plus the number of its tokens already returned.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/normalizer.h"
#include "tokenizer/token_reader.h"

namespace tok {

class NormalizingReader final : public TokenSource {
 public:
  static constexpr std::size_t kMaxWordBytes = 1 << 16;

  NormalizingReader(const common::CorpusFiles& files, std::uint64_t begin, std::uint64_t end,
                    const NormalizerOptions& options);
  TokenKind next(std::string_view* tok) override;
  std::uint64_t position() const override { return word_start_; }
  std::uint64_t skip() const override { return returned_; }
  void seek(std::uint64_t pos, std::uint64_t skip = 0) override;
  std::uint64_t begin() const override { return reader_.begin(); }

 private:
  bool plain(std::string_view w) const;  // a word that is its own only token

  TokenReader reader_;
  Normalizer norm_;
  std::vector<std::string> pending_;  // tokens of the current word
  std::size_t next_ = 0;              // next of pending_ to return
  std::uint64_t word_start_ = 0, returned_ = 0;
};

}  // namespace tok
