// word2vec/sampling.h: the alias-table negative sampler, word2vec.c's
// subsampling, and the sigmoid / log-sigmoid tables.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <cstdint>
#include <vector>

#include "common/rng.h"
#include "word2vec/sampling.h"

using w2v::NegativeSampler;
using w2v::SigmoidTable;
using w2v::Subsampler;

namespace {

std::vector<double> unigram_power(const std::vector<std::uint64_t>& counts, double power) {
  std::vector<double> p(counts.size(), 0.0);
  double total = 0;
  for (std::size_t w = 1; w < counts.size(); ++w) total += p[w] = std::pow(static_cast<double>(counts[w]), power);
  for (auto& x : p) x /= total;
  return p;
}

// A 20-word vocabulary (ids 1..20) plus </s>, with a wide range of counts.
std::vector<std::uint64_t> twenty_words() {
  std::vector<std::uint64_t> counts{500};  // </s>
  for (int i = 1; i <= 20; ++i) counts.push_back(static_cast<std::uint64_t>(100000 / (i * i)) + (i % 3));
  return counts;
}

}  // namespace

TEST_CASE("NegativeSampler probabilities are unigram^0.75 over words 1..V-1") {
  for (const auto& counts : {twenty_words(), std::vector<std::uint64_t>{9, 1, 1},
                             std::vector<std::uint64_t>{1, 5}, std::vector<std::uint64_t>{0, 3, 3, 3, 1000000}}) {
    CAPTURE(counts.size());
    NegativeSampler s(counts);
    const auto want = unigram_power(counts, 0.75);
    CHECK(s.probability(0) == 0.0);
    CHECK(s.probability(counts.size()) == 0.0);  // out of range
    double sum = 0;
    for (std::size_t w = 1; w < counts.size(); ++w) {
      CAPTURE(w);
      CHECK(std::abs(s.probability(w) - want[w]) < 1e-6);
      sum += s.probability(w);
    }
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-9));
  }
  // Another power.
  const auto counts = twenty_words();
  NegativeSampler uni(counts, 1.0);
  const auto want = unigram_power(counts, 1.0);
  for (std::size_t w = 1; w < counts.size(); ++w) CHECK(std::abs(uni.probability(w) - want[w]) < 1e-6);
}

TEST_CASE("NegativeSampler draws follow its probabilities and never draw </s>") {
  const auto counts = twenty_words();
  NegativeSampler s(counts);
  const auto p = unigram_power(counts, 0.75);
  constexpr int kDraws = 2'000'000;
  std::vector<std::uint64_t> seen(counts.size(), 0);
  common::Lcg rng(77);
  int out_of_range = 0;
  for (int i = 0; i < kDraws; ++i) {
    const auto w = s.draw(rng);
    if (w < 0 || w >= static_cast<std::int32_t>(counts.size())) {
      ++out_of_range;
      continue;
    }
    ++seen[static_cast<std::size_t>(w)];
  }
  REQUIRE(out_of_range == 0);
  CHECK(seen[0] == 0);
  double chi2 = 0;
  for (std::size_t w = 1; w < counts.size(); ++w) {
    const double expect = p[w] * kDraws;
    const double z = (static_cast<double>(seen[w]) - expect) / std::sqrt(expect * (1 - p[w]));
    CAPTURE(w);
    CAPTURE(seen[w]);
    CAPTURE(expect);
    CHECK(std::abs(z) < 5.0);
    chi2 += (static_cast<double>(seen[w]) - expect) * (static_cast<double>(seen[w]) - expect) / expect;
  }
  // 19 degrees of freedom: P(chi2 > 45.3) = 0.0005.
  CHECK(chi2 < 45.3);
}

TEST_CASE("Subsampler keep probability is word2vec.c's formula") {
  // word2vec.c: ran = (sqrt(cn / (sample * train_words)) + 1) * (sample * train_words) / cn
  for (double sample : {1e-3, 1e-4, 1e-5})
    for (std::uint64_t count : {1ULL, 10ULL, 1000ULL, 123456ULL})
      for (std::uint64_t total : {10000ULL, 1000000ULL, 1000000000ULL}) {
        const double st = sample * static_cast<double>(total);
        const double want = (std::sqrt(static_cast<double>(count) / st) + 1) * st / static_cast<double>(count);
        CHECK(Subsampler::keep_probability(count, total, sample) == doctest::Approx(want).epsilon(1e-12));
      }
  // A word making up 10% of a 1M-word corpus, sample 1e-3: (sqrt(100) + 1) / 100.
  CHECK(Subsampler::keep_probability(100000, 1000000, 1e-3) == doctest::Approx(0.11));
}

TEST_CASE("Subsampler empirical keep rates") {
  // </s>, a frequent word, a medium one, a rare one (keep probability > 1).
  const std::vector<std::uint64_t> counts{1000, 100000, 5000, 10};
  const std::uint64_t total = 1000000;
  Subsampler sub(counts, total, 1e-3);
  common::Lcg rng(4242);
  constexpr int kTrials = 400000;
  for (std::int32_t w : {1, 2}) {
    int kept = 0;
    for (int i = 0; i < kTrials; ++i) kept += sub.keep(w, rng) ? 1 : 0;
    const double p = Subsampler::keep_probability(counts[static_cast<std::size_t>(w)], total, 1e-3);
    REQUIRE(p < 1.0);
    const double rate = static_cast<double>(kept) / kTrials;
    const double se = std::sqrt(p * (1 - p) / kTrials);
    CAPTURE(w);
    CAPTURE(rate);
    CAPTURE(p);
    CHECK(std::abs(rate - p) < 5 * se + 2.0 / 65536);  // + the 16-bit threshold's resolution
  }
  int dropped = 0;
  for (int i = 0; i < 10000; ++i) dropped += !sub.keep(3, rng);
  CHECK(dropped == 0);
  // sample = 0 disables subsampling.
  Subsampler off(counts, total, 0.0);
  for (int i = 0; i < 10000; ++i) dropped += !off.keep(1, rng);
  CHECK(dropped == 0);
  // A default-constructed one keeps everything too.
  Subsampler none;
  CHECK(none.keep(1, rng));
}

TEST_CASE("SigmoidTable accuracy") {
  // Step of a table lookup: 12/size; |sigmoid'| <= 1/4, |log_sigmoid'| < 1.
  SigmoidTable coarse;
  SigmoidTable fine(1'000'000);
  CHECK(coarse.size() == 1000);
  double worst_sig_coarse = 0, worst_log_coarse = 0, worst_sig_fine = 0, worst_log_fine = 0;
  for (int i = -59990; i <= 59990; ++i) {
    const float x = static_cast<float>(i) * 1e-4f;
    const double sig = 1.0 / (1.0 + std::exp(-static_cast<double>(x)));
    const double logsig = -std::log1p(std::exp(-static_cast<double>(x)));
    worst_sig_coarse = std::max(worst_sig_coarse, std::abs(coarse.sigmoid(x) - sig));
    worst_log_coarse = std::max(worst_log_coarse, std::abs(coarse.log_sigmoid(x) - logsig));
    worst_sig_fine = std::max(worst_sig_fine, std::abs(fine.sigmoid(x) - sig));
    worst_log_fine = std::max(worst_log_fine, std::abs(fine.log_sigmoid(x) - logsig));
  }
  CHECK(worst_sig_coarse < 0.01);
  CHECK(worst_log_coarse < 0.0125);  // 12/1000 × slope < 1 (near x = -6)
  CHECK(worst_sig_fine < 1e-5);
  CHECK(worst_log_fine < 2e-5);      // 1.2e-5 × slope, plus float rounding
  // Values at exact points.
  CHECK(fine.sigmoid(0.f) == doctest::Approx(0.5).epsilon(1e-5));
  CHECK(fine.log_sigmoid(0.f) == doctest::Approx(-std::log(2.0)).epsilon(1e-5));
}

TEST_CASE("SigmoidTable returns NaN for NaN instead of indexing with it") {
  // A diverged model's score is NaN; it passes the callers' ±kMaxExp checks
  // (every comparison with NaN is false). Before the guard it became the
  // table index static_cast<int>(NaN) (undefined; INT_MIN in practice).
  SigmoidTable t;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  CHECK(std::isnan(t.sigmoid(nan)));
  CHECK(std::isnan(t.log_sigmoid(nan)));
  CHECK(std::isnan(t.sigmoid(-nan)));
}
