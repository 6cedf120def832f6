// word2vec/batch_kernel.h: the batched skip-gram updates (pWord2Vec), with
// negative sampling and with hierarchical softmax, against their reference
// twins, the pair kernels (K = 1 gives bit-identical matrices), and against
// central finite differences of the window's loss with respect to both
// matrices, repeated context words and negatives included.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "common/aligned.h"
#include "common/errors.h"
#include "common/simd.h"
#include "test_util.h"
#include "w2v_kernel_test_util.h"
#include "word2vec/batch_kernel.h"
#include "word2vec/sampling.h"
#include "word2vec/train_options.h"
#include "word2vec/window_kernel.h"

using common::AlignedFloats;
using common::Matrix;

namespace {

using namespace w2vtest;

// The window's loss in double precision: Σ_k Σ_j -log σ(±syn0[in_k]·out[t_j]),
// + where labels[j] is 1 (default: the first target only, negative sampling).
double window_loss(const Matrix& syn0, const Matrix& out, const std::vector<std::int32_t>& inputs,
                   const std::vector<std::int32_t>& targets, const std::vector<int>& labels = {}) {
  double l = 0;
  for (auto in : inputs)
    for (std::size_t j = 0; j < targets.size(); ++j) {
      const double s = row_dot(syn0, static_cast<std::size_t>(in), out, static_cast<std::size_t>(targets[j]));
      const bool positive = labels.empty() ? j == 0 : labels[j] == 1;
      l += neg_log_sigmoid(positive ? s : -s);
    }
  return l;
}

}  // namespace

TEST_CASE("batched update with one context word equals the pair kernel bit for bit") {
  std::mt19937 rng(21);
  const w2v::SigmoidTable sig;  // word2vec.c's 1000-entry table, as in training
  for (std::size_t dim : {16, 100, 300}) {
    for (int trial = 0; trial < 6; ++trial) {
      CAPTURE(dim);
      CAPTURE(trial);
      Matrix syn0(12, dim), syn1neg(12, dim);
      // Large scales reach the clamped region (|f| > 6) too.
      fill(syn0, rng, trial < 3 ? 0.5f : 3.f);
      fill(syn1neg, rng, trial < 3 ? 0.5f : 3.f);
      const std::int32_t context = static_cast<std::int32_t>(rng() % 12);
      // Distinct targets: with a repeated negative the pair kernel scores the
      // second copy against the row the first already moved, while the batch
      // takes every gradient at the starting point (the next test).
      std::vector<std::int32_t> targets(12);
      for (int i = 0; i < 12; ++i) targets[static_cast<std::size_t>(i)] = i;
      std::shuffle(targets.begin(), targets.end(), rng);
      targets.resize(6);
      const float alpha = 0.025f;

      Matrix pair0 = copy_of(syn0), pair1 = copy_of(syn1neg);
      AlignedFloats neu1e(pair0.ld());
      float* l1 = pair0.row(static_cast<std::size_t>(context));
      const float pair_loss = w2v::ns_update(l1, targets.data(), static_cast<int>(targets.size()), alpha, pair1,
                                             neu1e.data(), sig);
      common::axpy(1.f, neu1e.data(), l1, pair0.ld());

      w2v::BatchScratch scratch;
      const float batch_loss = w2v::ns_batch_update(&context, 1, targets.data(), static_cast<int>(targets.size()), alpha,
                                                    syn0, syn1neg, scratch, sig);
      CHECK(batch_loss == pair_loss);
      CHECK(same_bits(syn0, pair0));
      CHECK(same_bits(syn1neg, pair1));
    }
  }
}

TEST_CASE("batched update applies -alpha times the window's loss gradient") {
  std::mt19937 rng(22);
  struct Window {
    std::vector<std::int32_t> inputs, targets;
  };
  // Distinct rows; a context word twice; a negative twice; the positive also among the contexts' ids.
  const std::vector<Window> windows{{{1, 4, 6, 2}, {3, 0, 5, 7}},
                                    {{1, 4, 1, 6, 2, 0}, {3, 0, 5}},
                                    {{5}, {2, 6, 6, 1, 4}},
                                    {{3, 3, 7, 2, 2, 5, 1, 0, 4, 6}, {3, 7, 1, 7, 2, 4}}};
  for (std::size_t dim : {16, 20, 32}) {
    for (std::size_t w = 0; w < windows.size(); ++w) {
      for (float alpha : {0.025f, 1e-3f}) {
        CAPTURE(dim);
        CAPTURE(w);
        CAPTURE(alpha);
        const auto& win = windows[w];
        Matrix syn0(8, dim), syn1neg(8, dim);
        fill(syn0, rng, 0.5f);
        fill(syn1neg, rng, 0.5f);
        const Matrix before0 = copy_of(syn0), before1 = copy_of(syn1neg);
        const double want_loss = window_loss(syn0, syn1neg, win.inputs, win.targets);
        const int k = static_cast<int>(win.inputs.size()), m = static_cast<int>(win.targets.size());
        w2v::BatchScratch scratch;
        const float got_loss = w2v::ns_batch_update(win.inputs.data(), k, win.targets.data(), m, alpha, syn0, syn1neg,
                                                    scratch, fine_table());
        CHECK(got_loss == doctest::Approx(want_loss).epsilon(1e-4));
        const Matrix after0 = copy_of(syn0), after1 = copy_of(syn1neg);
        // Differentiate at the starting point.
        Matrix at0 = copy_of(before0), at1 = copy_of(before1);
        const auto loss = [&] { return window_loss(at0, at1, win.inputs, win.targets); };
        check_matrix_step(at0, before0, after0, alpha, loss);
        check_matrix_step(at1, before1, after1, alpha, loss);
      }
    }
  }
}

TEST_CASE("BatchKernel::skipgram trains each context word of the window once, with shared negatives") {
  // The sampler draws only word 2 (word 1 has weight 0): with centre 1 the
  // five negatives are all 2; with centre 2 every draw is skipped.
  const std::vector<std::uint64_t> counts{0, 0, 10};
  const w2v::NegativeSampler sampler(counts);
  const w2v::SigmoidTable sig;
  w2v::Params p;
  p.syn0.resize(3, 16);
  p.syn1neg.resize(3, 16);
  std::mt19937 rng(5);
  fill(p.syn0, rng, 0.5f);
  fill(p.syn1neg, rng, 0.5f);
  const Matrix before0 = copy_of(p.syn0), before1 = copy_of(p.syn1neg);
  w2v::BatchKernel kernel(p, nullptr, &sampler, sig, 5);
  common::Lcg lcg(9);
  const std::int32_t sen[] = {2, 2, 1, 2};
  kernel.skipgram(sen, 4, 2, 2, 0.025f, lcg);  // centre 1 at pos 2; contexts: pos 0, 1, 3 (all word 2)
  const auto [loss, n] = kernel.take_loss();
  CHECK(n == 3);
  CHECK(loss > 0);
  // The same update through ns_batch_update with the targets it must have drawn.
  Matrix want0 = copy_of(before0), want1 = copy_of(before1);
  const std::int32_t inputs[] = {2, 2, 2}, targets[] = {1, 2, 2, 2, 2, 2};
  w2v::BatchScratch scratch;
  const float want_loss = w2v::ns_batch_update(inputs, 3, targets, 6, 0.025f, want0, want1, scratch, sig);
  CHECK(static_cast<float>(loss) == want_loss);
  CHECK(same_bits(p.syn0, want0));
  CHECK(same_bits(p.syn1neg, want1));
  // Centre 2: the positive only.
  const std::int32_t sen2[] = {1, 2};
  kernel.skipgram(sen2, 2, 1, 1, 0.025f, lcg);
  {
    const std::int32_t in2[] = {1}, t2[] = {2};
    const float l2 = w2v::ns_batch_update(in2, 1, t2, 1, 0.025f, want0, want1, scratch, sig);
    CHECK(static_cast<float>(kernel.take_loss().first) == l2);
    CHECK(same_bits(p.syn0, want0));
    CHECK(same_bits(p.syn1neg, want1));
  }
  // A window with no context word changes nothing.
  kernel.skipgram(sen, 1, 0, 3, 0.025f, lcg);
  CHECK(kernel.take_loss().second == 0);
}

TEST_CASE("--update batch is refused where it is not implemented, with the way out") {
  w2v::TrainOptions o;
  o.train = {"corpus.txt"};
  o.output = "vectors.bin";
  o.update = w2v::Update::kBatch;
  for (auto [cbow, hs, negative] : {std::tuple{0, 0, 5}, std::tuple{0, 1, 0}, std::tuple{0, 1, 5}, std::tuple{1, 0, 5}}) {
    o.cbow = cbow, o.hs = hs, o.negative = negative;
    CHECK_NOTHROW(o.validate());
  }
  for (auto [cbow, hs, negative] : {std::tuple{1, 1, 0}, std::tuple{1, 1, 5}}) {
    o.cbow = cbow, o.hs = hs, o.negative = negative;
    const std::string msg = testutil::thrown<common::OptionError>([&] { o.validate(); });
    CAPTURE(msg);
    CHECK(testutil::contains(msg, "--update batch"));
    CHECK(testutil::contains(msg, "--update pair"));
  }
  CHECK(w2v::parse_update("batch", "--update") == w2v::Update::kBatch);
  CHECK(w2v::to_string(w2v::Update::kPair) == "pair");
  const std::string msg = testutil::thrown<common::OptionError>([] { w2v::parse_update("batched", "--update"); });
  CHECK(testutil::contains(msg, "--update: 'batched' is not one of pair, batch"));
}

namespace {

// A Huffman path of `len` distinct inner nodes among `rows` rows, random codes.
void random_path(std::mt19937& rng, int rows, int len, std::vector<std::int32_t>* points,
                 std::vector<std::uint8_t>* code) {
  points->resize(static_cast<std::size_t>(rows));
  for (int i = 0; i < rows; ++i) (*points)[static_cast<std::size_t>(i)] = i;
  std::shuffle(points->begin(), points->end(), rng);
  points->resize(static_cast<std::size_t>(len));
  code->resize(static_cast<std::size_t>(len));
  for (auto& c : *code) c = static_cast<std::uint8_t>(rng() & 1);
}

}  // namespace

TEST_CASE("hierarchical-softmax batched update with one context word equals hs_update bit for bit") {
  std::mt19937 rng(31);
  const w2v::SigmoidTable sig;
  for (std::size_t dim : {16, 100, 300}) {
    for (int trial = 0; trial < 6; ++trial) {
      CAPTURE(dim);
      CAPTURE(trial);
      Matrix syn0(16, dim), syn1(16, dim);
      // Large scales saturate some nodes (|f| >= 6), which both skip.
      fill(syn0, rng, trial < 3 ? 0.5f : 3.f);
      fill(syn1, rng, trial < 3 ? 0.5f : 3.f);
      const auto context = static_cast<std::int32_t>(rng() % 16);
      std::vector<std::int32_t> points;
      std::vector<std::uint8_t> code;
      random_path(rng, 16, 9, &points, &code);
      const float alpha = 0.025f;

      Matrix pair0 = copy_of(syn0), pair1 = copy_of(syn1);
      AlignedFloats neu1e(pair0.ld());
      float* l1 = pair0.row(static_cast<std::size_t>(context));
      const float pair_loss = w2v::hs_update(l1, code, points, alpha, pair1, neu1e.data(), sig);
      common::axpy(1.f, neu1e.data(), l1, pair0.ld());

      w2v::BatchScratch scratch;
      const float batch_loss = w2v::hs_batch_update(&context, 1, code, points, alpha, syn0, syn1, scratch, sig);
      CHECK(batch_loss == pair_loss);
      CHECK(same_bits(syn0, pair0));
      CHECK(same_bits(syn1, pair1));
    }
  }
}

TEST_CASE("hierarchical-softmax batched update applies -alpha times the window's loss gradient") {
  std::mt19937 rng(32);
  // Repeated context words, and a context word whose id is also an inner node's.
  const std::vector<std::vector<std::int32_t>> contexts{{1, 4, 6, 2}, {3, 3, 7, 0, 5}, {5}};
  for (std::size_t dim : {16, 20}) {
    for (const auto& inputs : contexts) {
      CAPTURE(dim);
      CAPTURE(inputs.size());
      Matrix syn0(8, dim), syn1(8, dim);
      fill(syn0, rng, 0.5f);  // no node saturates at this scale
      fill(syn1, rng, 0.5f);
      std::vector<std::int32_t> points;
      std::vector<std::uint8_t> code;
      random_path(rng, 8, 5, &points, &code);
      std::vector<int> labels;
      for (auto c : code) labels.push_back(1 - c);
      const float alpha = 0.025f;
      const Matrix before0 = copy_of(syn0), before1 = copy_of(syn1);
      const double want_loss = window_loss(syn0, syn1, inputs, points, labels);
      w2v::BatchScratch scratch;
      const float got_loss = w2v::hs_batch_update(inputs.data(), static_cast<int>(inputs.size()), code, points, alpha,
                                                  syn0, syn1, scratch, fine_table());
      CHECK(got_loss == doctest::Approx(want_loss).epsilon(1e-4));
      const Matrix after0 = copy_of(syn0), after1 = copy_of(syn1);
      Matrix at0 = copy_of(before0), at1 = copy_of(before1);
      const auto loss = [&] { return window_loss(at0, at1, inputs, points, labels); };
      check_matrix_step(at0, before0, after0, alpha, loss);
      check_matrix_step(at1, before1, after1, alpha, loss);
    }
  }
}
