// `encoder finetune --task wic`: an encoder fine-tuned on the WiC train
// split. The target word's final state in each of the two sentences (u, v:
// the state compare's WiC encoder row reads) goes to a logistic head on
// [u ⊙ v, |u − v|] trained with binary cross-entropy together with the
// encoder (enc::LogisticPairHead, enc::tune_pairs); only the encoder is
// written (compare trains its own classifier on frozen target vectors). With
// --dev DIR, after each epoch: compare's WiC encoder row on DIR's dev split
// (accuracy % of a cosine threshold chosen on the train split) — the score
// --keep-best uses — and the head's own dev accuracy.
#pragma once

#include "common/train_hooks.h"
#include "compare/finetune_options.h"
#include "encoder/pair_tuning.h"

namespace cmp {

// Reads the splits (InputError / FormatError naming file:line before any
// work; --dev DIR must have a dev split), loads the --init model and the
// vectors it was trained from (OptionError for an encoder trained on BPE
// tokens), tunes, and writes --output unless interrupted (then nothing).
FinetuneResult finetune_wic(const FinetuneOptions& opt, const common::TrainHooks<enc::TuneProgress>& hooks = {});

}  // namespace cmp
