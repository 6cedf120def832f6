#include "tokenizer/bpe_stream_encoder.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "common/errors.h"
#include "common/parallel.h"

namespace tok {

void BpeStreamOptions::validate() const {
  if (threads < 1 || threads > 256) throw common::OptionError("--threads must be between 1 and 256");
  if (block_bytes < 1) throw common::OptionError("the encoding block size must be positive");
}

BpeStreamEncoder::BpeStreamEncoder(const BpeModel& model, BpeStreamOptions opt) : model_(model), opt_(opt) {
  opt_.validate();
  encoders_.reserve(static_cast<std::size_t>(opt_.threads));
  for (int t = 0; t < opt_.threads; ++t) encoders_.emplace_back(model_);
  outs_.resize(static_cast<std::size_t>(opt_.threads));
}

void BpeStreamEncoder::append_token(std::int32_t id, std::string& out) const {
  if (opt_.output != BpeOutput::kIds) {
    const auto i = static_cast<std::size_t>(id);
    out += opt_.output == BpeOutput::kShown ? model_.token_shown(i) : model_.token_readable(i);
    return;
  }
  char digits[16];
  const auto r = std::to_chars(digits, digits + sizeof digits, id);
  out.append(digits, r.ptr);
}

void BpeStreamEncoder::format_line(const std::vector<std::int32_t>& ids, std::string& out) const {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out.push_back(' ');
    append_token(ids[i], out);
  }
  out.push_back('\n');
}

void BpeStreamEncoder::flush_pending(bool eol, const SinkFn& sink) {
  std::string s;
  for (auto id : pending_) {
    if (!s.empty() || line_open_) s.push_back(' ');
    append_token(id, s);
  }
  line_open_ = line_open_ || !pending_.empty();
  pending_.clear();
  if (eol) {
    s.push_back('\n');
    line_open_ = false;
  }
  if (!s.empty()) sink(s);
}

std::size_t BpeStreamEncoder::fill(const ReadFn& read) {
  // Fill the whole buffer (a pipe returns 64 KiB per read) so that each
  // parallel block is large.
  std::size_t got = 0;
  while (got < buf_.size()) {
    const std::size_t k = read(buf_.data() + got, buf_.size() - got);
    if (k == 0) break;
    got += k;
  }
  return got;
}

// Streams (part of) an over-long line; returns what follows its end in chunk.
std::string_view BpeStreamEncoder::stream_long_line(std::string_view chunk, const SinkFn& sink) {
  auto piece = [&](std::string_view p) { encoders_[0].encode_piece(p, pending_); };
  if (!streaming_) {
    stream_.feed(carry_.data(), carry_.size(), piece, [] {});
    carry_.clear();
    flush_pending(false, sink);
    streaming_ = true;
  }
  bool ended = false;
  const std::size_t nl = chunk.find('\n');
  const std::string_view head = nl == std::string_view::npos ? chunk : chunk.substr(0, nl + 1);
  stream_.feed(head.data(), head.size(), piece, [&] { ended = true; });
  flush_pending(ended, sink);
  if (ended) streaming_ = false;
  chunk.remove_prefix(head.size());
  return chunk;
}

// Encodes complete lines: one share per thread, split at line ends, written in order.
void BpeStreamEncoder::encode_block(std::string_view lines, const SinkFn& sink) {
  const int nth = opt_.threads;
  std::vector<std::string_view> parts;
  std::size_t begin = 0;
  for (int t = 0; t < nth; ++t) {
    const bool last = t + 1 == nth;
    std::size_t end = last ? lines.size() : lines.size() * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(nth);
    end = std::max(end, begin);
    const std::size_t nl = lines.find('\n', end == 0 ? 0 : end - 1);
    end = last || nl == std::string_view::npos ? lines.size() : std::max(begin, nl + 1);
    parts.push_back(lines.substr(begin, end - begin));
    begin = end;
  }
  common::ThreadPool::shared().run(nth, [&](int ith, int) {
    const auto i = static_cast<std::size_t>(ith);
    auto& out = outs_[i];
    out.clear();
    encoders_[i].encode_lines(parts[i], [&](const std::vector<std::int32_t>& v) { format_line(v, out); });
  });
  for (const auto& o : outs_)
    if (!o.empty()) sink(o);
}

void BpeStreamEncoder::encode(const ReadFn& read, const SinkFn& sink) {
  carry_.clear();
  pending_.clear();
  stream_ = PieceScanner();
  streaming_ = line_open_ = false;
  buf_.resize(opt_.block_bytes);
  for (;;) {
    const std::size_t n = fill(read);
    if (n == 0) break;
    std::string_view chunk(buf_.data(), n);
    if (streaming_ || (carry_.size() + chunk.size() > opt_.max_line_bytes && chunk.find('\n') == std::string_view::npos)) {
      chunk = stream_long_line(chunk, sink);
      if (streaming_) continue;
    }
    carry_.append(chunk);
    const std::size_t last = carry_.rfind('\n');
    if (last == std::string::npos) continue;
    encode_block(std::string_view(carry_.data(), last + 1), sink);
    carry_.erase(0, last + 1);
  }
  if (streaming_) {
    stream_.finish([&](std::string_view p) { encoders_[0].encode_piece(p, pending_); }, [] {});
    flush_pending(true, sink);
    streaming_ = false;
  } else if (!carry_.empty()) {
    std::string out;
    encoders_[0].encode_lines(carry_, [&](const std::vector<std::int32_t>& v) { format_line(v, out); });
    sink(out);
    carry_.clear();
  }
}

void BpeStreamEncoder::encode_fd(int fd, const std::string& name, const SinkFn& sink) {
  encode(
      [fd, &name](char* buf, std::size_t n) -> std::size_t {
        for (;;) {
          const ssize_t k = ::read(fd, buf, n);
          if (k >= 0) return static_cast<std::size_t>(k);
          if (errno != EINTR) throw common::InputError("cannot read " + name + ": " + std::strerror(errno));
        }
      },
      sink);
}

}  // namespace tok
