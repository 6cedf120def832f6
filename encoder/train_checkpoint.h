// Checkpoints of an encoder training run: the weights, the AdamW moments,
// the step and the tokens seen, and a signature of the options (a resume
// must use the same ones), in one safetensors file.
#pragma once

#include <cstdint>
#include <string>

#include "encoder/mlm.h"
#include "encoder/model.h"
#include "encoder/train_options.h"

namespace enc {

struct TrainCounters {
  std::size_t step = 0;          // optimizer steps done
  std::uint64_t tokens_seen = 0;  // real tokens of the model inputs so far
  double seconds = 0;            // wall time of the run so far (all sessions)
};

// What a checkpoint must agree with to be resumed: the options (one line,
// train_signature), the vocabulary and the corpus (their fingerprints).
struct ResumeKey {
  std::string signature, vocab_fingerprint, corpus_fingerprint;
};

// The options that must match for an exact resume, as one line of text.
std::string train_signature(const EncoderTrainOptions& o);

// Writes atomically (IoError).
void write_train_checkpoint(const std::string& path, const Encoder& model, const AdamW& adam,
                            const ResumeKey& key, const TrainCounters& counters);

// Loads the weights and AdamW state into model and adam and returns the
// counters. FormatError for a file that is not a checkpoint, one written by
// an older wordlens, damaged metadata or a tensor whose shape differs from
// the model's; OptionError when it was written with other options;
// InputError when with another vocabulary or corpus.
TrainCounters read_train_checkpoint(const std::string& path, const ResumeKey& key, Encoder& model, AdamW& adam);

}  // namespace enc
