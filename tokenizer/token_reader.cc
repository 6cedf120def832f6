#include "tokenizer/token_reader.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/errors.h"
#include "common/utf8.h"

namespace tok {

namespace {
constexpr std::size_t kBufBytes = 1 << 20;
constexpr std::uint64_t kNewlineSearch = 1 << 20;
// Error texts: what, then the advice after the offset.
constexpr const char* kBadUtf8[2] = {"invalid UTF-8", "; convert the file first, e.g. iconv -f LATIN1 -t UTF-8"};
constexpr const char* kNulByte[2] = {"NUL byte", ": this looks like a binary file, not text"};
}  // namespace

TokenReader::TokenReader(const common::CorpusFiles& files, std::uint64_t begin, std::uint64_t end,
                         std::size_t max_token_bytes)
    : files_(files), begin_(begin), end_(end), max_token_(std::min<std::size_t>(max_token_bytes, kBufBytes / 4)),
      buf_(kBufBytes) {
  seek(begin);
}

void TokenReader::seek(std::uint64_t pos, std::uint64_t skip) {
  (void)skip;  // positions are always between tokens
  if (pos >= files_.total_bytes()) {
    file_idx_ = files_.files().size() - 1;
    file_pos_ = files_.files()[file_idx_].size;
  } else {
    file_idx_ = files_.file_at(pos);
    file_pos_ = pos - files_.files()[file_idx_].offset;
  }
  pos_ = len_ = 0;
  break_emitted_ = false;
}

bool TokenReader::refill(std::size_t keep_from) {
  const auto& f = files_.files()[file_idx_];
  std::size_t keep = len_ - keep_from;
  if (keep_from > 0 && keep > 0) std::memmove(buf_.data(), buf_.data() + keep_from, keep);
  file_pos_ += keep_from;
  pos_ -= keep_from;
  len_ = keep;
  const std::uint64_t at = file_pos_ + len_;
  if (at >= f.size) return false;
  std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf_.size() - len_, f.size - at));
  ssize_t n;
  do n = ::pread(f.fd, buf_.data() + len_, want, static_cast<off_t>(at));
  while (n < 0 && errno == EINTR);
  if (n < 0) throw common::InputError("cannot read '" + f.path + "': " + std::strerror(errno));
  if (n == 0) throw common::InputError("'" + f.path + "' shrank while being read (was it modified during training?)");
  // A UTF-8 byte order mark at the start of a file is not text.
  if (at == 0 && n >= 3 && buf_[0] == 0xEF && buf_[1] == 0xBB && buf_[2] == 0xBF) pos_ += 3;
  len_ += static_cast<std::size_t>(n);
  return true;
}

bool TokenReader::next_file() {
  if (file_idx_ + 1 >= files_.files().size()) return false;
  if (files_.files()[file_idx_ + 1].offset >= end_) return false;
  ++file_idx_;
  file_pos_ = 0;
  pos_ = len_ = 0;
  break_emitted_ = false;
  return true;
}

void TokenReader::fail(const char* const what[2], std::size_t at) const {
  const auto& f = files_.files()[file_idx_];
  std::uint64_t global = f.offset + file_pos_ + at;
  throw common::InputError(f.path + ":" + std::to_string(files_.line_of(global)) + ": " + what[0] + " at byte offset " +
                   std::to_string(file_pos_ + at) + what[1]);
}

// Decodes the non-ASCII character at buf_[pos_]; may refill (keeping bytes
// from `keep_from`, which shifts pos_ down by keep_from) so that a whole
// sequence is visible. Returns its length in bytes.
std::size_t TokenReader::decode_here(std::size_t keep_from, char32_t* cp) {
  if (len_ - pos_ < 4 && file_pos_ + len_ < files_.files()[file_idx_].size) refill(keep_from);
  std::size_t n = common::utf8_decode(buf_.data() + pos_, len_ - pos_, cp);
  if (n == 0) fail(kBadUtf8, pos_);
  return n;
}

TokenReader::Kind TokenReader::next(std::string_view* tok) {
  // Skip whitespace up to the start of a token, a newline, or the end.
  for (;;) {
    if (pos_ == len_ && !refill(pos_)) {
      // End of a file ends a sentence, whether or not it ended with '\n'.
      if (!break_emitted_) {
        break_emitted_ = true;
        return Kind::kBreak;
      }
      if (!next_file()) return Kind::kEnd;
      continue;
    }
    const unsigned char c = buf_[pos_];
    if (position() >= end_) return Kind::kEnd;
    if (c == '\n') {
      ++pos_;
      return Kind::kNewline;
    }
    if (c < 0x80) {
      if (common::is_ascii_space(c)) {
        ++pos_;
        continue;
      }
      if (c == 0) fail(kNulByte, pos_);
      break;
    }
    char32_t cp;
    std::size_t n = decode_here(pos_, &cp);
    if (!common::is_unicode_space(cp)) break;
    pos_ += n;
  }
  // Scan the token.
  std::size_t start = pos_;
  bool cut = false;  // the token exceeded max_token_; its prefix is in long_tok_
  for (;;) {
    if (pos_ == len_) {
      std::size_t keep = cut ? pos_ : start;
      bool more = refill(keep);
      start -= std::min(start, keep);
      if (!more) break;
    }
    const unsigned char c = buf_[pos_];
    if (c < 0x80) {
      if (common::is_ascii_space(c)) break;
      if (c == 0) fail(kNulByte, pos_);
      ++pos_;
    } else {
      char32_t cp;
      std::size_t before = pos_;
      std::size_t n = decode_here(cut ? pos_ : start, &cp);
      start -= std::min(start, before - pos_);  // a refill shifted the buffer
      if (common::is_unicode_space(cp)) break;
      pos_ += n;
    }
    if (!cut && pos_ - start > max_token_) {
      std::string_view sv(reinterpret_cast<const char*>(buf_.data() + start), pos_ - start);
      long_tok_.assign(sv.substr(0, common::utf8_prefix_len(sv, max_token_)));
      cut = true;
    }
  }
  if (cut) {
    *tok = long_tok_;
  } else {
    *tok = std::string_view(reinterpret_cast<const char*>(buf_.data() + start), pos_ - start);
  }
  return Kind::kToken;
}

std::uint64_t align_to_boundary(const common::CorpusFiles& files, std::uint64_t pos, bool newline_only) {
  if (pos == 0 || pos >= files.total_bytes()) return std::min(pos, files.total_bytes());
  const auto& f = files.files()[files.file_at(pos)];
  std::uint64_t p = pos - f.offset;
  if (p == 0) return pos;
  // Search for '\n' within kNewlineSearch bytes; otherwise the first ASCII space.
  std::vector<char> buf(1 << 16);
  std::uint64_t first_space = UINT64_MAX;
  for (std::uint64_t q = p; q < f.size;) {
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), f.size - q));
    ssize_t n = ::pread(f.fd, buf.data(), want, static_cast<off_t>(q));
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      unsigned char c = static_cast<unsigned char>(buf[i]);
      if (newline_only || q + i - p < kNewlineSearch) {
        if (c == '\n') return f.offset + q + i + 1;
        if (first_space == UINT64_MAX && common::is_ascii_space(c)) first_space = q + i;
      } else if (first_space != UINT64_MAX) {
        return f.offset + first_space;
      } else if (common::is_ascii_space(c)) {
        return f.offset + q + i;
      }
    }
    q += static_cast<std::uint64_t>(n);
  }
  if (!newline_only && first_space != UINT64_MAX && f.size - p > kNewlineSearch) return f.offset + first_space;
  return f.offset + f.size;
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> split_ranges(const common::CorpusFiles& files, int n, bool newline_only) {
  std::vector<std::uint64_t> cuts(static_cast<std::size_t>(n) + 1);
  const std::uint64_t total = files.total_bytes();
  for (int i = 0; i <= n; ++i)
    cuts[static_cast<std::size_t>(i)] = align_to_boundary(files, total / static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(i), newline_only);
  cuts[static_cast<std::size_t>(n)] = total;
  for (int i = 1; i <= n; ++i) cuts[static_cast<std::size_t>(i)] = std::max(cuts[static_cast<std::size_t>(i)], cuts[static_cast<std::size_t>(i) - 1]);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
  for (int i = 0; i < n; ++i) out.emplace_back(cuts[static_cast<std::size_t>(i)], cuts[static_cast<std::size_t>(i) + 1]);
  return out;
}

}  // namespace tok
