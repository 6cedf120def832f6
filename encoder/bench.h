// Timing of a randomly initialised encoder: one forward and one MLM
// training step (forward, tied-embedding output at 15% masked positions,
// backward, clipping, AdamW), medians over repeats, with a plain sgemm as
// the reference point, measured around every timed pass (before the
// forward, between it and the step, after the step).
#pragma once

#include <cstddef>

#include "common/text_format.h"
#include "common/work_progress.h"
#include "encoder/config.h"

namespace enc {

struct BenchOptions {
  std::size_t batch = 32, seq = 128, repeats = 5;
  int threads = common::default_threads();
};

struct BenchResult {
  double forward_ms = 0, train_step_ms = 0;  // medians
  double forward_flops = 0, train_step_flops = 0;
  double sgemm_gflops = 0;                   // 4096 x 1024 x 256: median of the reference points
  // Median over the repetitions of GFLOP/s / the mean of the sgemm
  // reference measured just before and just after that pass.
  double forward_of_sgemm = 0, train_of_sgemm = 0;
  double tokens = 0;                         // batch × seq
  double forward_gflops() const { return forward_flops / (forward_ms * 1e6); }
  double train_gflops() const { return train_step_flops / (train_step_ms * 1e6); }
  double forward_tokens_per_s() const { return tokens / (forward_ms / 1e3); }
  double train_tokens_per_s() const { return tokens / (train_step_ms / 1e3); }
};

// cfg.max_len is set to o.seq. OptionError for non-positive sizes.
// progress gets each timed repetition (the warm-up counts as one) and the
// sgemm reference.
BenchResult bench_encoder(EncoderConfig cfg, const BenchOptions& o, const common::WorkProgressFn& progress = {});

}  // namespace enc
