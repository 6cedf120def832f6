// `encoder finetune --task sts`: an encoder fine-tuned on STS-Benchmark
// pairs with CoSENT (enc::tune_cosent). The train (and dev) file is read by
// read_sts, its sentences normalised and turned into the encoder's ids the
// way compare does it (so compare then measures what was trained), the dev
// Spearman ×100 computed as compare's STS row after each epoch, and the
// model written atomically with its metadata extended ("finetuned",
// the train file's fingerprint, epochs, pooling, ...); every other key
// (vocabulary fingerprint, normaliser) carried over from the --init model.
#pragma once

#include <string>

#include "common/train_hooks.h"
#include "compare/finetune_options.h"
#include "encoder/cosent_tuning.h"

namespace cmp {

struct FinetuneResult {
  enc::TuneResult tune;           // steps, epoch losses, dev scores (index 0: before tuning), wall times
  std::size_t train_pairs = 0, dev_pairs = 0;
  std::size_t empty = 0;          // train sentences without a known token (zero vectors, no gradient)
  std::size_t truncated = 0;      // train sentences cut at the model's max_len
  std::string train_fingerprint;  // common::content_fingerprint of --train
  double seconds = 0;             // the whole run (reading, tuning, evaluations, writing)
};

// Metadata keys the fine-tuned model gets.
inline constexpr const char* kFinetunedKey = "finetuned";  // "sts-cosent"

// Reads the files (InputError / FormatError naming file:line before any
// work), loads the --init model and its vocabulary (checked as compare
// checks it), tunes, and writes --output unless interrupted (then nothing).
FinetuneResult finetune_sts(const FinetuneOptions& opt, const common::TrainHooks<enc::TuneProgress>& hooks = {});

}  // namespace cmp
