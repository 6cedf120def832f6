#include "word2vec/rank_sync.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <type_traits>

#include "common/distributed.h"

namespace w2v {

namespace {

// m becomes base + the sum over the ranks of (m - base); base then equals m.
void add_updates(common::Matrix& m, common::Matrix& base) {
  if (m.rows() == 0) return;
  const std::size_t n = m.rows() * m.ld();
  float* p = m.data();
  float* b = base.data();
  for (std::size_t i = 0; i < n; ++i) p[i] -= b[i];  // this rank's update since the last sync
  common::dist::allreduce_sum(p, n);
  for (std::size_t i = 0; i < n; ++i) b[i] = p[i] += b[i];
}

void copy_matrix(const common::Matrix& from, common::Matrix& to) {
  to.resize(from.rows(), from.cols());
  if (from.rows() == 0) return;  // an unused matrix (syn1 without -hs): no data, memcpy must not see null
  std::memcpy(to.data(), from.data(), from.rows() * from.ld() * sizeof(float));
}

}  // namespace

RankSync::RankSync(TrainShared& shared, std::uint64_t sync_every)
    : s_(shared),
      per_rank_(std::max<std::uint64_t>(1, sync_every / static_cast<std::uint64_t>(common::dist::size()))),
      local_at_sync_(shared.local_words.load()),
      global_at_sync_(shared.words_done.load()) {
  copy_matrix(shared.params.syn0, base_.syn0);  // the same on every rank (same seed, or the checkpoint)
  copy_matrix(shared.params.syn1, base_.syn1);
  copy_matrix(shared.params.syn1neg, base_.syn1neg);
}

std::uint64_t RankSync::bytes_per_sync() const {
  const Params& p = s_.params;
  return (p.syn0.rows() * p.syn0.ld() + p.syn1.rows() * p.syn1.ld() + p.syn1neg.rows() * p.syn1neg.ld()) * sizeof(float);
}

bool RankSync::due() const { return s_.local_words.load(std::memory_order_relaxed) - local_at_sync_ >= per_rank_; }

RankSync::Outcome RankSync::sync(bool done, bool stop) {
  const std::uint64_t local = s_.local_words.load();
  std::uint64_t counters[3] = {local - local_at_sync_, done ? 0u : 1u, stop ? 1u : 0u};
  common::dist::allreduce_sum(counters, 3);
  add_updates(s_.params.syn0, base_.syn0);
  add_updates(s_.params.syn1, base_.syn1);
  add_updates(s_.params.syn1neg, base_.syn1neg);
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
