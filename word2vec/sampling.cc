#include "word2vec/sampling.h"

#include <algorithm>

namespace w2v {

NegativeSampler::NegativeSampler(const std::vector<std::uint64_t>& counts, double power) {
  // Vose's alias method over words 1..V-1.
  n_ = counts.size() > 1 ? counts.size() - 1 : 0;
  if (n_ == 0) return;
  std::vector<double> p(n_);
  double total = 0;
  for (std::size_t i = 0; i < n_; ++i) total += p[i] = std::pow(static_cast<double>(counts[i + 1]), power);
  for (auto& v : p) v = v * static_cast<double>(n_) / total;
  prob_.assign(n_, 0);
  alias_.assign(n_, 0);
  std::vector<std::size_t> small, large;
  for (std::size_t i = 0; i < n_; ++i) (p[i] < 1.0 ? small : large).push_back(i);
  constexpr double kOne = 4294967296.0;
  while (!small.empty() && !large.empty()) {
    std::size_t s = small.back(), l = large.back();
    small.pop_back();
    prob_[s] = static_cast<std::uint32_t>(std::min(p[s] * kOne, kOne - 1));
    alias_[s] = static_cast<std::int32_t>(l) + 1;
    p[l] = (p[l] + p[s]) - 1.0;
    if (p[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  for (std::size_t i : large) prob_[i] = UINT32_MAX, alias_[i] = static_cast<std::int32_t>(i) + 1;
  for (std::size_t i : small) prob_[i] = UINT32_MAX, alias_[i] = static_cast<std::int32_t>(i) + 1;
}

double NegativeSampler::probability(std::size_t w) const {
  if (w == 0 || w > n_) return 0;
  constexpr double kOne = 4294967296.0;
  double p = 0;
  for (std::size_t i = 0; i < n_; ++i) {
    double accept = (prob_[i] == UINT32_MAX ? kOne : static_cast<double>(prob_[i])) / kOne;
    if (i + 1 == w) p += accept;
    if (static_cast<std::size_t>(alias_[i]) == w && prob_[i] != UINT32_MAX) p += 1.0 - accept;
  }
  return p / static_cast<double>(n_);
}

Subsampler::Subsampler(const std::vector<std::uint64_t>& counts, std::uint64_t train_words, double sample) {
  active_ = sample > 0;
  if (!active_) return;
  threshold_.resize(counts.size());
  for (std::size_t w = 0; w < counts.size(); ++w) {
    double keep = counts[w] ? keep_probability(counts[w], train_words, sample) : 1.0;
    threshold_[w] = static_cast<float>(std::min(keep, 2.0) * 65536.0);
  }
}

SigmoidTable::SigmoidTable(int size) : size_(size), scale_(static_cast<float>(size) / kMaxExp / 2.f) {
  sig_.resize(static_cast<std::size_t>(size) + 1);
  logsig_.resize(static_cast<std::size_t>(size) + 1);
  for (int i = 0; i <= size; ++i) {
    double x = (static_cast<double>(i) / size * 2 - 1) * kMaxExp;
    double e = std::exp(x);
    sig_[static_cast<std::size_t>(i)] = static_cast<float>(e / (e + 1));
    logsig_[static_cast<std::size_t>(i)] = static_cast<float>(-std::log1p(std::exp(-x)));
  }
}

}  // namespace w2v
