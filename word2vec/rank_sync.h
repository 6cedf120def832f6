// Keeps the models of the ranks of an MPI job in step (data-parallel
// Word2Vec): each rank trains Hogwild on its own shard of the corpus, and
// every --sync-every words (all ranks together; each rank syncs after its
// 1/N share) the ranks add up their updates since the last sync — every
// matrix (syn0, syn1, syn1neg) becomes last-sync + the sum of the ranks'
// changes, one allreduce each — and their word counts, so the learning rate
// decays with the global count. That is Hogwild across ranks, with updates
// published in batches: every word trains once at full strength, as in one
// process. (Averaging the matrices instead divides each rank's update by N;
// measured on bench.txt with 2 ranks it lost half the analogy accuracy.)
// A sync is collective: a rank whose shard is finished keeps taking part
// until every rank is done.
#pragma once

#include <cstdint>

#include "word2vec/checkpoint.h"
#include "word2vec/train_worker.h"

namespace w2v {

class RankSync {
 public:
  // shared.words_done holds the words of all ranks trained before (a resume).
  RankSync(TrainShared& shared, std::uint64_t sync_every);

  // This rank trained its share of the interval since the last sync.
  bool due() const;

  struct Outcome {
    bool all_done = false;  // every rank's workers have finished
    bool any_stop = false;  // some rank was asked to stop
  };
  // Collective, with the workers paused: adds up the updates, sets
  // words_done to the exact global count, and combines the flags.
  Outcome sync(bool done, bool stop);

  std::uint64_t syncs() const { return syncs_; }
  // Bytes of the matrices this rank hands to the allreduces of one sync.
  std::uint64_t bytes_per_sync() const;

 private:
  TrainShared& s_;
  std::uint64_t per_rank_;          // words of this rank between syncs
  std::uint64_t local_at_sync_ = 0;  // s_.local_words at the last sync
  std::uint64_t global_at_sync_;    // words of all ranks at the last sync
  std::uint64_t syncs_ = 0;
  Params base_;  // the matrices after the last sync
};

// Collective: on rank 0, c->workers becomes the workers of every rank in
// rank order (rank r's -threads workers at r × threads); elsewhere unchanged.
void gather_worker_states(Checkpoint* c);

}  // namespace w2v
