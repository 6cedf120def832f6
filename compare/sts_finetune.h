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
#include "encoder/pair_tuning.h"

namespace cmp {

// Reads the files (InputError / FormatError naming file:line before any
// work), loads the --init model and its vocabulary (checked as compare
// checks it), tunes, and writes --output unless interrupted (then nothing).
FinetuneResult finetune_sts(const FinetuneOptions& opt, const common::TrainHooks<enc::TuneProgress>& hooks = {});

}  // namespace cmp
