// word2vec/cbow_batch_kernel.h: CBOW windows sharing one draw of negatives,
// against the per-window kernel WindowKernel::cbow (one window: bit-identical
// matrices) and against central finite differences of the group's loss.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "common/aligned.h"
#include "common/rng.h"
#include "w2v_kernel_test_util.h"
#include "word2vec/cbow_batch_kernel.h"
#include "word2vec/sampling.h"
#include "word2vec/window_kernel.h"

using common::Matrix;
using namespace w2vtest;

namespace {

struct Group {
  std::vector<std::vector<std::int32_t>> contexts;
  std::vector<std::int32_t> words, negatives;
};

std::vector<w2v::CbowWindow> windows_of(const Group& g) {
  std::vector<w2v::CbowWindow> w;
  for (std::size_t b = 0; b < g.words.size(); ++b)
    w.push_back({g.contexts[b].data(), static_cast<int>(g.contexts[b].size()), g.words[b]});
  return w;
}

// Σ_b [-log σ(h_b·p_b) - Σ_{j: neg_j ≠ w_b} log σ(-h_b·n_j)], h_b the mean of window b's context rows.
double group_loss(const Matrix& syn0, const Matrix& syn1neg, const Group& g) {
  double l = 0;
  for (std::size_t b = 0; b < g.words.size(); ++b) {
    std::vector<double> h(syn0.cols(), 0.0);
    for (auto c : g.contexts[b])
      for (std::size_t i = 0; i < h.size(); ++i) h[i] += syn0.at(static_cast<std::size_t>(c), i);
    for (auto& x : h) x /= static_cast<double>(g.contexts[b].size());
    auto score = [&](std::int32_t row) {
      double s = 0;
      for (std::size_t i = 0; i < h.size(); ++i) s += h[i] * syn1neg.at(static_cast<std::size_t>(row), i);
      return s;
    };
    l += neg_log_sigmoid(score(g.words[b]));
    for (auto n : g.negatives)
      if (n != g.words[b]) l += neg_log_sigmoid(-score(n));
  }
  return l;
}

}  // namespace

TEST_CASE("CBOW batch of one window equals WindowKernel::cbow bit for bit") {
  constexpr int kVocab = 400;
  const std::vector<std::uint64_t> counts(kVocab, 10);
  const w2v::NegativeSampler sampler(counts);
  const w2v::SigmoidTable sig;  // word2vec.c's table, as in training
  std::mt19937 rng(41);
  int compared = 0;
  for (std::size_t dim : {16, 100}) {
    for (int trial = 0; trial < 8; ++trial) {
      CAPTURE(dim);
      CAPTURE(trial);
      w2v::Params p;
      p.syn0.resize(kVocab, dim);
      p.syn1neg.resize(kVocab, dim);
      fill(p.syn0, rng, trial < 4 ? 0.5f : 3.f);  // 3: some scores beyond ±6 (clamped)
      fill(p.syn1neg, rng, trial < 4 ? 0.5f : 3.f);
      std::vector<std::int32_t> sen(9);
      for (auto& w : sen) w = 1 + static_cast<std::int32_t>(rng() % (kVocab - 1));
      const int pos = 4, win = 3;
      common::Lcg lcg(100 + static_cast<std::uint64_t>(trial));
      // The negatives the per-window kernel will draw (it skips the centre word).
      common::Lcg peek = lcg;
      std::int32_t targets[w2v::WindowKernel::kMaxNegative + 1];
      const int m = w2v::draw_ns_targets(sampler, sen[pos], 5, targets, peek);
      // With a repeated negative the per-window kernel scores the second copy
      // against the moved row, the batch does not (the next test covers repeats).
      if (std::set<std::int32_t>(targets, targets + m).size() != static_cast<std::size_t>(m)) continue;
      Matrix want0 = copy_of(p.syn0), want1 = copy_of(p.syn1neg);
      w2v::Params q;
      q.syn0 = copy_of(p.syn0);
      q.syn1neg = copy_of(p.syn1neg);
      w2v::WindowKernel pair(q, nullptr, &sampler, sig, 5);
      pair.cbow(sen.data(), static_cast<int>(sen.size()), pos, win, 0.05f, lcg);

      std::vector<std::int32_t> context{sen[1], sen[2], sen[3], sen[5], sen[6], sen[7]};
      const w2v::CbowWindow w{context.data(), 6, sen[pos]};
      w2v::CbowBatchScratch scratch;
      const float loss = w2v::cbow_batch_update(&w, 1, targets + 1, m - 1, 0.05f, p.syn0, p.syn1neg, scratch, sig);
      CHECK(static_cast<float>(pair.take_loss().first) == loss);
      CHECK(same_bits(p.syn0, q.syn0));
      CHECK(same_bits(p.syn1neg, q.syn1neg));
      ++compared;
    }
  }
  CHECK(compared >= 8);
}

TEST_CASE("CBOW batch steps: -alpha times the group's loss gradient in syn1neg, the hidden gradient in each context") {
  std::mt19937 rng(42);
  // Every window has 3 context words, so the step in syn0 is -alpha · 3 · ∂L/∂syn0
  // (each context row gets the hidden error, not a third of it). A context
  // word twice in a window, a row shared by two windows, a repeated
  // negative, a negative equal to a window's centre (masked for that window).
  const std::vector<Group> groups{
      {{{1, 2, 3}, {2, 3, 4}, {3, 4, 5}}, {2, 3, 4}, {6, 7, 0}},
      {{{1, 1, 3}, {0, 6, 2}}, {5, 7}, {7, 4, 4, 2}},
      {{{4, 5, 6}}, {7}, {1, 2, 3, 0, 6}},
  };
  for (std::size_t dim : {16, 20}) {
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
      CAPTURE(dim);
      CAPTURE(gi);
      const Group& g = groups[gi];
      Matrix syn0(8, dim), syn1neg(8, dim);
      fill(syn0, rng, 0.5f);
      fill(syn1neg, rng, 0.5f);
      const Matrix before0 = copy_of(syn0), before1 = copy_of(syn1neg);
      const double want_loss = group_loss(syn0, syn1neg, g);
      const auto windows = windows_of(g);
      w2v::CbowBatchScratch scratch;
      const float alpha = 0.025f;
      const float got = w2v::cbow_batch_update(windows.data(), static_cast<int>(windows.size()), g.negatives.data(),
                                               static_cast<int>(g.negatives.size()), alpha, syn0, syn1neg, scratch,
                                               fine_table());
      CHECK(got == doctest::Approx(want_loss).epsilon(1e-4));
      const Matrix after0 = copy_of(syn0), after1 = copy_of(syn1neg);
      Matrix at0 = copy_of(before0), at1 = copy_of(before1);
      const auto loss = [&] { return group_loss(at0, at1, g); };
      check_matrix_step(at1, before1, after1, alpha, loss);
      check_matrix_step(at0, before0, after0, alpha * 3.0, loss);
    }
  }
}

TEST_CASE("CbowBatchKernel trains every centre word that has a context, in groups") {
  const std::vector<std::uint64_t> counts{0, 5, 5, 5, 5, 5, 5, 5};
  const w2v::NegativeSampler sampler(counts);
  const w2v::SigmoidTable sig;
  w2v::Params p;
  p.syn0.resize(8, 16);
  p.syn1neg.resize(8, 16);
  std::mt19937 rng(43);
  fill(p.syn0, rng, 0.5f);
  fill(p.syn1neg, rng, 0.5f);
  const Matrix before0 = copy_of(p.syn0);
  w2v::CbowBatchKernel kernel(p, sampler, sig, 5);
  common::Lcg lcg(7);
  const std::int32_t sen[] = {1, 2, 3, 4, 5, 6, 7, 1, 2, 3};  // 10 windows: groups of 4, 4, 2
  kernel.sentence(sen, 10, 2, 0.025f, lcg);
  const auto [loss, n] = kernel.take_loss();
  CHECK(n == 10);
  CHECK(loss > 0);
  CHECK_FALSE(same_bits(p.syn0, before0));
  // A one-word sentence has no window with a context: nothing changes.
  const Matrix mid0 = copy_of(p.syn0), mid1 = copy_of(p.syn1neg);
  kernel.sentence(sen, 1, 5, 0.025f, lcg);
  CHECK(kernel.take_loss().second == 0);
  CHECK(same_bits(p.syn0, mid0));
  CHECK(same_bits(p.syn1neg, mid1));
}
