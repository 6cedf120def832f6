#include "tokenizer/paragraph_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/enum_names.h"
#include "common/errors.h"
#include "common/utf8.h"

namespace tok {

namespace {

constexpr common::EnumNames<ParagraphMode, 2> kModes{{{ParagraphMode::kBlank, "blank"}, {ParagraphMode::kLine, "line"}}};
constexpr std::size_t kReadBytes = 1 << 20;

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return common::is_ascii_space(static_cast<unsigned char>(c)); });
}

}  // namespace

std::string_view to_string(ParagraphMode m) { return common::enum_name(kModes, m); }

ParagraphMode parse_paragraph_mode(std::string_view text, std::string_view what) {
  return common::parse_enum(kModes, text, what);
}

std::pair<std::uint64_t, std::uint64_t> Paragraph::locate(std::size_t at) const {
  auto it = std::upper_bound(pieces.begin(), pieces.end(), at, [](std::size_t a, const Piece& p) { return a < p.at; });
  if (it == pieces.begin()) return {pieces.empty() ? 0 : pieces.front().line, at};
  --it;
  return {it->line, it->line_byte + (at - it->at)};
}

ParagraphReader::ParagraphReader(const std::string& path, ParagraphMode mode, std::size_t max_bytes)
    : name_(path == "-" ? "standard input" : path), mode_(mode), max_bytes_(std::max<std::size_t>(max_bytes, 16)) {
  if (path == "-") {
    fd_ = 0;
  } else {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      throw common::InputError("cannot read input '" + path + "': it is a directory, not a file");
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw common::InputError("cannot open input '" + path + "': " + std::strerror(errno));
    own_fd_ = true;
  }
  struct stat st;
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
    const off_t at = ::lseek(fd_, 0, SEEK_CUR);
    total_ = static_cast<std::uint64_t>(st.st_size) - static_cast<std::uint64_t>(std::max<off_t>(at, 0));
  }
}

ParagraphReader::~ParagraphReader() {
  if (own_fd_) ::close(fd_);
}

bool ParagraphReader::fill() {
  if (eof_) return false;
  buf_.erase(0, pos_);
  pos_ = 0;
  const std::size_t old = buf_.size();
  buf_.resize(old + kReadBytes);
  ssize_t n;
  do n = ::read(fd_, buf_.data() + old, kReadBytes);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    const int err = errno;
    buf_.resize(old);
    throw common::InputError("cannot read '" + name_ + "' after line " + std::to_string(lines_) + ": " + std::strerror(err));
  }
  buf_.resize(old + static_cast<std::size_t>(n));
  if (n == 0) eof_ = true;
  if (!bom_checked_ && buf_.size() >= 3) {
    bom_checked_ = true;
    if (buf_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3, consumed_ = 3, line_byte_ = 3;
  }
  return n > 0;
}

bool ParagraphReader::next_piece(std::string_view* piece, bool* ended, std::uint64_t* start_line,
                                 std::uint64_t* start_byte) {
  for (;;) {
    const std::size_t avail = buf_.size() - pos_;
    const char* at = buf_.data() + pos_;
    const void* nl = std::memchr(at, '\n', std::min(avail, max_bytes_ + 1));
    std::size_t len = 0, used = 0;
    if (nl) {
      len = static_cast<std::size_t>(static_cast<const char*>(nl) - at);
      used = len + 1;
      *ended = true;
    } else if (avail > max_bytes_) {  // an over-long line: cut after a space, else at a character boundary
      const std::string_view head(at, max_bytes_);
      std::size_t cut = head.find_last_of(" \t");
      cut = cut == std::string_view::npos || cut == 0 ? common::utf8_prefix_len(std::string_view(at, avail), max_bytes_) : cut + 1;
      len = used = cut == 0 ? max_bytes_ : cut;
      *ended = false;
    } else if (eof_ || (!fill() && eof_)) {
      if (buf_.size() == pos_) return false;
      len = used = buf_.size() - pos_;
      *ended = true;
      at = buf_.data() + pos_;
    } else {
      continue;
    }
    *piece = std::string_view(at, len);
    if (*ended && !piece->empty() && piece->back() == '\r') piece->remove_suffix(1);
    *start_line = line_;
    *start_byte = line_byte_;
    pos_ += used;
    consumed_ += used;
    if (*ended) {
      ++line_, ++lines_;
      line_byte_ = 0;
    } else {
      line_byte_ += used;
    }
    return true;
  }
}

bool ParagraphReader::next(Paragraph* p) {
  p->text.clear();
  p->pieces.clear();
  p->lines = 0;
  std::string_view piece;
  bool ended = false;
  std::uint64_t line = 0, byte = 0;
  while (next_piece(&piece, &ended, &line, &byte)) {
    p->lines += ended ? 1 : 0;
    if (blank(piece)) {
      if ((mode_ == ParagraphMode::kLine || ended) && !p->text.empty()) return true;
      continue;
    }
    if (!p->text.empty()) p->text.push_back(' ');
    p->pieces.push_back({p->text.size(), line, byte});
    p->text.append(piece);
    if (mode_ == ParagraphMode::kLine || !ended || p->text.size() >= max_bytes_) return true;
  }
  return !p->text.empty();
}

}  // namespace tok
