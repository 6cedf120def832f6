// Where the trainers get tokens from: whitespace tokens (TokenReader),
// normalised tokens of raw text (NormalizingReader) or byte-level BPE tokens
// (BpeTokenReader), each over a byte range of a CorpusFiles, each resumable
// at the position it reports.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

namespace common {
class CorpusFiles;
}

namespace tok {

class BpeModel;
struct NormalizerOptions;

enum class TokenKind { kToken, kNewline, kBreak, kEnd };

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // kToken: *tok is valid until the next call. kNewline: end of a line.
  // kBreak: end of a file (a sentence boundary). kEnd: the range is done.
  virtual TokenKind next(std::string_view* tok) = 0;
  // Resume point: seek(position(), skip()) continues with the next token.
  virtual std::uint64_t position() const = 0;
  virtual std::uint64_t skip() const { return 0; }
  virtual void seek(std::uint64_t pos, std::uint64_t skip = 0) = 0;
  virtual std::uint64_t begin() const = 0;
};

// Whitespace tokens, BPE tokens (shown form) when bpe is given, or the
// normalised tokens of each whitespace word when normalize is given (not
// both).
std::unique_ptr<TokenSource> make_token_source(const common::CorpusFiles& files, std::uint64_t begin,
                                               std::uint64_t end, const BpeModel* bpe,
                                               const NormalizerOptions* normalize = nullptr);

}  // namespace tok
