// A worker's corpus range as word ids: the first full pass over the range
// records what the reader yields after the vocabulary lookup (a word's id, a
// line end, a break), so every later epoch replays the ids instead of reading
// and hashing the text again. Replay feeds the same events to the same code
// (subsampling, counting, sentence splitting), so the training is identical
// to reading; `--cache-mib 0` turns it off.
//
// A checkpoint taken during replay must name a place in the text: the cache
// keeps, for every sentence boundary of the recorded pass, the reader's
// position there, and reports it for the boundary the replay has reached.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace w2v {

class IdCache {
 public:
  static constexpr std::int32_t kNewline = -1;  // a line end (counted as a word, as word2vec.c's </s>)
  static constexpr std::int32_t kBreak = -2;    // a break the reader reports (BPE: a line too long to keep whole)
  static constexpr std::int32_t kEnd = -3;      // the range's end (never stored)

  // Holds at most max_bytes of ids and boundary positions; a range that
  // needs more is not cached (recording stops, the text is read every epoch).
  explicit IdCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // Recording: a pass that starts at the range's beginning (not again once
  // a pass has exceeded the budget).
  void start_recording();
  bool recording() const { return state_ == State::kRecording; }
  void record(std::int32_t event);
  // A sentence ended with the reader at (position, skip).
  void record_boundary(std::uint64_t position, std::uint64_t skip);
  // The pass reached the range's end: the cache is complete.
  void finish_recording();

  // Replay: rewind() to the beginning, then next() until kEnd.
  bool complete() const { return state_ == State::kComplete || state_ == State::kReplaying; }
  bool replaying() const { return state_ == State::kReplaying; }
  void rewind();
  std::int32_t next() { return pos_ < ids_.size() ? ids_[pos_++] : kEnd; }
  // A sentence ended; the reader position of this boundary as recorded.
  void replay_boundary() { ++boundary_; }
  std::uint64_t position(std::uint64_t begin) const;
  std::uint64_t skip() const;

  std::size_t bytes() const;

 private:
  enum class State { kOff, kRecording, kComplete, kReplaying };
  struct Boundary {
    std::uint64_t position, skip;
  };
  bool over_budget() const { return bytes() > max_bytes_; }
  void abandon();

  std::size_t max_bytes_;
  bool given_up_ = false;  // over the budget once: never recorded again
  State state_ = State::kOff;
  std::vector<std::int32_t> ids_;
  std::vector<Boundary> boundaries_;  // [sentences of the pass]
  std::size_t pos_ = 0;               // next id to replay
  std::size_t boundary_ = 0;          // boundaries replayed
};

}  // namespace w2v
