// word2vec/window_kernel.h: ns_update and hs_update apply exactly
// -alpha × the gradient of the logistic loss, checked against central
// finite differences computed in double precision.
//
// Both functions read h and every target row before changing that row
// (neu1e += g·o, then o += g·h), never write h, and the rows in one call
// are distinct, so the per-row updates are independent and all equal the
// gradient at the starting point.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <span>
#include <vector>

#include "common/aligned.h"
#include "word2vec/sampling.h"
#include "word2vec/window_kernel.h"

using common::AlignedFloats;
using common::Matrix;

namespace {

using Vec = std::vector<double>;

// -log σ(z), stable for either sign.
double neg_log_sigmoid(double z) { return z >= 0 ? std::log1p(std::exp(-z)) : -z + std::log1p(std::exp(z)); }

double dot(const Vec& a, const Vec& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// L = Σ_d -log σ(sign_d · h·o_d), sign +1 for label 1 and -1 for label 0.
double loss(const Vec& h, const std::vector<Vec>& rows, const std::vector<double>& signs) {
  double l = 0;
  for (std::size_t d = 0; d < rows.size(); ++d) l += neg_log_sigmoid(signs[d] * dot(h, rows[d]));
  return l;
}

// Central differences of loss() in x (one of h or rows[r], modified in place).
Vec numeric_grad(Vec& x, const Vec& h, const std::vector<Vec>& rows, const std::vector<double>& signs) {
  constexpr double eps = 1e-3;
  Vec g(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double keep = x[i];
    x[i] = keep + eps;
    const double up = loss(h, rows, signs);
    x[i] = keep - eps;
    const double down = loss(h, rows, signs);
    x[i] = keep;
    g[i] = (up - down) / (2 * eps);
  }
  return g;
}

double max_abs(const Vec& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::abs(x));
  return m;
}

// got[i] == -alpha·grad[i] within 1e-3 relative to the largest component.
void check_step(const float* got_after, const std::vector<float>& before, const Vec& grad, double alpha,
                std::size_t dim, std::size_t ld) {
  Vec want(dim);
  for (std::size_t i = 0; i < dim; ++i) want[i] = -alpha * grad[i];
  const double tol = 1e-3 * max_abs(want) + 1e-9;
  int bad = 0;
  for (std::size_t i = 0; i < dim; ++i) {
    const double step = static_cast<double>(got_after[i]) - before[i];
    if (std::abs(step - want[i]) > tol) {
      ++bad;
      CAPTURE(i);
      CAPTURE(step);
      CAPTURE(want[i]);
      CHECK(std::abs(step - want[i]) <= tol);
    }
  }
  CHECK(bad == 0);
  for (std::size_t i = dim; i < ld; ++i) CHECK(got_after[i] == 0.f);  // padding untouched
}

std::vector<float> copy_row(const float* p, std::size_t n) { return std::vector<float>(p, p + n); }

Vec to_double(const float* p, std::size_t n) { return Vec(p, p + n); }

struct Setup {
  std::size_t dim, ld;
  Matrix out;
  AlignedFloats h, neu1e;
  Setup(std::size_t rows, std::size_t d, std::mt19937& rng) : dim(d), out(rows, d) {
    ld = out.ld();
    h.reset(ld);
    neu1e.reset(ld);
    std::uniform_real_distribution<float> u(-0.5f, 0.5f);
    for (std::size_t i = 0; i < dim; ++i) h.data()[i] = u(rng), neu1e.data()[i] = u(rng) * 0.1f;
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t i = 0; i < dim; ++i) out.at(r, i) = u(rng);
  }
};

const w2v::SigmoidTable& fine_table() {
  static const w2v::SigmoidTable t(2'000'000);
  return t;
}

// Runs update(setup) on rows `targets` with labels given by `signs`, and
// checks neu1e, every row and the returned loss against finite differences.
template <class Update>
void check_gradients(Setup& s, const std::vector<std::int32_t>& targets, const std::vector<double>& signs,
                     float alpha, Update update) {
  const Vec h = to_double(s.h.data(), s.dim);
  std::vector<Vec> rows;
  for (auto t : targets) rows.push_back(to_double(s.out.row(static_cast<std::size_t>(t)), s.dim));
  std::vector<std::vector<float>> rows_before;
  for (std::size_t r = 0; r < s.out.rows(); ++r) rows_before.push_back(copy_row(s.out.row(r), s.ld));
  const auto neu1e_before = copy_row(s.neu1e.data(), s.ld);
  const auto h_before = copy_row(s.h.data(), s.ld);
  for (std::size_t d = 0; d < rows.size(); ++d) REQUIRE(std::abs(dot(h, rows[d])) < 6.0);

  const float got_loss = update();

  CHECK(got_loss == doctest::Approx(loss(h, rows, signs)).epsilon(1e-4));
  Vec hx = h;
  check_step(s.neu1e.data(), neu1e_before, numeric_grad(hx, hx, rows, signs), alpha, s.dim, s.ld);
  for (std::size_t d = 0; d < targets.size(); ++d) {
    CAPTURE(d);
    const auto t = static_cast<std::size_t>(targets[d]);
    check_step(s.out.row(t), rows_before[t], numeric_grad(rows[d], h, rows, signs), alpha, s.dim, s.ld);
  }
  CHECK(copy_row(s.h.data(), s.ld) == h_before);
  for (std::size_t r = 0; r < s.out.rows(); ++r)
    if (std::find(targets.begin(), targets.end(), static_cast<std::int32_t>(r)) == targets.end())
      CHECK(copy_row(s.out.row(r), s.ld) == rows_before[r]);
}

}  // namespace

TEST_CASE("ns_update applies -alpha times the loss gradient") {
  std::mt19937 rng(11);
  for (std::size_t dim : {16, 20, 32}) {
    for (int trial = 0; trial < 10; ++trial) {
      CAPTURE(dim);
      CAPTURE(trial);
      Setup s(9, dim, rng);
      // pos, then negatives: distinct rows in scrambled order.
      std::vector<std::int32_t> targets = trial % 2 ? std::vector<std::int32_t>{4, 1, 7}
                                                     : std::vector<std::int32_t>{0, 8, 3, 5, 2, 6};
      std::vector<double> signs(targets.size(), -1.0);
      signs[0] = 1.0;
      const float alpha = trial < 5 ? 0.025f : 1e-3f;
      check_gradients(s, targets, signs, alpha, [&] {
        return w2v::ns_update(s.h.data(), targets.data(), static_cast<int>(targets.size()), alpha, s.out,
                              s.neu1e.data(), fine_table());
      });
    }
  }
}

TEST_CASE("hs_update applies -alpha times the loss gradient along the path") {
  std::mt19937 rng(12);
  for (std::size_t dim : {16, 20, 32}) {
    for (int trial = 0; trial < 10; ++trial) {
      CAPTURE(dim);
      CAPTURE(trial);
      Setup s(8, dim, rng);
      const std::vector<std::uint8_t> code = trial % 2 ? std::vector<std::uint8_t>{0, 1, 1, 0, 1}
                                                       : std::vector<std::uint8_t>{1, 0};
      const std::vector<std::int32_t> points = trial % 2 ? std::vector<std::int32_t>{6, 3, 0, 5, 2}
                                                         : std::vector<std::int32_t>{6, 1};
      std::vector<double> signs;
      for (auto c : code) signs.push_back(c == 0 ? 1.0 : -1.0);  // label = 1 - code
      const float alpha = trial < 5 ? 0.025f : 1e-3f;
      check_gradients(s, points, signs, alpha, [&] {
        return w2v::hs_update(s.h.data(), std::span<const std::uint8_t>(code), std::span<const std::int32_t>(points),
                              alpha, s.out, s.neu1e.data(), fine_table());
      });
    }
  }
}

TEST_CASE("saturated scores follow word2vec.c") {
  // h = e0, rows = ±7·e0: scores of ±7, outside the table's ±6.
  Matrix out(4, 16);
  AlignedFloats h(16), neu1e(16);
  h.data()[0] = 1.f;
  out.at(0, 0) = 7.f;   // f = 7
  out.at(1, 0) = -7.f;  // f = -7
  out.at(2, 0) = 7.f;
  out.at(3, 0) = -7.f;
  const float alpha = 0.1f;
  const w2v::SigmoidTable& sig = fine_table();

  SUBCASE("ns: a saturated correct prediction changes nothing; a wrong one gets the full step") {
    // Positive with f = 7 (right), negatives with f = -7 (right) and f = 7 (wrong).
    const std::int32_t targets[] = {0, 1, 2};
    const float l = w2v::ns_update(h.data(), targets, 3, alpha, out, neu1e.data(), sig);
    CHECK(out.at(0, 0) == 7.f);
    CHECK(out.at(1, 0) == -7.f);
    CHECK(out.at(2, 0) == doctest::Approx(7.f - alpha));  // g = (0 - 1)·alpha
    CHECK(neu1e.data()[0] == doctest::Approx(-alpha * 7.f));
    CHECK(l == doctest::Approx(7.f));  // the wrong negative's loss ≈ f
    // Positive with f = -7 (wrong): g = alpha.
    const std::int32_t pos_wrong[] = {3};
    const float l2 = w2v::ns_update(h.data(), pos_wrong, 1, alpha, out, neu1e.data(), sig);
    CHECK(out.at(3, 0) == doctest::Approx(-7.f + alpha));
    CHECK(l2 == doctest::Approx(7.f));
  }
  SUBCASE("hs: nodes with |f| >= 6 are skipped") {
    const std::vector<std::uint8_t> code{0, 1};
    const std::vector<std::int32_t> points{2, 3};
    w2v::hs_update(h.data(), code, points, alpha, out, neu1e.data(), sig);
    CHECK(out.at(2, 0) == 7.f);
    CHECK(out.at(3, 0) == -7.f);
    CHECK(neu1e.data()[0] == 0.f);
  }
}
