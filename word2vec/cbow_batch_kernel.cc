#include "word2vec/cbow_batch_kernel.h"

#include <algorithm>
#include <cstring>

#include "common/simd.h"
#include "word2vec/gradient_row.h"

namespace w2v {

using common::axpy;
using common::axpy_rows;
using common::dot_rows;

void CbowBatchScratch::ensure(int b_rows, int m_rows, std::size_t ld) {
  const auto b = static_cast<std::size_t>(b_rows), m = static_cast<std::size_t>(m_rows);
  h.ensure(b * ld);
  e.ensure(b * ld);
  g.ensure(b * m);
  g_t.ensure(b * m);
  labels.ensure(m);
  loss_terms.ensure(m);
  rows.resize(m);
  h_rows.resize(b);
}

namespace {

// h = mean of the window's context rows, summed in WindowKernel::cbow's order.
void hidden_mean(const CbowWindow& w, const common::Matrix& syn0, float* h) {
  const std::size_t ld = syn0.ld();
  std::memset(h, 0, ld * sizeof(float));
  for (int c = 0; c < w.n_context; ++c) axpy(1.f, syn0.row(static_cast<std::size_t>(w.context[c])), h, ld);
  const float inv = 1.f / static_cast<float>(w.n_context);
  for (std::size_t i = 0; i < ld; ++i) h[i] *= inv;
}

}  // namespace

float cbow_batch_update(const CbowWindow* windows, int b_rows, const std::int32_t* negatives, int n, float alpha,
                        common::Matrix& syn0, common::Matrix& syn1neg, CbowBatchScratch& scratch,
                        const SigmoidTable& sig) {
  const std::size_t ld = syn0.ld();
  const int m_rows = n + 1;
  const auto b_n = static_cast<std::size_t>(b_rows), m_n = static_cast<std::size_t>(m_rows);
  scratch.ensure(b_rows, m_rows, ld);
  const float** rows = scratch.rows.data();  // [M] row 0: the window's positive, then the negatives
  for (int j = 0; j < n; ++j) rows[j + 1] = syn1neg.row(static_cast<std::size_t>(negatives[j]));
  float* g = scratch.g.data();      // [B, M]
  float* g_t = scratch.g_t.data();  // [n, B]
  float* labels = scratch.labels.data();  // [M] 1 for the positive, 0 for the negatives
  float* terms = scratch.loss_terms.data();  // [M] one window's losses
  for (std::size_t j = 0; j < m_n; ++j) labels[j] = j == 0 ? 1.f : 0.f;
  float loss = 0.f;
  // H, S and G, then E = g ⊙ P + G · N, all from the old rows.
  for (std::size_t b = 0; b < b_n; ++b) {
    const CbowWindow& w = windows[b];
    float* h = scratch.h.data() + b * ld;
    float* gb = g + b * m_n;
    hidden_mean(w, syn0, h);
    scratch.h_rows[b] = h;
    rows[0] = syn1neg.row(static_cast<std::size_t>(w.word));
    dot_rows(h, rows, m_rows, gb, ld);
    gradient_row(gb, labels, m_rows, alpha, Objective::kNs, sig, terms);
    loss += terms[0];
    for (std::size_t j = 1; j < m_n; ++j) {
      if (negatives[j - 1] == w.word)
        gb[j] = 0.f;  // a negative equal to the window's word is skipped
      else
        loss += terms[j];
      g_t[(j - 1) * b_n + b] = gb[j];
    }
    float* e = scratch.e.data() + b * ld;
    std::memset(e, 0, ld * sizeof(float));
    axpy_rows(gb, rows, m_rows, e, ld);
  }
  // Outputs: p_b += g_b · h_b, then N += Gᵀ · H (the old H: inputs not written yet).
  for (std::size_t b = 0; b < b_n; ++b)
    axpy(g[b * m_n], scratch.h_rows[b], syn1neg.row(static_cast<std::size_t>(windows[b].word)), ld);
  for (int j = 0; j < n; ++j)
    axpy_rows(g_t + static_cast<std::size_t>(j) * b_n, scratch.h_rows.data(), b_rows,
              syn1neg.row(static_cast<std::size_t>(negatives[j])), ld);
  // Inputs: every context row of window b gets e_b.
  for (std::size_t b = 0; b < b_n; ++b) {
    const float* e = scratch.e.data() + b * ld;
    for (int c = 0; c < windows[b].n_context; ++c)
      axpy(1.f, e, syn0.row(static_cast<std::size_t>(windows[b].context[c])), ld);
  }
  return loss;
}

CbowBatchKernel::CbowBatchKernel(Params& params, const NegativeSampler& sampler, const SigmoidTable& sig,
                                 int negative)
    : p_(params), sampler_(sampler), sig_(sig), negative_(negative), ld_(params.syn0.ld()) {}

void CbowBatchKernel::sentence(const std::int32_t* sen, int len, int win, float alpha, common::Lcg& rng) {
  const auto w = static_cast<std::uint32_t>(win);
  CbowWindow windows[kWindows];
  std::int32_t negatives[2][WindowKernel::kMaxNegative];
  int cur = 0;
  auto draw = [&](std::int32_t* out) {
    for (int j = 0; j < negative_; ++j) {
      out[j] = sampler_.draw(rng);
      common::prefetch_row(p_.syn1neg.row(static_cast<std::size_t>(out[j])), ld_);
    }
  };
  if (len > 0) draw(negatives[cur]);
  context_.resize(static_cast<std::size_t>(kWindows) * 2 * static_cast<std::size_t>(win));
  for (int pos0 = 0; pos0 < len; pos0 += kWindows) {
    const int end = std::min(len, pos0 + kWindows);
    // Software pipeline: the next group's negatives are drawn and fetched now.
    // So are its centre words' output rows and the input rows of the words
    // that enter its windows.
    if (end < len) {
      draw(negatives[cur ^ 1]);
      const int next_end = std::min(len, end + kWindows);
      for (int pos = end; pos < next_end; ++pos)
        common::prefetch_row(p_.syn1neg.row(static_cast<std::size_t>(sen[pos])), ld_);
      for (int pos = end + win; pos < std::min(len, next_end + win); ++pos)
        common::prefetch_row(p_.syn0.row(static_cast<std::size_t>(sen[pos])), ld_);
    }
    int b = 0;
    std::size_t used = 0;
    for (int pos = pos0; pos < end; ++pos) {
      const int r = win - static_cast<int>(rng.below(w));
      const int lo = std::max(0, pos - r), hi = std::min(len - 1, pos + r);
      CbowWindow& cw = windows[b];
      cw.context = context_.data() + used;
      cw.n_context = 0;
      cw.word = sen[pos];
      for (int c = lo; c <= hi; ++c)
        if (c != pos) context_[used + static_cast<std::size_t>(cw.n_context++)] = sen[c];
      if (cw.n_context == 0) continue;  // a one-word sentence: nothing predicts it
      used += static_cast<std::size_t>(cw.n_context);
      ++b;
    }
    if (b > 0) {
      loss_.add(cbow_batch_update(windows, b, negatives[cur], negative_, alpha, p_.syn0, p_.syn1neg, scratch_, sig_),
                static_cast<std::uint64_t>(b));
      // Each window scores its positive and the n shared negatives.
      loss_.add_work(static_cast<std::uint64_t>(b) * static_cast<std::uint64_t>(negative_ + 1), used, p_.syn0.cols());
    }
    cur ^= 1;
  }
}

}  // namespace w2v
