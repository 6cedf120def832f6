#include "word2vec/batch_kernel.h"

#include <algorithm>
#include <cstring>

#include "common/simd.h"

namespace w2v {

using common::axpy;
using common::dot;

float ns_batch_update(const std::int32_t* inputs, int k_rows, const std::int32_t* targets, int m_rows, float alpha,
                      common::Matrix& syn0, common::Matrix& syn1neg, float* scores, float* delta_in,
                      const SigmoidTable& sig) {
  const std::size_t ld = syn0.ld();
  const auto in_row = [&](int k) { return syn0.row(static_cast<std::size_t>(inputs[k])); };
  const auto out_row = [&](int j) { return syn1neg.row(static_cast<std::size_t>(targets[j])); };
  float loss = 0.f;
  // S = In · Outᵀ [K, M], then G in place.
  for (int k = 0; k < k_rows; ++k) {
    const float* in = in_row(k);
    float* g = scores + static_cast<std::size_t>(k) * static_cast<std::size_t>(m_rows);
    for (int j = 0; j < m_rows; ++j) g[j] = ns_gradient(dot(in, out_row(j), ld), j == 0, alpha, sig, &loss);
  }
  // ΔIn = G · Out [K, ld] from the old Out rows.
  for (int k = 0; k < k_rows; ++k) {
    float* d = delta_in + static_cast<std::size_t>(k) * ld;
    const float* g = scores + static_cast<std::size_t>(k) * static_cast<std::size_t>(m_rows);
    std::memset(d, 0, ld * sizeof(float));
    for (int j = 0; j < m_rows; ++j) axpy(g[j], out_row(j), d, ld);
  }
  // Out += Gᵀ · In from the old In rows (In is not written yet).
  for (int j = 0; j < m_rows; ++j) {
    float* o = out_row(j);
    for (int k = 0; k < k_rows; ++k)
      axpy(scores[static_cast<std::size_t>(k) * static_cast<std::size_t>(m_rows) + static_cast<std::size_t>(j)],
           in_row(k), o, ld);
  }
  // In += ΔIn.
  for (int k = 0; k < k_rows; ++k) axpy(1.f, delta_in + static_cast<std::size_t>(k) * ld, in_row(k), ld);
  return loss;
}

BatchKernel::BatchKernel(Params& params, const NegativeSampler& sampler, const SigmoidTable& sig, int negative)
    : p_(params), sampler_(sampler), sig_(sig), negative_(negative), ld_(params.syn0.ld()) {}

void BatchKernel::skipgram(const std::int32_t* sen, int len, int pos, int win, float alpha, common::Lcg& rng) {
  const std::int32_t word = sen[pos];
  const int lo = std::max(0, pos - win), hi = std::min(len - 1, pos + win);
  const int k_max = hi - lo;  // contexts, the centre excluded
  if (k_max <= 0) return;
  std::int32_t targets[WindowKernel::kMaxNegative + 1];
  const int m = draw_ns_targets(sampler_, word, negative_, targets, rng);
  for (int j = 0; j < m; ++j) common::prefetch_row(p_.syn1neg.row(static_cast<std::size_t>(targets[j])), ld_);
  inputs_.resize(static_cast<std::size_t>(k_max));
  int k = 0;
  for (int c = lo; c <= hi; ++c)
    if (c != pos) inputs_[static_cast<std::size_t>(k++)] = sen[c];
  scores_.ensure(static_cast<std::size_t>(k) * static_cast<std::size_t>(m));
  delta_in_.ensure(static_cast<std::size_t>(k) * ld_);
  loss_sum_ += ns_batch_update(inputs_.data(), k, targets, m, alpha, p_.syn0, p_.syn1neg, scores_.data(),
                               delta_in_.data(), sig_);
  loss_n_ += static_cast<std::uint64_t>(k);
}

}  // namespace w2v
