// The sampling pieces of word2vec.c: negatives drawn from unigram^0.75 (with
// an alias table: exact probabilities, O(1) per draw, O(V) memory instead of
// word2vec.c's 100M-entry table), frequent-word subsampling with word2vec.c's
// formula, and the sigmoid / log-sigmoid lookup tables.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "common/rng.h"

namespace w2v {

class NegativeSampler {
 public:
  NegativeSampler() = default;
  // P(w) ∝ counts[w]^power for w >= 1; id 0 (</s>) is never drawn.
  explicit NegativeSampler(const std::vector<std::uint64_t>& counts, double power = 0.75);
  std::int32_t draw(common::Lcg& rng) const {
    std::uint64_t x = (rng.next() >> 32) * n_;
    auto i = static_cast<std::uint32_t>(x >> 32);
    auto frac = static_cast<std::uint32_t>(x);
    return frac < prob_[i] ? static_cast<std::int32_t>(i) + 1 : alias_[i];
  }
  // The exact probability the sampler draws w with (for tests).
  double probability(std::size_t w) const;

 private:
  std::uint64_t n_ = 0;                 // number of candidate words (V-1)
  std::vector<std::uint32_t> prob_;     // [n] acceptance threshold, 32-bit fixed point
  std::vector<std::int32_t> alias_;     // [n] alternative word id
};

// Keep probability of word2vec.c: (sqrt(c/(s·T)) + 1)·(s·T)/c, where T is the
// total word count; stored as a 16-bit threshold compared with frac16().
class Subsampler {
 public:
  Subsampler() = default;
  Subsampler(const std::vector<std::uint64_t>& counts, std::uint64_t train_words, double sample);
  bool keep(std::int32_t w, common::Lcg& rng) const {
    if (!active_) return true;
    return static_cast<double>(rng.frac16()) <= threshold_[static_cast<std::size_t>(w)];
  }
  // word2vec.c's keep probability, possibly above 1.
  static double keep_probability(std::uint64_t count, std::uint64_t train_words, double sample) {
    double st = sample * static_cast<double>(train_words), c = static_cast<double>(count);
    return (std::sqrt(c / st) + 1.0) * st / c;
  }

 private:
  bool active_ = false;
  std::vector<float> threshold_;  // keep-probability × 65536
};

// sigmoid(x) and log(sigmoid(x)) on [-kMaxExp, kMaxExp] by table lookup, as
// word2vec.c does (its table has 1000 entries; the resolution is a parameter
// so tests can use a near-exact one).
class SigmoidTable {
 public:
  static constexpr float kMaxExp = 6.f;
  explicit SigmoidTable(int size = 1000);
  // Requires -kMaxExp < x < kMaxExp, or NaN: a diverged model's NaN passes
  // both range checks of the callers, so it is returned as it is (the
  // trainer then sees a non-finite loss) instead of becoming a table index.
  float sigmoid(float x) const { return x == x ? sig_[index(x)] : x; }
  float log_sigmoid(float x) const { return x == x ? logsig_[index(x)] : x; }
  int size() const { return size_; }
  // For vectorised lookups (gradient_row.h): entries [0, size], and the
  // index of x is (int)((x + kMaxExp) · scale()).
  const float* sigmoid_data() const { return sig_.data(); }
  const float* log_sigmoid_data() const { return logsig_.data(); }
  float scale() const { return scale_; }

 private:
  int index(float x) const { return static_cast<int>((x + kMaxExp) * scale_); }
  int size_;
  float scale_;
  std::vector<float> sig_, logsig_;
};

}  // namespace w2v
