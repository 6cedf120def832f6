// Encodes a text stream with a BPE model on common::ThreadPool: one output
// line per input line, tokens in readable form (readable_token.h), shown
// form (GPT-2 byte mapping) or integer ids, separated by single spaces; a
// last line without '\n' gets one.
//
// The input is read in large blocks (8 MiB by default); each block's
// complete lines are split at line ends into one share per thread (ith/nth),
// encoded in parallel with a per-thread piece cache, and handed to the sink
// in input order, so the output never depends on the thread count. A line
// longer than max_line_bytes is streamed through one scanner so memory stays
// bounded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/text_format.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/bpe_pieces.h"

namespace tok {

// How tokens are written: readable (for people), shown (reversible, the
// model file's form), or integer ids.
enum class BpeOutput { kReadable, kShown, kIds };

struct BpeStreamOptions {
  int threads = common::default_threads();
  BpeOutput output = BpeOutput::kReadable;
  std::size_t block_bytes = 8u << 20;        // bytes read before a parallel block is encoded
  std::size_t max_line_bytes = 64u << 20;    // longer lines are streamed
  void validate() const;                     // OptionError
};

class BpeStreamEncoder {
 public:
  // Reads up to n bytes into buf; returns 0 at the end of the input. Throws on error.
  using ReadFn = std::function<std::size_t(char* buf, std::size_t n)>;
  // Receives the output, in order, in pieces of any size.
  using SinkFn = std::function<void(std::string_view)>;

  BpeStreamEncoder(const BpeModel& model, BpeStreamOptions opt);  // keeps a reference to model

  // Encodes everything read() returns.
  void encode(const ReadFn& read, const SinkFn& sink);
  // Encodes everything readable from a file descriptor; a read error is an
  // InputError "cannot read <name>: <reason>".
  void encode_fd(int fd, const std::string& name, const SinkFn& sink);

 private:
  std::size_t fill(const ReadFn& read);
  std::string_view stream_long_line(std::string_view chunk, const SinkFn& sink);
  void encode_block(std::string_view lines, const SinkFn& sink);
  void flush_pending(bool eol, const SinkFn& sink);
  void append_token(std::int32_t id, std::string& out) const;
  void format_line(const std::vector<std::int32_t>& ids, std::string& out) const;

  const BpeModel& model_;
  BpeStreamOptions opt_;
  std::vector<BpeEncoder> encoders_;  // [threads], one piece cache each
  std::vector<std::string> outs_;     // [threads] formatted share of the current block
  std::string buf_, carry_;           // read buffer; bytes after the last complete line
  PieceScanner stream_;               // the over-long line being streamed
  std::vector<std::int32_t> pending_; // its ids not yet written
  bool streaming_ = false;
  bool line_open_ = false;            // tokens of the streamed line already written
};

}  // namespace tok
