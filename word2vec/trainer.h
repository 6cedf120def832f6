// Word2Vec training: vocabulary, initialisation, Hogwild worker threads
// over byte ranges of the corpus, linear learning-rate decay, progress,
// checkpoints and resume, and the atomic write of the vectors.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

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
  double seconds = 0;
  VocabStats vocab_stats;
  bool interrupted = false;          // stopped by should_stop; a checkpoint was written
  std::string checkpoint_written;    // last checkpoint path, if any
};

struct TrainHooks {
  std::function<void(const TrainProgress&)> on_progress;  // called on the calling thread, ~10×/s
  std::function<bool()> should_stop;                      // polled; true = checkpoint and return
  std::function<void(const std::string&)> on_checkpoint; // after each checkpoint write
};

// Runs a whole training job as described by opt (validated here). Writes
// opt.output (and -save-vocab, checkpoints) atomically. Throws common::Error
// subclasses; never leaves a partial output file.
TrainResult train(const TrainOptions& opt, const TrainHooks& hooks = {});

}  // namespace w2v
