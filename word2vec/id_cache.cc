#include "word2vec/id_cache.h"

namespace w2v {

void IdCache::start_recording() {
  ids_.clear();
  boundaries_.clear();
  state_ = max_bytes_ > 0 && !given_up_ ? State::kRecording : State::kOff;
}

void IdCache::record(std::int32_t event) {
  if (state_ != State::kRecording) return;
  ids_.push_back(event);
  if (over_budget()) abandon();
}

void IdCache::record_boundary(std::uint64_t position, std::uint64_t skip) {
  if (state_ != State::kRecording) return;
  boundaries_.push_back({position, skip});
  if (over_budget()) abandon();
}

void IdCache::finish_recording() {
  if (state_ == State::kRecording) state_ = State::kComplete;
}

void IdCache::rewind() {
  state_ = State::kReplaying;
  pos_ = 0;
  boundary_ = 0;
}

std::uint64_t IdCache::position(std::uint64_t begin) const {
  return boundary_ == 0 ? begin : boundaries_[boundary_ - 1].position;
}

std::uint64_t IdCache::skip() const { return boundary_ == 0 ? 0 : boundaries_[boundary_ - 1].skip; }

std::size_t IdCache::bytes() const {
  return ids_.capacity() * sizeof(std::int32_t) + boundaries_.capacity() * sizeof(Boundary);
}

void IdCache::abandon() {
  state_ = State::kOff;
  given_up_ = true;
  std::vector<std::int32_t>().swap(ids_);
  std::vector<Boundary>().swap(boundaries_);
}

}  // namespace w2v
