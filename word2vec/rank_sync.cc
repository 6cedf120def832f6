#include "word2vec/rank_sync.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <type_traits>

#include "common/distributed.h"

namespace w2v {

namespace {

void average(common::Matrix& m, float inv_ranks) {
  if (m.rows() == 0) return;
  const std::size_t n = m.rows() * m.ld();
  float* p = m.data();
  common::dist::allreduce_sum(p, n);
  for (std::size_t i = 0; i < n; ++i) p[i] *= inv_ranks;
}

}  // namespace

RankSync::RankSync(TrainShared& shared, std::uint64_t sync_every)
    : s_(shared),
      per_rank_(std::max<std::uint64_t>(1, sync_every / static_cast<std::uint64_t>(common::dist::size()))),
      local_at_sync_(shared.local_words.load()),
      global_at_sync_(shared.words_done.load()) {}

std::uint64_t RankSync::bytes_per_sync() const {
  const Params& p = s_.params;
  return (p.syn0.rows() * p.syn0.ld() + p.syn1.rows() * p.syn1.ld() + p.syn1neg.rows() * p.syn1neg.ld()) * sizeof(float);
}

bool RankSync::due() const { return s_.local_words.load(std::memory_order_relaxed) - local_at_sync_ >= per_rank_; }

RankSync::Outcome RankSync::sync(bool done, bool stop) {
  const std::uint64_t local = s_.local_words.load();
  std::uint64_t counters[3] = {local - local_at_sync_, done ? 0u : 1u, stop ? 1u : 0u};
  common::dist::allreduce_sum(counters, 3);
  const float inv = 1.f / static_cast<float>(common::dist::size());
  average(s_.params.syn0, inv);
  average(s_.params.syn1, inv);
  average(s_.params.syn1neg, inv);
  local_at_sync_ = local;
  global_at_sync_ += counters[0];
  s_.words_done.store(global_at_sync_);
  ++syncs_;
  return {counters[1] == 0, counters[2] > 0};
}

void gather_worker_states(Checkpoint* c) {
  static_assert(std::is_trivially_copyable_v<WorkerState>);
  const std::string mine(reinterpret_cast<const char*>(c->workers.data()), c->workers.size() * sizeof(WorkerState));
  const auto parts = common::dist::gather(mine);
  if (!common::dist::is_root()) return;
  c->workers.clear();
  for (const auto& p : parts) {
    const std::size_t n = p.size() / sizeof(WorkerState);
    const std::size_t at = c->workers.size();
    c->workers.resize(at + n);
    std::memcpy(static_cast<void*>(c->workers.data() + at), p.data(), n * sizeof(WorkerState));
  }
}

}  // namespace w2v
