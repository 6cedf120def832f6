// Word2Vec training: vocabulary, initialisation, Hogwild worker threads
// over byte ranges of the corpus, linear learning-rate decay, progress,
// checkpoints and resume, and the atomic write of the vectors.
#pragma once

#include <cstdint>
#include <string>

#include "common/train_hooks.h"
#include "word2vec/train_options.h"
#include "word2vec/vocab.h"

namespace w2v {

struct TrainProgress {
  std::uint64_t words_done = 0;   // words processed so far (all epochs, all threads)
  std::uint64_t words_total = 0;  // iter × train_words
  std::uint64_t words_this_run = 0;  // since this process started (excludes a resumed part)
  double seconds = 0;             // wall time of this run
  float alpha = 0;                // current learning rate
  double loss_sum = 0;            // cumulative logistic loss (this run)
  std::uint64_t loss_count = 0;   // cumulative number of predictions (this run)
  bool final = false;             // last report
};

struct TrainResult {
  std::size_t vocab_size = 0;
  std::uint64_t train_words = 0;     // words per epoch, as word2vec.c counts them
  std::uint64_t words_trained = 0;   // processed in this run
  std::uint64_t predictions = 0;     // updates of one input vector against one target set (this run):
                                     // (context, centre) pairs for skip-gram, windows for CBOW; ×2 with -hs and -negative
  std::uint64_t flops = 0;           // nominal arithmetic of the updates (this run): 6·size per
                                     // score of an input vector against a target row, 4·size per CBOW context row
  double seconds = 0;
  VocabStats vocab_stats;
  bool interrupted = false;          // stopped by should_stop; a checkpoint was written
  std::string checkpoint_written;    // last checkpoint path, if any
  // Under mpirun: model averages, and this rank's time in and bytes sent to collectives.
  std::uint64_t syncs = 0, sync_bytes = 0;  // sync_bytes: per sync
  double comm_seconds = 0;
  std::uint64_t comm_bytes = 0;

  double words_per_second() const { return seconds > 0 ? static_cast<double>(words_trained) / seconds : 0; }
};

// on_progress ~10×/s and once at the end; should_stop polled after each
// round of one sentence per worker (--deterministic) or ~10×/s (threads).
using TrainHooks = common::TrainHooks<TrainProgress>;

// Runs a whole training job as described by opt (validated here). Writes
// opt.output (and -save-vocab, checkpoints) atomically. Throws common::Error
// subclasses; never leaves a partial output file.
TrainResult train(const TrainOptions& opt, const TrainHooks& hooks = {});

}  // namespace w2v
