#include "tokenizer/bpe_token_reader.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "common/errors.h"

namespace tok {

BpeTokenReader::BpeTokenReader(const common::CorpusFiles& files, const BpeModel& model, std::uint64_t begin,
                               std::uint64_t end)
    : files_(files), model_(model), encoder_(model), begin_(begin), end_(end), buf_(1 << 16) {
  seek(begin);
}

void BpeTokenReader::seek(std::uint64_t pos, std::uint64_t skip) {
  read_pos_ = line_start_ = pos;
  returned_ = 0;
  queue_.clear();
  scanner_ = PieceScanner();
  std::string_view tok;
  for (std::uint64_t i = 0; i < skip; ++i)
    if (next(&tok) != TokenKind::kToken) throw common::FormatError("checkpoint position lies beyond its line (corpus changed?)");
}

bool BpeTokenReader::fill() {
  if (read_pos_ >= end_) return false;
  const auto& f = files_.files()[files_.file_at(read_pos_)];
  const std::uint64_t file_end = std::min(end_, f.offset + f.size);
  auto on_piece = [&](std::string_view p) {
    ids_.clear();
    encoder_.encode_piece(p, ids_);
    queue_.insert(queue_.end(), ids_.begin(), ids_.end());
  };
  auto on_eol = [&] { queue_.push_back(kEol); };
  if (read_pos_ >= file_end) {  // (only for an empty file)
    read_pos_ = file_end + (f.size == 0 ? 1 : 0);
    return read_pos_ < end_;
  }
  std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf_.size(), file_end - read_pos_));
  ssize_t n;
  do n = ::pread(f.fd, buf_.data(), want, static_cast<off_t>(read_pos_ - f.offset));
  while (n < 0 && errno == EINTR);
  if (n <= 0) throw common::InputError("cannot read '" + f.path + "'");
  // Feed up to and including the first '\n', so the queue holds one line at most.
  const char* nl = static_cast<const char*>(std::memchr(buf_.data(), '\n', static_cast<std::size_t>(n)));
  const std::size_t used = nl ? static_cast<std::size_t>(nl - buf_.data()) + 1 : static_cast<std::size_t>(n);
  for (std::size_t i = 0; i < used; ++i)
    if (buf_[i] == 0) throw common::InputError(f.path + ":" + std::to_string(files_.line_of(read_pos_ + i)) + ": NUL byte at byte offset " +
                                       std::to_string(read_pos_ + i - f.offset) + ": this looks like a binary file, not text");
  scanner_.feed(buf_.data(), used, on_piece, on_eol);
  read_pos_ += used;
  if (read_pos_ == file_end) {  // lines never continue across files
    scanner_.finish(on_piece, on_eol);
    queue_.push_back(kFileEnd);
  }
  return true;
}

TokenKind BpeTokenReader::next(std::string_view* tok) {
  while (queue_.empty())
    if (!fill()) return TokenKind::kEnd;
  const std::int32_t id = queue_.front();
  queue_.pop_front();
  if (id == kEol || id == kFileEnd) {
    // The queue holds one line at most, so reading stopped just after its
    // '\n': the next line starts where reading continues.
    line_start_ = read_pos_;
    returned_ = 0;
    return id == kEol ? TokenKind::kNewline : TokenKind::kBreak;
  }
  ++returned_;
  *tok = model_.token_shown(static_cast<std::size_t>(id));
  return TokenKind::kToken;
}

}  // namespace tok
