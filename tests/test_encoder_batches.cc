// Which batch each encoder training step trains on: length-bucketed epochs
// hold different numbers of batches, and the steps must walk each epoch's
// own list (never past its end), visit every training sequence once per
// epoch, and resume at the same place.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "encoder/batch_plan.h"
#include "encoder/train_data.h"

namespace {

// n sequences of random lengths in [2, max_len].
enc::Sequences random_sequences(std::size_t n, std::size_t max_len, unsigned seed) {
  std::mt19937 rng(seed);
  enc::Sequences s;
  s.offsets.push_back(0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t len = 2 + rng() % (max_len - 1);
    for (std::size_t t = 0; t < len; ++t) s.tokens.push_back(static_cast<std::int32_t>(t));
    s.offsets.push_back(s.tokens.size());
  }
  return s;
}

}  // namespace

TEST_CASE("encoder batches: steps walk each epoch's own batch list, whatever its size") {
  const std::size_t n_train = 5000, batch_tokens = 1024;  // more than one sorting chunk of 4096
  const std::uint64_t seed = 5;
  const enc::Sequences data = random_sequences(5100, 16, 7);  // the last 100: held out
  std::vector<std::vector<enc::Batch>> epochs;
  for (std::size_t e = 0; e < 3; ++e) epochs.push_back(enc::epoch_batches(data, n_train, batch_tokens, seed, e));
  INFO("batches per epoch: " << epochs[0].size() << ", " << epochs[1].size() << ", " << epochs[2].size());
  REQUIRE((epochs[1].size() != epochs[0].size() || epochs[2].size() != epochs[0].size()));  // the case at stake

  enc::BatchPlan plan(data, n_train, batch_tokens, seed);
  for (std::size_t e = 0; e < 3; ++e) CHECK(plan.epoch_size(e) == epochs[e].size());
  const std::size_t total = plan.steps_for(3.0);
  CHECK(total == epochs[0].size() + epochs[1].size() + epochs[2].size());
  CHECK(plan.steps_for(2.5) == epochs[0].size() + epochs[1].size() +
                                   static_cast<std::size_t>(std::llround(0.5 * static_cast<double>(epochs[2].size()))));
  CHECK(plan.steps_for(1e-9) == 1);
  std::vector<int> seen(n_train, 0);
  enc::BatchPosition expect;
  for (std::size_t step = 0; step < total; ++step) {
    const enc::BatchPosition p = plan.position(step);
    REQUIRE(p.epoch < epochs.size());
    REQUIRE(p.index < epochs[p.epoch].size());  // never past the end of its epoch
    CHECK(p == expect);                         // epoch by epoch, batch by batch
    CHECK(plan.batch(p).seqs == epochs[p.epoch][p.index].seqs);
    for (std::size_t s : epochs[p.epoch][p.index].seqs) ++seen[s];
    expect = p.index + 1 == epochs[p.epoch].size() ? enc::BatchPosition{p.epoch + 1, 0}
                                                    : enc::BatchPosition{p.epoch, p.index + 1};
  }
  for (std::size_t s = 0; s < n_train; ++s) CHECK(seen[s] == 3);
  CHECK(plan.epochs_done(total) == 3.0);
  CHECK(plan.epochs_done(epochs[0].size()) == 1.0);
  CHECK(plan.epochs_done(epochs[0].size() + 1) ==
        doctest::Approx(1.0 + 1.0 / static_cast<double>(epochs[1].size())));
  // A fresh plan (a resumed run) puts a step at the same place.
  enc::BatchPlan resumed(data, n_train, batch_tokens, seed);
  const std::size_t mid = epochs[0].size() + epochs[1].size() + 1;
  CHECK(resumed.position(mid) == enc::BatchPosition{2, 1});
  CHECK(resumed.batch(resumed.position(mid)).seqs == epochs[2][1].seqs);
}
