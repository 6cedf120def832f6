#include "word2vec/batch_kernel.h"

#include <algorithm>
#include <cstring>

#include "common/simd.h"
#include "word2vec/gradient_row.h"

namespace w2v {

using common::axpy;
using common::axpy_rows;
using common::dot_rows;

void BatchScratch::ensure(int k_rows, int m_rows, std::size_t ld) {
  const auto k = static_cast<std::size_t>(k_rows), m = static_cast<std::size_t>(m_rows);
  g.ensure(k * m);
  g_t.ensure(k * m);
  delta_in.ensure(k * ld);
  labels.ensure(m);
  loss_terms.ensure(m);
  in_rows.resize(k);
  out_rows.resize(m);
}

namespace {

// The update of the header comment for either objective. The caller has
// called scratch.ensure(K, M, ld) and set the target rows scratch.out_rows
// (the output matrix's rows or a worker's private copies of them, HotRows)
// and their labels scratch.labels.
float batch_update(const std::int32_t* inputs, int k_rows, int m_rows, float alpha, Objective obj,
                   const SigmoidTable& sig, common::Matrix& syn0, BatchScratch& scratch) {
  const std::size_t ld = syn0.ld();
  const auto k_n = static_cast<std::size_t>(k_rows), m_n = static_cast<std::size_t>(m_rows);
  const float** in = scratch.in_rows.data();
  float* const* out = scratch.out_rows.data();
  for (std::size_t k = 0; k < k_n; ++k) in[k] = syn0.row(static_cast<std::size_t>(inputs[k]));
  float* g = scratch.g.data();      // [K, M]
  float* g_t = scratch.g_t.data();  // [M, K]
  float* delta = scratch.delta_in.data();  // [K, ld]
  float* terms = scratch.loss_terms.data();  // [M]
  float loss = 0.f;
  // S = In · Outᵀ, then G = gradient(S) in place.
  for (std::size_t k = 0; k < k_n; ++k) {
    float* gk = g + k * m_n;
    dot_rows(in[k], out, m_rows, gk, ld);
    gradient_row(gk, scratch.labels.data(), m_rows, alpha, obj, sig, terms);
    for (std::size_t j = 0; j < m_n; ++j) {
      loss += terms[j];
      g_t[j * k_n + k] = gk[j];
    }
  }
  // ΔIn = G · Out from the old Out rows.
  for (std::size_t k = 0; k < k_n; ++k) {
    float* d = delta + k * ld;
    std::memset(d, 0, ld * sizeof(float));
    axpy_rows(g + k * m_n, out, m_rows, d, ld);
  }
  // Out += Gᵀ · In from the old In rows (In is not written yet); each row
  // written once. A repeated target gets both of its rows' deltas in turn.
  for (std::size_t j = 0; j < m_n; ++j) axpy_rows(g_t + j * k_n, in, k_rows, out[j], ld);
  // In += ΔIn.
  for (std::size_t k = 0; k < k_n; ++k) axpy(1.f, delta + k * ld, syn0.row(static_cast<std::size_t>(inputs[k])), ld);
  return loss;
}

}  // namespace

float ns_batch_update(const std::int32_t* inputs, int k_rows, const std::int32_t* targets, int m_rows, float alpha,
                      common::Matrix& syn0, common::Matrix& syn1neg, BatchScratch& scratch, const SigmoidTable& sig) {
  scratch.ensure(k_rows, m_rows, syn0.ld());
  for (std::size_t j = 0; j < static_cast<std::size_t>(m_rows); ++j) {
    scratch.out_rows[j] = syn1neg.row(static_cast<std::size_t>(targets[j]));
    scratch.labels.data()[j] = j == 0 ? 1.f : 0.f;
  }
  return batch_update(inputs, k_rows, m_rows, alpha, Objective::kNs, sig, syn0, scratch);
}

float hs_batch_update(const std::int32_t* inputs, int k_rows, std::span<const std::uint8_t> code,
                      std::span<const std::int32_t> points, float alpha, common::Matrix& syn0, common::Matrix& syn1,
                      BatchScratch& scratch, const SigmoidTable& sig, HotRows* hot) {
  const int m_rows = static_cast<int>(points.size());
  scratch.ensure(k_rows, m_rows, syn0.ld());
  for (std::size_t j = 0; j < points.size(); ++j) {
    const auto node = static_cast<std::size_t>(points[j]);
    scratch.out_rows[j] = hot ? hot->row(node) : syn1.row(node);
    scratch.labels.data()[j] = 1.f - static_cast<float>(code[j]);
  }
  return batch_update(inputs, k_rows, m_rows, alpha, Objective::kHs, sig, syn0, scratch);
}

BatchKernel::BatchKernel(Params& params, const HuffmanCodes* huffman, const NegativeSampler* sampler,
                         const SigmoidTable& sig, int negative, std::size_t hot_nodes)
    : p_(params), huffman_(huffman), sampler_(sampler), sig_(sig), negative_(negative), ld_(params.syn0.ld()) {
  // Inner nodes 0..V-2; the higher the index, the heavier the node (created
  // later by the Huffman construction), the root V-2 the heaviest.
  const std::size_t inner = huffman && huffman->size() > 1 ? huffman->size() - 1 : 0;
  const std::size_t n = std::min(hot_nodes, inner);
  if (n > 0) hot_.emplace(params.syn1, inner - n, inner);
}

void BatchKernel::skipgram(const std::int32_t* sen, int len, int pos, int win, float alpha, common::Lcg& rng) {
  const std::int32_t word = sen[pos];
  const int lo = std::max(0, pos - win), hi = std::min(len - 1, pos + win);
  if (hi - lo <= 0) return;  // no context word
  inputs_.resize(static_cast<std::size_t>(hi - lo));
  int k = 0;
  for (int c = lo; c <= hi; ++c)
    if (c != pos) inputs_[static_cast<std::size_t>(k++)] = sen[c];
  if (huffman_) {
    // The centre's Huffman path is shared by all its context words.
    const auto w = static_cast<std::size_t>(word);
    if (pos + 1 < len) {
      for (const std::int32_t node : huffman_->points(static_cast<std::size_t>(sen[pos + 1])))
        if (!hot_ || !hot_->hot(static_cast<std::size_t>(node)))
          common::prefetch_row(p_.syn1.row(static_cast<std::size_t>(node)), ld_);
    }
    loss_.add(hs_batch_update(inputs_.data(), k, huffman_->code(w), huffman_->points(w), alpha, p_.syn0, p_.syn1,
                              scratch_, sig_, hot_ ? &*hot_ : nullptr),
              static_cast<std::uint64_t>(k));
    if (hot_ && ++hot_words_ >= kHotSyncEvery) {
      hot_->sync();
      hot_words_ = 0;
    }
    loss_.add_work(static_cast<std::uint64_t>(k) * huffman_->code(w).size(), 0, p_.syn0.cols());
  }
  if (negative_ > 0) ns_window(sen, len, pos, hi, k, alpha, rng);
}

void BatchKernel::flush_shared() {
  if (hot_) hot_->flush();
}

void BatchKernel::ns_window(const std::int32_t* sen, int len, int pos, int hi, int k, float alpha, common::Lcg& rng) {
  const std::int32_t word = sen[pos];
  // This window's targets: drawn ahead by the call for pos - 1, or now.
  std::int32_t targets[WindowKernel::kMaxNegative + 1];
  int m;
  if (ahead_pos_ == pos && ahead_[0] == word) {
    m = ahead_n_;
    std::copy(ahead_, ahead_ + m, targets);
  } else {
    m = draw_ns_targets(*sampler_, word, negative_, targets, rng);
  }
  ahead_pos_ = -1;
  // Software pipeline: draw the next window's negatives and fetch their rows
  // (and the next context row) while this window computes.
  if (pos + 1 < len) {
    ahead_n_ = draw_ns_targets(*sampler_, sen[pos + 1], negative_, ahead_, rng);
    ahead_pos_ = pos + 1;
    for (int j = 0; j < ahead_n_; ++j) common::prefetch_row(p_.syn1neg.row(static_cast<std::size_t>(ahead_[j])), ld_);
    if (hi + 1 < len) common::prefetch_row(p_.syn0.row(static_cast<std::size_t>(sen[hi + 1])), ld_);
  }
  loss_.add(ns_batch_update(inputs_.data(), k, targets, m, alpha, p_.syn0, p_.syn1neg, scratch_, sig_),
            static_cast<std::uint64_t>(k));
  loss_.add_work(static_cast<std::uint64_t>(k) * static_cast<std::uint64_t>(m), 0, p_.syn0.cols());
}

}  // namespace w2v
