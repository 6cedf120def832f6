// word2vec/gradient_row.h: the vectorised gradients of a row of scores
// against their reference twin (hs_gradient / ns_gradient element by
// element), bit for bit, at the saturation boundaries and for NaN.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "word2vec/gradient_row.h"

namespace {

bool same(float a, float b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::memcmp(&a, &b, sizeof a) == 0;
}

}  // namespace

TEST_CASE("gradient_row equals the scalar gradients bit for bit") {
  std::mt19937 rng(12);
  const w2v::SigmoidTable sig;
  const float specials[] = {6.f, -6.f, std::nextafter(6.f, 0.f), std::nextafter(-6.f, 0.f), 5.99999f, -5.99999f,
                            0.f, -0.f, 7.5f, -40.f, std::numeric_limits<float>::quiet_NaN()};
  std::uniform_real_distribution<float> u(-8.f, 8.f);
  for (auto obj : {w2v::Objective::kHs, w2v::Objective::kNs}) {
    for (int m = 1; m <= 40; ++m) {
      CAPTURE(m);
      std::vector<float> s(static_cast<std::size_t>(m)), label(s.size());
      for (std::size_t j = 0; j < s.size(); ++j) {
        s[j] = rng() % 4 == 0 ? specials[rng() % std::size(specials)] : u(rng);
        label[j] = obj == w2v::Objective::kNs ? (j == 0 ? 1.f : 0.f) : static_cast<float>(rng() & 1);
      }
      auto fast = s, ref = s;
      std::vector<float> fast_terms(s.size(), -1.f), ref_terms(s.size(), -2.f);
      w2v::gradient_row(fast.data(), label.data(), m, 0.025f, obj, sig, fast_terms.data());
      w2v::gradient_row_ref(ref.data(), label.data(), m, 0.025f, obj, sig, ref_terms.data());
      for (std::size_t j = 0; j < s.size(); ++j) {
        CAPTURE(s[j]);
        CHECK(same(fast[j], ref[j]));
        CHECK(same(fast_terms[j], ref_terms[j]));
      }
    }
  }
}

TEST_CASE("gradient_row: saturated hierarchical-softmax nodes get no gradient, negative sampling is clamped") {
  const w2v::SigmoidTable sig;
  float s[4] = {6.f, -7.f, 6.5f, -6.5f};
  const float label[4] = {1.f, 1.f, 0.f, 0.f};
  float terms[4];
  w2v::gradient_row(s, label, 4, 0.5f, w2v::Objective::kHs, sig, terms);
  for (float g : s) CHECK(g == 0.f);
  CHECK(terms[0] == 0.f);   // label 1, z = 6 > 0
  CHECK(terms[1] == 7.f);   // label 1, z = -7: the linear tail
  CHECK(terms[2] == 6.5f);  // label 0, z = -6.5
  CHECK(terms[3] == 0.f);
  float n[3] = {6.5f, -6.5f, 6.5f};
  const float nlabel[3] = {1.f, 0.f, 0.f};
  w2v::gradient_row(n, nlabel, 3, 0.5f, w2v::Objective::kNs, sig, terms);
  CHECK(n[0] == 0.f);    // (1 - 1) · alpha
  CHECK(n[1] == 0.f);    // (0 - 0) · alpha
  CHECK(n[2] == -0.5f);  // (0 - 1) · alpha
  CHECK(terms[2] == 6.5f);
}
