// The one place a Word2Vec run is watched and steered, whichever way its
// work is executed (deterministic or Hogwild): after every slice of work it
// reports progress (at most every kReportEvery), polls the stop request, and
// writes a checkpoint every -checkpoint-every words or when asked to stop,
// with the workers paused at a sentence boundary.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "word2vec/checkpoint.h"
#include "word2vec/rank_sync.h"
#include "word2vec/slice_runner.h"
#include "word2vec/train_worker.h"
#include "word2vec/trainer.h"

namespace w2v {

class TrainSupervisor {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kReportEvery{100};

  // shared.words_done holds the words trained before this run (a resume);
  // t0 is when the run started (progress reports time from there).
  TrainSupervisor(TrainShared& shared, TrainWorkers workers, std::string corpus_fingerprint,
                  const TrainHooks& hooks, Clock::time_point t0, RankSync* sync = nullptr);

  // Runs slices until the work is done or a stop is requested, then waits
  // for the workers. Under mpirun (a RankSync given) the ranks sync after
  // every share of --sync-every words, and checkpoints and stops happen at
  // syncs only (the matrices are then the same on every rank; rank 0 writes
  // them with the worker states of every rank). Returns true if stopped (a checkpoint was written).
  // Throws common::DivergedError, with the workers stopped and nothing
  // written, when the loss stops being a finite number.
  bool run(SliceRunner& runner);

  // Calls on_progress, if set, with the current state.
  void report(bool final) const;

  std::uint64_t words_this_run() const { return shared_.words_done.load() - words_at_start_; }
  // The last checkpoint written, or "".
  const std::string& checkpoint_written() const { return checkpoint_written_; }

 private:
  bool run_ranks(SliceRunner& runner);
  // Throws DivergedError, with the workers stopped, if the loss is not finite.
  void stop_if_diverged(SliceRunner& runner);
  TrainProgress progress(bool final) const;
  // The summed loss is NaN or infinite (too high a learning rate).
  bool diverged() const;
  std::string divergence_message() const;
  Checkpoint snapshot() const;
  void write_checkpoint();

  TrainShared& shared_;
  TrainWorkers workers_;
  std::string corpus_fingerprint_;
  const TrainHooks& hooks_;
  Clock::time_point t0_, last_report_;
  std::uint64_t words_at_start_;
  std::uint64_t next_checkpoint_;  // words_done at which the next periodic checkpoint is due
  std::string checkpoint_written_;
  RankSync* sync_;
};

}  // namespace w2v
