#include "encoder/bench.h"

#include <algorithm>
#include <chrono>
#include <random>
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

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// GFLOP/s of a plain 4096 x 1024 x 256 sgemm with OpenBLAS's own threads (median of 10).
double sgemm_gflops(int threads) {
  common::ScopedBlasThreads blas_threads(threads);  // restored on return
  const std::size_t M = 4096, N = 1024, K = 256;
  common::AlignedFloats A(M * K), B(K * N), C(M * N);
  for (std::size_t i = 0; i < M * K; ++i) A.data()[i] = static_cast<float>(i % 7) * 0.1f;
  for (std::size_t i = 0; i < K * N; ++i) B.data()[i] = static_cast<float>(i % 5) * 0.1f;
  std::vector<double> g;
  for (int r = 0; r < 11; ++r) {
    auto t0 = Clock::now();
    common::gemm(false, false, M, N, K, 1.f, A.data(), K, B.data(), N, 0.f, C.data(), N);
    if (r > 0) g.push_back(2.0 * M * N * K / (ms_since(t0) * 1e6));
  }
  return median(g);
}

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
  std::vector<double> fwd, step;
  for (std::size_t r = 0; r <= o.repeats; ++r) {  // r = 0 is a warm-up
    report("forward + MLM train step", r, o.repeats + 1, "repetitions");
    auto t0 = Clock::now();
    model.forward(b.ids.data(), b.lengths.data(), batch, seq);
    const double f = ms_since(t0);
    t0 = Clock::now();
    model.params().zero_grad();
    const float* h = model.forward(masked.ids.data(), masked.lengths.data(), batch, seq);
    head.forward_backward(model, h, masked, dh.data());
    model.backward(dh.data());
    const float clip = clip_factor(grad_norm(model.params().grad_all(), model.params().total(), o.threads), 1.0);
    opt.step(model.params(), 1e-4f, 0.01f, 0, o.threads, clip);  // clipped inside the AdamW pass
    const double s = ms_since(t0);
    if (r > 0) fwd.push_back(f), step.push_back(s);
  }
  report("forward + MLM train step", o.repeats + 1, o.repeats + 1, "repetitions");
  report("sgemm 4096x1024x256 reference", 0, 0, "");
  BenchResult res;
  res.sgemm_gflops = sgemm_gflops(o.threads);
  res.forward_ms = median(fwd), res.train_step_ms = median(step);
  res.forward_flops = model.forward_flops(batch, seq);
  const double m = static_cast<double>(masked.positions.size());
  res.train_step_flops = 3 * res.forward_flops + 3 * 2 * m * static_cast<double>(cfg.vocab_size * cfg.d_model);
  res.tokens = static_cast<double>(batch * seq);
  return res;
}

}  // namespace enc
