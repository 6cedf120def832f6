// Training checkpoints: everything needed to continue a run exactly where it
// stopped — options, vocabulary, matrices, the global word count and, per
// worker, its corpus position, epoch, RNG state and learning rate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "word2vec/train_options.h"
#include "word2vec/vocab.h"
#include "word2vec/window_kernel.h"

namespace w2v {

struct WorkerState {
  std::uint64_t position = 0;    // global corpus offset to resume reading at
  std::uint64_t skip = 0;        // tokens after `position` already read (BPE lines)
  std::uint32_t epoch = 0;       // epochs completed by this worker
  std::uint64_t rng = 0;
  std::uint64_t word_count = 0;  // words read in the current epoch
  std::uint64_t last_word_count = 0;  // part of word_count already published
  float alpha = 0;
  bool done = false;
};

struct Checkpoint {
  std::string corpus_fingerprint;
  std::uint64_t words_done = 0;  // word2vec.c's word_count_actual
  std::vector<WorkerState> workers;
};

// Writes options, vocabulary, params and state atomically to path.
void save_checkpoint(const std::string& path, const TrainOptions& opt, const Vocab& vocab, const Params& params,
                     const Checkpoint& state);

// Reads a checkpoint written with compatible options: throws OptionError
// naming the first option that differs, FormatError for a truncated or
// foreign file.
void load_checkpoint(const std::string& path, const TrainOptions& opt, Vocab* vocab, Params* params,
                     Checkpoint* state);

}  // namespace w2v
