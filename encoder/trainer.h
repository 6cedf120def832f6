// Training the encoder on a corpus with one objective (masked language
// modelling, or SimCSE from an MLM model), its embedding matrix
// initialised from Word2Vec vectors (or random with a BPE tokenizer):
// warm-up and decay schedule, dropout, AdamW, clipping, held-out
// evaluation, CSV log, checkpoints and exact resume.
#pragma once

#include <cstdint>

#include "common/train_hooks.h"
#include "encoder/train_options.h"

namespace enc {

struct EncoderProgress {
  std::size_t step = 0, steps = 0;
  double seconds = 0, tokens_per_s = 0, loss = 0, lr = 0;
  bool eval = false;  // a held-out evaluation just ran
  double valid_loss = 0, valid_acc = 0;
};

struct EncoderTrainResult {
  std::size_t steps = 0;
  double seconds = 0, valid_loss = 0, valid_acc = 0;
  std::size_t sequences = 0, splits = 0, tokens = 0, unknown = 0, valid_sequences = 0;
  bool interrupted = false;
  double comm_seconds = 0;      // under mpirun: this rank's time in collectives
  std::uint64_t comm_bytes = 0;  // and the bytes it contributed to them
};

// Progress after every step; a stop request writes a checkpoint and
// returns with result.interrupted (no weights written).
EncoderTrainResult train_encoder(const EncoderTrainOptions& opt, const common::TrainHooks<EncoderProgress>& hooks = {});

}  // namespace enc
