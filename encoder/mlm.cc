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

MlmResult MlmHead::run(const Encoder& model, const float* hidden, const MlmBatch& b, bool grad, std::size_t units) {
  const std::size_t d = model.config().d_model, v = model.config().vocab_size, m = b.positions.size();
  const std::size_t n = units ? units : m;  // the loss is the mean over n predictions
  h_.ensure(m * d);       // [M, d] gathered hidden rows
  logits_.ensure(m * v);  // [M, V]
  for (std::size_t i = 0; i < m; ++i)
    std::memcpy(h_.data() + i * d, hidden + static_cast<std::size_t>(b.positions[i]) * d, d * sizeof(float));
  const float* emb = model.params().data(0);  // embedding.weight [V, d] is slot 0
  common::gemm_mt(model.threads(), false, true, m, v, d, 1.f, h_.data(), d, emb, d, 0.f, logits_.data(), v);
  MlmResult r;
  r.count = m;
  std::vector<double> row_loss(m);  // summed in row order below: the same total for any thread count
  std::vector<char> row_correct(m);
  common::parallel_for(m, model.threads(), [&](std::size_t i, int) {
    float* row = logits_.data() + i * v;
    // Argmax by index, NaN-safe: a NaN never compares greater, so arg stays
    // in the row (the loss then comes out NaN and the trainer stops).
    const std::size_t arg = lane_argmax(row, v);
    const float mx = row[arg];
    // Σ e^(logit - max) without storing the exponentials: the row is only
    // written once, below, straight as dL/dlogits (e^(logit - max) is
    // recomputed there: cheaper than a store and a reload of the 120 KB row).
    const float sum = lane_sum(v, [row, mx](std::size_t j) { return common::exp_fast(row[j] - mx); });
    const auto t = static_cast<std::size_t>(b.targets[i]);
    row_loss[i] = std::log(static_cast<double>(sum)) - std::log(static_cast<double>(common::exp_fast(row[t] - mx)));
    row_correct[i] = arg == t;
    if (!grad) return;
    // Turn the row into dL/dlogits = (softmax - onehot) / M, in place.
    const float scale = 1.f / (static_cast<float>(n) * sum), one = 1.f / static_cast<float>(n);
    for (std::size_t j = 0; j < v; ++j) row[j] = common::exp_fast(row[j] - mx) * scale;
    row[t] -= one;
  });
  for (std::size_t i = 0; i < m; ++i) r.loss += row_loss[i], r.correct += row_correct[i];
  r.loss /= static_cast<double>(std::max<std::size_t>(n, 1));
  return r;
}

MlmResult MlmHead::evaluate(const Encoder& model, const float* hidden, const MlmBatch& b) {
  return run(model, hidden, b, false);
}

MlmResult MlmHead::forward_backward(Encoder& model, const float* hidden, const MlmBatch& b, float* dhidden,
                                    std::size_t units) {
  const std::size_t d = model.config().d_model, v = model.config().vocab_size, m = b.positions.size();
  if (m == 0) {  // a data-parallel shard without a masked token: no loss, no gradient
    std::memset(dhidden, 0, b.batch * b.seq * d * sizeof(float));
    return {};
  }
  MlmResult r = run(model, hidden, b, true, units);
  const float* emb = model.params().data(0);
  float* gemb = model.params().grad(0);
  // dH[M, d] = dlogits[M, V] · E[V, d], scattered to the masked rows.
  dh_.ensure(m * d);  // [M, d]
  auto& dh = dh_;
  common::gemm_mt(model.threads(), false, false, m, d, v, 1.f, logits_.data(), v, emb, d, 0.f, dh.data(), d);
  std::memset(dhidden, 0, b.batch * b.seq * d * sizeof(float));
  for (std::size_t i = 0; i < m; ++i) {
    float* dst = dhidden + static_cast<std::size_t>(b.positions[i]) * d;
    for (std::size_t j = 0; j < d; ++j) dst[j] += dh.data()[i * d + j];
  }
  // dE[V, d] += dlogitsᵀ[V, M] · H[M, d]
  common::gemm_mt(model.threads(), true, false, v, d, m, 1.f, logits_.data(), v, h_.data(), d, 1.f, gemb, d);
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

void AdamW::step(ParamSet& p, float lr, float weight_decay, std::size_t skip_floats, int threads, float grad_scale) {
  ++step_;
  adamw_step(p.data_all() + skip_floats, p.grad_all() + skip_floats, m_.data() + skip_floats, v_.data() + skip_floats,
             p.total() - skip_floats, lr, beta1_, beta2_, eps_, weight_decay, step_, threads, grad_scale);
}

}  // namespace enc
