#include "encoder/batch_plan.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace enc {

std::vector<Batch> epoch_batches(const Sequences& data, std::size_t n_train, std::size_t batch_tokens,
                                 std::uint64_t seed, std::size_t epoch) {
  std::vector<std::size_t> order(n_train);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed * 6364136223846793005ULL + epoch + 1);
  std::shuffle(order.begin(), order.end(), rng);
  constexpr std::size_t kChunk = 4096;
  for (std::size_t c = 0; c < order.size(); c += kChunk) {
    auto end = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), c + kChunk));
    std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(c), end,
                     [&](std::size_t a, std::size_t b) { return data.length(a) < data.length(b); });
  }
  std::vector<Batch> out;
  Batch cur;
  for (std::size_t i : order) {
    const std::size_t len = data.length(i), longest = std::max(cur.seq_len, len);
    if (!cur.seqs.empty() && ((cur.seqs.size() + 1) * longest > batch_tokens || len < cur.seq_len)) {
      out.push_back(std::move(cur));
      cur = Batch();
    }
    cur.seqs.push_back(i);
    cur.seq_len = std::max(cur.seq_len, len);
  }
  if (!cur.seqs.empty()) out.push_back(std::move(cur));
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

std::vector<Batch> heldout_batches(const Sequences& data, std::size_t first, std::size_t batch_tokens) {
  std::vector<Batch> out;
  Batch b;
  for (std::size_t i = first; i < data.size(); ++i) {
    const std::size_t longest = std::max(b.seq_len, data.length(i));
    if (!b.seqs.empty() && (b.seqs.size() + 1) * longest > batch_tokens) {
      out.push_back(std::move(b));
      b = Batch();
    }
    b.seqs.push_back(i);
    b.seq_len = std::max(b.seq_len, data.length(i));
  }
  if (!b.seqs.empty()) out.push_back(std::move(b));
  return out;
}

MlmBatch make_batch(const Sequences& data, const Batch& b, std::int32_t pad) {
  MlmBatch m;
  m.batch = b.seqs.size();
  m.seq = b.seq_len;
  m.ids.assign(m.batch * m.seq, pad);  // [B·T]
  for (std::size_t i = 0; i < m.batch; ++i) {
    const std::size_t s = b.seqs[i], len = data.length(s);
    std::copy(data.data(s), data.data(s) + len, m.ids.begin() + static_cast<std::ptrdiff_t>(i * m.seq));
    m.lengths.push_back(static_cast<std::int32_t>(len));
  }
  return m;
}

BatchPlan::BatchPlan(const Sequences& data, std::size_t n_train, std::size_t batch_tokens, std::uint64_t seed)
    : data_(data), n_train_(n_train), batch_tokens_(batch_tokens), seed_(seed) {}

void BatchPlan::load(std::size_t epoch) {
  if (epoch == current_epoch_) return;
  current_ = epoch_batches(data_, n_train_, batch_tokens_, seed_, epoch);
  current_epoch_ = epoch;
  if (sizes_.size() <= epoch) sizes_.resize(epoch + 1, 0);
  sizes_[epoch] = current_.size();
}

std::size_t BatchPlan::epoch_size(std::size_t epoch) {
  if (epoch >= sizes_.size() || sizes_[epoch] == 0) load(epoch);
  return sizes_[epoch];
}

BatchPosition BatchPlan::position(std::size_t step) {
  if (step < walk_first_) walk_epoch_ = 0, walk_first_ = 0;  // (steps usually come in order: walk on from the last)
  while (step - walk_first_ >= epoch_size(walk_epoch_)) walk_first_ += epoch_size(walk_epoch_++);
  return {walk_epoch_, step - walk_first_};
}

std::size_t BatchPlan::steps_for(double epochs) {
  const auto whole = static_cast<std::size_t>(epochs);
  std::size_t steps = 0;
  for (std::size_t e = 0; e < whole; ++e) steps += epoch_size(e);
  const double part = epochs - static_cast<double>(whole);
  if (part > 0) steps += static_cast<std::size_t>(std::llround(part * static_cast<double>(epoch_size(whole))));
  return std::max<std::size_t>(1, steps);
}

double BatchPlan::epochs_done(std::size_t steps) {
  if (steps == 0) return 0;
  const BatchPosition p = position(steps - 1);  // the batch of the last step done
  const std::size_t size = epoch_size(p.epoch);
  return static_cast<double>(p.epoch * size + p.index + 1) / static_cast<double>(size);
}

const Batch& BatchPlan::batch(BatchPosition p) {
  load(p.epoch);
  return current_[p.index];
}

}  // namespace enc
