// Output assembled in memory and handed to a sink in blocks of about
// kFlushBytes, so that formatting millions of small pieces (words, numbers)
// costs one write per block. The sink is any callable taking a
// std::string_view: an AtomicFile, std::cout, a pipe.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace common {

class AtomicFile;

class BufferedWriter {
 public:
  static constexpr std::size_t kFlushBytes = 1 << 20;
  using Sink = std::function<void(std::string_view)>;

  explicit BufferedWriter(Sink sink) : sink_(std::move(sink)) { buf_.reserve(kFlushBytes + 4096); }
  explicit BufferedWriter(AtomicFile& file);
  BufferedWriter(const BufferedWriter&) = delete;
  BufferedWriter& operator=(const BufferedWriter&) = delete;
  // Does not flush: an unwinding error must not write a partial tail. Call
  // flush() when the output is complete.
  ~BufferedWriter() = default;

  void append(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= kFlushBytes) flush();
  }
  void append(const char* data, std::size_t n) { append(std::string_view(data, n)); }
  void push_back(char c) {
    buf_.push_back(c);
    if (buf_.size() >= kFlushBytes) flush();
  }
  // Hands everything buffered to the sink.
  void flush() {
    if (!buf_.empty()) sink_(buf_);
    buf_.clear();
  }

 private:
  Sink sink_;
  std::string buf_;
};

}  // namespace common
