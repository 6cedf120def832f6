#include "encoder/mlm.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "common/blas.h"
#include "common/fast_math.h"
#include "common/parallel.h"
#include "encoder/ops.h"
#include "encoder/row_reduce.h"

namespace enc {

void mask_tokens(MlmBatch& b, double rate, std::int32_t mask_id, std::int32_t first_regular, std::size_t vocab,
                 std::mt19937_64& rng, std::size_t skip_first) {
  b.positions.clear();
  b.targets.clear();
  std::uniform_real_distribution<double> u(0, 1);
  std::uniform_int_distribution<std::int32_t> random_id(first_regular, static_cast<std::int32_t>(vocab) - 1);
  for (std::size_t s = 0; s < b.batch; ++s)
    for (std::size_t t = skip_first; t < static_cast<std::size_t>(b.lengths[s]); ++t) {
      if (u(rng) >= rate) continue;
      const std::size_t r = s * b.seq + t;
      b.positions.push_back(static_cast<std::int32_t>(r));
      b.targets.push_back(b.ids[r]);
      const double k = u(rng);
      if (k < 0.8) b.ids[r] = mask_id;
      else if (k < 0.9) b.ids[r] = random_id(rng);
    }
  if (b.positions.empty() && b.batch > 0 && static_cast<std::size_t>(b.lengths[0]) > skip_first) {  // predict something
    b.positions.push_back(static_cast<std::int32_t>(skip_first));
    b.targets.push_back(b.ids[skip_first]);
    b.ids[skip_first] = mask_id;
  }
}

MlmBatch batch_rows(const MlmBatch& b, std::size_t first, std::size_t count) {
  MlmBatch part;
  part.batch = count, part.seq = b.seq;
  const std::size_t lo = first * b.seq, hi = (first + count) * b.seq;
  part.ids.assign(b.ids.begin() + static_cast<std::ptrdiff_t>(lo), b.ids.begin() + static_cast<std::ptrdiff_t>(hi));
  part.lengths.assign(b.lengths.begin() + static_cast<std::ptrdiff_t>(first),
                      b.lengths.begin() + static_cast<std::ptrdiff_t>(first + count));
  for (std::size_t i = 0; i < b.positions.size(); ++i) {
    const auto r = static_cast<std::size_t>(b.positions[i]);
    if (r < lo || r >= hi) continue;
    part.positions.push_back(static_cast<std::int32_t>(r - lo));
    part.targets.push_back(b.targets[i]);
  }
  return part;
}

namespace {

// Vocabulary columns per block: a block of logits [M, kVocabBlock] (1.2 MiB
// at M = 614) stays in a core's L2 between its GEMM and the pass over it.
constexpr std::size_t kVocabBlock = 512;

}  // namespace

MlmResult MlmHead::run(const Encoder& model, const float* hidden, const MlmBatch& b, std::size_t units) {
  const std::size_t d = model.config().d_model, v = model.config().vocab_size, m = b.positions.size();
  const std::size_t n = units ? units : m;  // the loss is the mean over n predictions
  h_.ensure(m * d);       // [M, d] gathered hidden rows
  logits_.ensure(m * v);  // [M, V]
  for (std::size_t i = 0; i < m; ++i)
    std::memcpy(h_.data() + i * d, hidden + static_cast<std::size_t>(b.positions[i]) * d, d * sizeof(float));
  const float* emb = model.params().data(0);  // embedding.weight [V, d] is slot 0
  // Per column block: logits[:, block] = H · E[block]ᵀ, then each row's max,
  // first argmax and Σ e^(logit - max) over the block while it is in cache.
  // Blocks do not depend on the thread count, so neither do the results.
  const std::size_t blocks = (v + kVocabBlock - 1) / kVocabBlock;
  block_max_.resize(blocks * m), block_sum_.resize(blocks * m), block_arg_.resize(blocks * m);  // [blocks, M]
  {
    common::ScopedBlasThreads single(1);
    common::parallel_for(blocks, model.threads(), [&](std::size_t k, int) {
      const std::size_t v0 = k * kVocabBlock, vb = std::min(kVocabBlock, v - v0);
      common::gemm(false, true, m, vb, d, 1.f, h_.data(), d, emb + v0 * d, d, 0.f, logits_.data() + v0, v);
      for (std::size_t i = 0; i < m; ++i) {
        const float* row = logits_.data() + i * v + v0;
        // Argmax by index, NaN-safe: a NaN never compares greater, so arg
        // stays in the block (the loss then comes out NaN and the trainer stops).
        const std::size_t arg = lane_argmax(row, vb);
        const float mx = row[arg];
        block_arg_[k * m + i] = static_cast<std::uint32_t>(v0 + arg);
        block_max_[k * m + i] = mx;
        block_sum_[k * m + i] = lane_sum(vb, [row, mx](std::size_t j) { return common::exp_fast(row[j] - mx); });
      }
    });
  }
  MlmResult r;
  r.count = m;
  row_max_.resize(m), row_scale_.resize(m);  // [M]
  for (std::size_t i = 0; i < m; ++i) {
    // Combine the blocks in order: the first block holding the row's max
    // gives the first argmax; each block's sum is rescaled to that max.
    float mx = block_max_[i];
    std::uint32_t arg = block_arg_[i];
    for (std::size_t k = 1; k < blocks; ++k)
      if (block_max_[k * m + i] > mx) mx = block_max_[k * m + i], arg = block_arg_[k * m + i];
    double sum = 0;
    for (std::size_t k = 0; k < blocks; ++k)
      sum += static_cast<double>(block_sum_[k * m + i]) * std::exp(static_cast<double>(block_max_[k * m + i]) - mx);
    const auto t = static_cast<std::size_t>(b.targets[i]);
    r.loss += std::log(sum) - (static_cast<double>(logits_.data()[i * v + t]) - mx);
    r.correct += arg == t;
    row_max_[i] = mx;
    row_scale_[i] = static_cast<float>(1.0 / (static_cast<double>(n) * sum));
  }
  r.loss /= static_cast<double>(std::max<std::size_t>(n, 1));
  return r;
}

MlmResult MlmHead::evaluate(const Encoder& model, const float* hidden, const MlmBatch& b) {
  return run(model, hidden, b);
}

MlmResult MlmHead::forward_backward(Encoder& model, const float* hidden, const MlmBatch& b, float* dhidden,
                                    std::size_t units) {
  const std::size_t d = model.config().d_model, v = model.config().vocab_size, m = b.positions.size();
  if (m == 0) {  // a data-parallel shard without a masked token: no loss, no gradient
    std::memset(dhidden, 0, b.batch * b.seq * d * sizeof(float));
    return {};
  }
  MlmResult r = run(model, hidden, b, units);
  const std::size_t n = units ? units : m;
  const float* emb = model.params().data(0);
  float* gemb = model.params().grad(0);
  const float one = 1.f / static_cast<float>(n);
  // Per column block: logits -> dL/dlogits = (softmax - onehot) / n in place,
  // then dE[block] += dlogits[:, block]ᵀ · H while the block is in cache.
  const std::size_t blocks = (v + kVocabBlock - 1) / kVocabBlock;
  {
    common::ScopedBlasThreads single(1);
    common::parallel_for(blocks, model.threads(), [&](std::size_t k, int) {
      const std::size_t v0 = k * kVocabBlock, vb = std::min(kVocabBlock, v - v0);
      for (std::size_t i = 0; i < m; ++i) {
        float* row = logits_.data() + i * v + v0;
        const float mx = row_max_[i], scale = row_scale_[i];
        for (std::size_t j = 0; j < vb; ++j) row[j] = common::exp_fast(row[j] - mx) * scale;
        const auto t = static_cast<std::size_t>(b.targets[i]);
        if (t >= v0 && t < v0 + vb) row[t - v0] -= one;
      }
      common::gemm(true, false, vb, d, m, 1.f, logits_.data() + v0, v, h_.data(), d, 1.f, gemb + v0 * d, d);
    });
  }
  // dH[M, d] = dlogits[M, V] · E[V, d], scattered to the masked rows.
  dh_.ensure(m * d);  // [M, d]
  auto& dh = dh_;
  common::gemm_mt(model.threads(), false, false, m, d, v, 1.f, logits_.data(), v, emb, d, 0.f, dh.data(), d);
  std::memset(dhidden, 0, b.batch * b.seq * d * sizeof(float));
  for (std::size_t i = 0; i < m; ++i) {
    float* dst = dhidden + static_cast<std::size_t>(b.positions[i]) * d;
    for (std::size_t j = 0; j < d; ++j) dst[j] += dh.data()[i * d + j];
  }
  return r;
}

MlmResult mlm_head_ref(const float* emb, std::size_t vocab, std::size_t d, const float* hidden, const MlmBatch& b,
                       std::size_t units, float* dhidden, float* demb) {
  const std::size_t m = b.positions.size(), n = units ? units : m;
  MlmResult r;
  r.count = m;
  std::fill(dhidden, dhidden + b.batch * b.seq * d, 0.f);
  std::vector<float> logits(vocab);  // [V] one row
  std::vector<double> p(vocab);      // [V] softmax of the row
  for (std::size_t i = 0; i < m; ++i) {
    const float* h = hidden + static_cast<std::size_t>(b.positions[i]) * d;  // [d]
    common::gemm_ref(false, true, 1, vocab, d, 1.f, h, d, emb, d, 0.f, logits.data(), vocab);
    std::size_t arg = 0;
    for (std::size_t j = 1; j < vocab; ++j)
      if (logits[j] > logits[arg]) arg = j;
    double sum = 0;
    for (std::size_t j = 0; j < vocab; ++j) sum += p[j] = std::exp(static_cast<double>(logits[j]) - logits[arg]);
    const auto t = static_cast<std::size_t>(b.targets[i]);
    r.loss += std::log(sum) - (static_cast<double>(logits[t]) - logits[arg]);
    r.correct += arg == t;
    float* dh = dhidden + static_cast<std::size_t>(b.positions[i]) * d;  // [d]
    for (std::size_t j = 0; j < vocab; ++j) {
      const double g = (p[j] / sum - (j == t ? 1.0 : 0.0)) / static_cast<double>(n);  // dL/dlogit_j
      for (std::size_t c = 0; c < d; ++c) {
        dh[c] += static_cast<float>(g * emb[j * d + c]);
        demb[j * d + c] += static_cast<float>(g * h[c]);
      }
    }
  }
  r.loss /= static_cast<double>(std::max<std::size_t>(n, 1));
  return r;
}

void AdamW::step(ParamSet& p, float lr, float weight_decay, std::size_t skip_floats, int threads) {
  ++step_;
  adamw_step(p.data_all() + skip_floats, p.grad_all() + skip_floats, m_.data() + skip_floats, v_.data() + skip_floats,
             p.total() - skip_floats, lr, beta1_, beta2_, eps_, weight_decay, step_, threads);
}

}  // namespace enc
