// Output assembled in memory and handed to a sink in blocks of about
// kFlushBytes, so that formatting millions of small pieces (words, numbers)
// costs one write per block. The sink is an AtomicFile or any callable taking
// a std::string_view (a lambda writing to std::cout, a pipe, a string).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace common {

class AtomicFile;

class BufferedWriter {
 public:
  static constexpr std::size_t kFlushBytes = 1 << 20;
  using Sink = std::function<void(std::string_view)>;

  explicit BufferedWriter(Sink sink) : sink_(std::move(sink)) { buf_.reserve(kFlushBytes + 4096); }
  // Writes to `file`, which must outlive the writer; commit the file after
  // flush().
  explicit BufferedWriter(AtomicFile& file);
  BufferedWriter(const BufferedWriter&) = delete;
  BufferedWriter& operator=(const BufferedWriter&) = delete;
  // Does not flush: an unwinding error must not write a partial tail. Call
  // flush() when the output is complete.
  ~BufferedWriter() = default;

  // Appends; once kFlushBytes or more are buffered, hands them to the sink
  // (a block is therefore never split inside one append).
  void append(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= kFlushBytes) flush();
  }
  void append(const char* data, std::size_t n) { append(std::string_view(data, n)); }
  void push_back(char c) {
    buf_.push_back(c);
    if (buf_.size() >= kFlushBytes) flush();
  }
  // Bytes appended and not yet handed to the sink.
  std::size_t buffered() const { return buf_.size(); }
  // Hands everything buffered to the sink (nothing if the buffer is empty).
  void flush() {
    if (buf_.empty()) return;
    sink_(buf_);
    buf_.clear();
  }

 private:
  Sink sink_;
  std::string buf_;
};

}  // namespace common
