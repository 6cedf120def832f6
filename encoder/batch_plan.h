// Batches of the encoder's training and held-out sequences, and which
// batch each optimizer step trains on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "encoder/mlm.h"
#include "encoder/train_data.h"

namespace enc {

struct Batch {
  std::vector<std::size_t> seqs;  // sequence numbers in Sequences
  std::size_t seq_len = 0;        // the longest of them
};

// Batches of one epoch: the training sequences [0, n_train) shuffled by
// (seed, epoch), sorted by length within chunks of 4096 (so a batch holds
// sequences of similar length and little padding), grouped greedily so
// that count × longest <= batch_tokens, and the batches shuffled again.
// Epochs may hold different numbers of batches.
std::vector<Batch> epoch_batches(const Sequences& data, std::size_t n_train, std::size_t batch_tokens,
                                 std::uint64_t seed, std::size_t epoch);

// The held-out sequences [first, data.size()) in order, grouped greedily
// so that count × longest <= batch_tokens.
std::vector<Batch> heldout_batches(const Sequences& data, std::size_t first, std::size_t batch_tokens);

// The batch's sequences padded with `pad` to its longest: ids [B·T], lengths [B].
MlmBatch make_batch(const Sequences& data, const Batch& b, std::int32_t pad);

struct BatchPosition {
  std::size_t epoch = 0, index = 0;  // batch `index` of epoch `epoch`'s list
  bool operator==(const BatchPosition&) const = default;
};

// The training steps walk the epochs one after the other, each through its
// own batch list (length bucketing makes the lists' sizes differ), so a
// step never indexes past its epoch's end and every training sequence is
// seen once per epoch. A step's place depends on the step alone: a resumed
// run continues where it stopped. The sizes of the epochs are computed once
// and remembered; the batch list of the epoch in use is kept.
class BatchPlan {
 public:
  BatchPlan(const Sequences& data, std::size_t n_train, std::size_t batch_tokens, std::uint64_t seed);
  // Batches in epoch `epoch`.
  std::size_t epoch_size(std::size_t epoch);
  // The batch that step `step` (0-based) trains on.
  BatchPosition position(std::size_t step);
  // Steps of `epochs` epochs: the sizes of the whole epochs plus the rounded
  // fraction of the next one; at least 1.
  std::size_t steps_for(double epochs);
  // Epochs done after `steps` steps, with the done fraction of the current
  // one (for the log).
  double epochs_done(std::size_t steps);
  const Batch& batch(BatchPosition p);

 private:
  void load(std::size_t epoch);

  const Sequences& data_;
  std::size_t n_train_, batch_tokens_;
  std::uint64_t seed_;
  std::vector<std::size_t> sizes_;  // sizes_[e] of the epochs seen so far (0 = not yet known)
  std::vector<Batch> current_;
  std::size_t current_epoch_ = SIZE_MAX;
  std::size_t walk_epoch_ = 0, walk_first_ = 0;  // an epoch and the step its first batch trains on
};

}  // namespace enc
