// Supervised fine-tuning of the encoder on scored sentence pairs (STS-B
// train) with the CoSENT ranking loss: each step takes B pairs, runs the 2B
// sentences through Encoder::forward_train (dropout on), pools each
// sentence's final states exactly as pool_sentences does at query time
// (pool_states), takes the CoSENT loss of the B cosines and propagates its
// gradient back through the pooling (pool_states_backward) and the encoder;
// then gradient clipping and AdamW at a linear warm-up/decay schedule.
// The pairs arrive as token ids: reading and normalising the benchmark file
// is the caller's (compare/sts_finetune.h).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "common/train_hooks.h"
#include "encoder/cosent.h"
#include "encoder/model.h"
#include "encoder/pooling.h"
#include "encoder/train_data.h"

namespace enc {

// Pairs of sentences as token ids without [CLS] (a[i], b[i]) and their gold
// scores (only their order matters to CoSENT).
struct ScoredPairs {
  TokenIds a, b;
  std::vector<float> gold;
  std::size_t size() const { return gold.size(); }
};

struct TuneSettings {
  PoolSpec pool;           // the final states (layer must be final); kWeighted needs weights by token id
  std::size_t epochs = 4;
  std::size_t batch = 32;  // pairs per step
  float lr = 5e-5f;        // peak learning rate
  float warmup = 0.1f;     // fraction of the steps spent warming up linearly, then linear decay to 0
  float weight_decay = 0.01f, clip = 1.f, dropout = 0.1f;
  double scale = kCosentScale;  // CoSENT's λ
  std::uint64_t seed = 1;  // pair order and dropout masks
  bool keep_best = false;  // with an evaluation: end with the weights of the epoch that scored best
  void validate() const;   // OptionError naming the option (--epochs, --batch, ...)
};

struct TuneProgress {
  std::size_t step = 0, steps = 0;  // optimizer steps done, of all
  std::size_t epoch = 0, epochs = 0;  // the epoch under way (1-based), or just finished when epoch_end
  double loss = 0;     // mean training loss since the previous report
  double seconds = 0;
  bool epoch_end = false;
  double score = 0;    // epoch_end with an evaluation: its score (NaN without one)
};

struct TuneResult {
  std::size_t steps = 0;
  double seconds = 0;
  std::vector<double> epoch_loss;  // mean training loss of each epoch
  std::vector<double> scores;      // evaluation before training (index 0) and after each epoch; empty without one
  std::vector<double> epoch_seconds;  // wall time of each epoch (training steps only)
  std::size_t best_epoch = 0;      // keep_best: the epoch whose weights were kept (0: the initial ones)
  bool interrupted = false;        // stopped by a stop request: the model is left as it was at that step
};

// Scores the model as it stands (no dropout), higher is better: e.g. the
// dev Spearman of the pooled vectors. May be empty.
using TuneEval = std::function<double(Encoder&)>;

// Fine-tunes `model` in place. InputError for fewer than 2 pairs or a pooling
// layer other than the final states.
TuneResult tune_cosent(Encoder& model, const EncoderVocab& vocab, const ScoredPairs& train, const TuneSettings& s,
                       const TuneEval& eval = {}, const common::TrainHooks<TuneProgress>& hooks = {});

}  // namespace enc
