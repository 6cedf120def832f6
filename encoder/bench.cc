#include "encoder/bench.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "common/aligned.h"
#include "common/blas.h"
#include "common/errors.h"
#include "encoder/mlm.h"
#include "encoder/model.h"
#include "encoder/ops.h"

namespace enc {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

constexpr int kSgemmRuns = 3;  // timed sgemm calls per reference point

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// GFLOP/s of a plain 4096 x 1024 x 256 sgemm with OpenBLAS's own threads
// (median of `runs`, after one untimed call).
class SgemmReference {
 public:
  explicit SgemmReference(int threads) : threads_(threads), a_(kM * kK), b_(kK * kN), c_(kM * kN) {
    for (std::size_t i = 0; i < kM * kK; ++i) a_.data()[i] = static_cast<float>(i % 7) * 0.1f;
    for (std::size_t i = 0; i < kK * kN; ++i) b_.data()[i] = static_cast<float>(i % 5) * 0.1f;
  }
  double gflops(int runs) {
    common::ScopedBlasThreads blas_threads(threads_);  // restored on return
    std::vector<double> g;
    for (int r = 0; r <= runs; ++r) {
      auto t0 = Clock::now();
      common::gemm(false, false, kM, kN, kK, 1.f, a_.data(), kK, b_.data(), kN, 0.f, c_.data(), kN);
      if (r > 0) g.push_back(2.0 * kM * kN * kK / (ms_since(t0) * 1e6));
    }
    // OpenBLAS's idle threads spin (sched_yield) for about 0.1 s after a
    // threaded call (measured on a 2-core EPYC: 0.10 s of CPU in the first
    // 0.1 s, none after 0.2 s); the model's pool threads must not share the
    // cores with them, so the repetition starts once they sleep.
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    return median(g);
  }

 private:
  static constexpr std::size_t kM = 4096, kN = 1024, kK = 256;
  int threads_;
  common::AlignedFloats a_, b_, c_;  // [M, K], [K, N], [M, N]
};

}  // namespace

BenchResult bench_encoder(EncoderConfig cfg, const BenchOptions& o, const common::WorkProgressFn& progress) {
  auto report = [&](const char* phase, std::size_t done, std::size_t total, const char* unit) {
    if (progress) progress({phase, done, total, unit});
  };
  if (o.batch < 1 || o.seq < 1 || o.repeats < 1 || o.threads < 1)
    throw common::OptionError("sizes, --repeats and --threads must be positive");
  const std::size_t batch = o.batch, seq = o.seq;
  if (cfg.vocab_size < 6)  // ids 0..4 are the special tokens ([PAD] .. [MASK])
    throw common::OptionError("--vocab must be at least 6 for the bench: 5 special tokens and at least one regular token (got " +
                              std::to_string(cfg.vocab_size) + ")");
  if (seq > (std::size_t{1} << 20))
    throw common::OptionError("--seq must be at most " + std::to_string(std::size_t{1} << 20) + " (got " + std::to_string(seq) + ")");
  cfg.max_len = seq;
  cfg.validate();
  cfg.check_fits_in_memory(batch, seq);  // before allocating anything batch-sized
  common::ScopedBlasThreads blas_threads(o.threads);  // restored on return
  Encoder model(cfg);
  model.init_random(1);
  model.set_threads(o.threads);
  std::mt19937_64 rng(2);
  MlmBatch b;
  b.batch = batch, b.seq = seq;
  b.ids.resize(batch * seq);  // [B·T]
  b.lengths.assign(batch, static_cast<std::int32_t>(seq));
  std::uniform_int_distribution<std::int32_t> id(5, static_cast<std::int32_t>(cfg.vocab_size) - 1);
  for (auto& x : b.ids) x = id(rng);
  MlmBatch masked = b;
  mask_tokens(masked, 0.15, 4, 5, cfg.vocab_size, rng);
  MlmHead head;
  AdamW opt(model.params().total());
  common::AlignedFloats dh(batch * seq * cfg.d_model);  // [B·T, d]
  // The host's GEMM rate drifts (several-fold within minutes on a shared
  // VM), so the sgemm reference is measured around every timed pass: the
  // forward between the reference points just before and just after it,
  // the training step between that one and the next; each pass's fraction is
  // its GFLOP/s over the mean of its two points.
  SgemmReference sgemm(o.threads);
  const double fwd_flops = model.forward_flops(batch, seq);
  const double m = static_cast<double>(masked.positions.size());
  const double step_flops = 3 * fwd_flops + 3 * 2 * m * static_cast<double>(cfg.vocab_size * cfg.d_model);
  std::vector<double> fwd, step, ref, fwd_frac, step_frac;
  double before = 0;
  for (std::size_t r = 0; r <= o.repeats; ++r) {  // r = 0 is a warm-up
    report("forward + MLM train step", r, o.repeats + 1, "repetitions");
    if (r == 1) before = sgemm.gflops(kSgemmRuns), ref.push_back(before);
    auto t0 = Clock::now();
    model.forward(b.ids.data(), b.lengths.data(), batch, seq);
    const double f = ms_since(t0);
    const double between = r > 0 ? sgemm.gflops(kSgemmRuns) : 0;
    t0 = Clock::now();
    model.params().zero_grad();
    const float* h = model.forward(masked.ids.data(), masked.lengths.data(), batch, seq);
    head.forward_backward(model, h, masked, dh.data());
    model.backward(dh.data());
    const float clip = clip_factor(grad_norm(model.params().grad_all(), model.params().total(), o.threads), 1.0);
    opt.step(model.params(), 1e-4f, 0.01f, 0, o.threads, clip);  // clipped inside the AdamW pass
    const double s = ms_since(t0);
    if (r == 0) continue;
    const double after = sgemm.gflops(kSgemmRuns);
    ref.push_back(between), ref.push_back(after);
    fwd.push_back(f), step.push_back(s);
    fwd_frac.push_back(fwd_flops / (f * 1e6) / ((before + between) / 2));
    step_frac.push_back(step_flops / (s * 1e6) / ((between + after) / 2));
    before = after;
  }
  report("forward + MLM train step", o.repeats + 1, o.repeats + 1, "repetitions");
  BenchResult res;
  res.sgemm_gflops = median(ref);
  res.forward_of_sgemm = median(fwd_frac), res.train_of_sgemm = median(step_frac);
  res.forward_ms = median(fwd), res.train_step_ms = median(step);
  res.forward_flops = fwd_flops, res.train_step_flops = step_flops;
  res.tokens = static_cast<double>(batch * seq);
  return res;
}

}  // namespace enc
