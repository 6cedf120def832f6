#include "word2vec/window_kernel.h"

#include <algorithm>
#include <cstring>

#include "common/simd.h"

namespace w2v {

using common::axpy;
using common::dot;

float ns_update(const float* h, const std::int32_t* targets, int n_targets, float alpha, common::Matrix& out,
                float* neu1e, const SigmoidTable& sig) {
  const std::size_t ld = out.ld();
  float loss = 0.f;
  for (int d = 0; d < n_targets; ++d) {
    float* o = out.row(static_cast<std::size_t>(targets[d]));
    const float g = ns_gradient(dot(h, o, ld), d == 0, alpha, sig, &loss);
    axpy(g, o, neu1e, ld);
    axpy(g, h, o, ld);
  }
  return loss;
}

int draw_ns_targets(const NegativeSampler& sampler, std::int32_t word, int negative, std::int32_t* out,
                    common::Lcg& rng) {
  int n = 0;
  out[n++] = word;
  for (int d = 0; d < negative; ++d) {
    const std::int32_t t = sampler.draw(rng);
    if (t == word) continue;
    out[n++] = t;
  }
  return n;
}

float hs_update(const float* h, std::span<const std::uint8_t> code, std::span<const std::int32_t> points, float alpha,
                common::Matrix& syn1, float* neu1e, const SigmoidTable& sig) {
  const std::size_t ld = syn1.ld();
  float loss = 0.f;
  for (std::size_t d = 0; d < code.size(); ++d) {
    float* o = syn1.row(static_cast<std::size_t>(points[d]));
    const float g = hs_gradient(dot(h, o, ld), 1.f - static_cast<float>(code[d]), alpha, sig, &loss);
    if (g == 0.f) continue;  // saturated: skipped as word2vec.c
    axpy(g, o, neu1e, ld);
    axpy(g, h, o, ld);
  }
  return loss;
}

WindowKernel::WindowKernel(Params& params, const HuffmanCodes* huffman, const NegativeSampler* sampler,
                           const SigmoidTable& sig, int negative)
    : p_(params),
      huffman_(huffman),
      sampler_(sampler),
      sig_(sig),
      negative_(negative),
      ld_(params.syn0.ld()),
      dim_(params.syn0.cols()),
      neu1_(params.syn0.ld()),
      neu1e_(params.syn0.ld()) {}

int WindowKernel::draw_targets(std::int32_t word, std::int32_t* out, common::Lcg& rng) const {
  const int n = draw_ns_targets(*sampler_, word, negative_, out, rng);
  for (int i = 0; i < n; ++i) common::prefetch_row(p_.syn1neg.row(static_cast<std::size_t>(out[i])), ld_);
  return n;
}

void WindowKernel::skipgram(const std::int32_t* sen, int len, int pos, int win, float alpha, common::Lcg& rng) {
  const std::int32_t word = sen[pos];
  const int lo = std::max(0, pos - win), hi = std::min(len - 1, pos + win);
  float* neu1e = neu1e_.data();
  std::int32_t targets[2][kMaxNegative + 1];
  int n_targets[2] = {0, 0};
  int cur = 0;
  const bool ns = negative_ > 0;
  auto next_context = [&](int c) {
    ++c;
    if (c == pos) ++c;
    return c;
  };
  int c = lo == pos ? lo + 1 : lo;
  if (c > hi) return;
  if (ns) n_targets[cur] = draw_targets(word, targets[cur], rng);
  for (; c <= hi;) {
    const int nc = next_context(c);
    // Software pipeline: fetch the next pair's rows while this one computes.
    if (nc <= hi) {
      common::prefetch_row(p_.syn0.row(static_cast<std::size_t>(sen[nc])), ld_);
      if (ns) n_targets[cur ^ 1] = draw_targets(word, targets[cur ^ 1], rng);
    }
    float* l1 = p_.syn0.row(static_cast<std::size_t>(sen[c]));
    std::memset(neu1e, 0, ld_ * sizeof(float));
    if (huffman_) {
      loss_.add(hs_update(l1, huffman_->code(static_cast<std::size_t>(word)),
                             huffman_->points(static_cast<std::size_t>(word)), alpha, p_.syn1, neu1e, sig_), 1);
      loss_.add_work(huffman_->code(static_cast<std::size_t>(word)).size(), 0, dim_);
    }
    if (ns) {
      loss_.add(ns_update(l1, targets[cur], n_targets[cur], alpha, p_.syn1neg, neu1e, sig_), 1);
      loss_.add_work(static_cast<std::uint64_t>(n_targets[cur]), 0, dim_);
    }
    axpy(1.f, neu1e, l1, ld_);
    cur ^= 1;
    c = nc;
  }
}

void WindowKernel::cbow(const std::int32_t* sen, int len, int pos, int win, float alpha, common::Lcg& rng) {
  const std::int32_t word = sen[pos];
  const int lo = std::max(0, pos - win), hi = std::min(len - 1, pos + win);
  float* neu1 = neu1_.data();
  float* neu1e = neu1e_.data();
  std::int32_t targets[kMaxNegative + 1];
  int n_targets = negative_ > 0 ? draw_targets(word, targets, rng) : 0;
  std::memset(neu1, 0, ld_ * sizeof(float));
  std::memset(neu1e, 0, ld_ * sizeof(float));
  int cw = 0;
  for (int c = lo; c <= hi; ++c) {
    if (c == pos) continue;
    axpy(1.f, p_.syn0.row(static_cast<std::size_t>(sen[c])), neu1, ld_);
    ++cw;
  }
  if (cw == 0) return;
  const float inv = 1.f / static_cast<float>(cw);
  for (std::size_t i = 0; i < ld_; ++i) neu1[i] *= inv;
  if (huffman_) {
    loss_.add(hs_update(neu1, huffman_->code(static_cast<std::size_t>(word)),
                           huffman_->points(static_cast<std::size_t>(word)), alpha, p_.syn1, neu1e, sig_), 1);
    loss_.add_work(huffman_->code(static_cast<std::size_t>(word)).size(), 0, dim_);
  }
  if (n_targets) {
    loss_.add(ns_update(neu1, targets, n_targets, alpha, p_.syn1neg, neu1e, sig_), 1);
    loss_.add_work(static_cast<std::uint64_t>(n_targets), 0, dim_);
  }
  loss_.add_work(0, static_cast<std::uint64_t>(cw), dim_);
  for (int c = lo; c <= hi; ++c) {
    if (c == pos) continue;
    axpy(1.f, neu1e, p_.syn0.row(static_cast<std::size_t>(sen[c])), ld_);
  }
}

}  // namespace w2v
