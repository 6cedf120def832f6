// The supervised rows of compare (issue 15): the CoSENT linear map over
// sentence vectors (gradient by finite differences, the BLAS path against its
// plain twin, a known map recovered on a synthetic problem) and the WiC
// logistic-regression classifier (gradient by finite differences, a
// separable set learned, the penalty chosen by cross-validation).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "common/errors.h"
#include "compare/linear_map.h"
#include "compare/wic_classifier.h"
#include "test_util.h"

namespace {

// n pairs in the STS layout x[2n, d] whose gold order is the cosine order
// under a hidden map M (a strong scaling of some dimensions), so that W = M
// (up to scale) ranks them right and W = I does not.
struct SyntheticSts {
  common::Matrix x;
  std::vector<double> gold;
  SyntheticSts(std::size_t n, std::size_t d, unsigned seed) : x(2 * n, d), gold(n) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    for (std::size_t r = 0; r < 2 * n; ++r)
      for (std::size_t j = 0; j < d; ++j) x.at(r, j) = g(rng);
    for (std::size_t i = 0; i < n; ++i) {  // pairs agree in the first two dimensions by a random amount
      const float share = static_cast<float>(i % 7) / 6.f;
      for (std::size_t j = 0; j < 2; ++j) x.at(n + i, j) = share * x.at(i, j) + (1 - share) * g(rng);
      double dot = 0, aa = 0, bb = 0;  // the hidden map: the first two dimensions x10
      for (std::size_t j = 0; j < d; ++j) {
        const double s = j < 2 ? 10.0 : 1.0, a = s * x.at(i, j), b = s * x.at(n + i, j);
        dot += a * b, aa += a * a, bb += b * b;
      }
      gold[i] = dot / std::sqrt(aa * bb);
    }
  }
  cmp::StsPairs pairs() const { return {&x, &gold}; }
};

common::Matrix random_map(std::size_t d, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.f, 0.3f);
  common::Matrix w(d, d);
  for (std::size_t o = 0; o < d; ++o)
    for (std::size_t i = 0; i < d; ++i) w.at(o, i) = (o == i ? 1.f : 0.f) + g(rng);
  return w;
}

}  // namespace

TEST_CASE("linear map: dW matches finite differences, and the BLAS path its plain twin") {
  const SyntheticSts s(12, 5, 3);
  common::Matrix w = random_map(5, 4);
  const std::vector<std::size_t> rows{0, 3, 4, 7, 8, 9, 11};
  const double decay = 0.05, scale = 5.0;
  std::vector<float> dw(25), dw_ref(25);
  const double l = cmp::map_loss_grad(w, s.pairs(), rows, decay, scale, dw.data());
  const double l_ref = cmp::map_loss_grad_ref(w, s.pairs(), rows, decay, scale, dw_ref.data());
  CHECK(l == doctest::Approx(l_ref).epsilon(1e-5));
  for (std::size_t k = 0; k < 25; ++k) CHECK(dw[k] == doctest::Approx(dw_ref[k]).epsilon(1e-4).scale(1e-5));
  for (std::size_t o = 0; o < 5; ++o)
    for (std::size_t i = 0; i < 5; ++i) {
      const float keep = w.at(o, i);
      w.at(o, i) = keep + 1e-3f;
      const double up = cmp::map_loss_grad_ref(w, s.pairs(), rows, decay, scale, nullptr);
      w.at(o, i) = keep - 1e-3f;
      const double down = cmp::map_loss_grad_ref(w, s.pairs(), rows, decay, scale, nullptr);
      w.at(o, i) = keep;
      CHECK(dw[o * 5 + i] == doctest::Approx((up - down) / 2e-3).epsilon(2e-2).scale(1e-3));
    }
  // The penalty alone: at W = I it is zero, and the loss without pairs is only the penalty.
  const double pen = cmp::map_loss_grad(w, s.pairs(), {}, decay, scale, nullptr);
  double want = 0;
  for (std::size_t o = 0; o < 5; ++o)
    for (std::size_t i = 0; i < 5; ++i) want += std::pow(w.at(o, i) - (o == i ? 1.0 : 0.0), 2);
  CHECK(pen == doctest::Approx(0.5 * decay * want).epsilon(1e-5));
}

TEST_CASE("linear map: training on pairs ordered by a hidden map raises the held-out Spearman") {
  const SyntheticSts train(400, 8, 11), test(200, 8, 12);
  cmp::LinearMapOptions opt;
  opt.epochs = 8, opt.lr = 1e-2;
  std::vector<std::size_t> test_rows(200);
  std::iota(test_rows.begin(), test_rows.end(), std::size_t{0});
  common::Matrix eye(8, 8);
  for (std::size_t i = 0; i < 8; ++i) eye.at(i, i) = 1.f;
  const double before = cmp::map_spearman(eye, test.pairs(), test_rows);
  std::size_t epochs_seen = 0;
  const common::Matrix w = cmp::train_linear_map(train.pairs(), {}, opt, [&](std::size_t done, std::size_t total) {
    CHECK(total == 8);
    epochs_seen = done;
  });
  CHECK(epochs_seen == 8);
  const double after = cmp::map_spearman(w, test.pairs(), test_rows);
  CHECK(after > before + 15);
  CHECK(after > 80);
  // The same seed gives the same map.
  const common::Matrix w2 = cmp::train_linear_map(train.pairs(), {}, opt);
  for (std::size_t o = 0; o < 8; ++o)
    for (std::size_t i = 0; i < 8; ++i) CHECK(w.at(o, i) == w2.at(o, i));
  // The choice on a held-out tenth of train: a map that beats the identity there.
  opt.epochs = 3;
  const cmp::LinearMapChoice c = cmp::choose_linear_map(train.pairs(), opt, cmp::default_map_decays());
  CHECK(c.held_out_pairs == 40);
  CHECK(c.epochs >= 1);
  CHECK(c.epochs <= 3);
  CHECK(c.held_out > c.held_out_identity);
  const SyntheticSts tiny(9, 4, 1);
  CHECK(testutil::contains(testutil::thrown<common::InputError>([&] { cmp::choose_linear_map(tiny.pairs(), opt, {0.0}); }),
                           "at least 10 train pairs"));
}

TEST_CASE("WiC classifier: features, logistic gradient by finite differences") {
  common::Matrix u(2, 2), v(2, 2);
  u.at(0, 0) = 1, u.at(0, 1) = 2, v.at(0, 0) = 3, v.at(0, 1) = -1;  // row 1 of v stays zero
  u.at(1, 0) = 1;
  const common::Matrix f = cmp::wic_pair_features(u, v);
  REQUIRE(f.cols() == 5);
  CHECK(f.at(0, 0) == 3.f);
  CHECK(f.at(0, 1) == -2.f);
  CHECK(f.at(0, 2) == 2.f);
  CHECK(f.at(0, 3) == 3.f);
  CHECK(f.at(0, 4) == doctest::Approx(1.0 / std::sqrt(5.0 * 10.0)));
  CHECK(f.at(1, 4) == 0.f);  // a zero vector: cosine 0

  std::mt19937 rng(7);
  std::normal_distribution<float> g;
  common::Matrix x(30, 4);
  std::vector<bool> y(30);
  for (std::size_t r = 0; r < 30; ++r) {
    for (std::size_t j = 0; j < 4; ++j) x.at(r, j) = g(rng);
    y[r] = x.at(r, 0) + 0.5f * g(rng) > 0;
  }
  std::vector<std::size_t> rows(30);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  std::vector<double> wb{0.3, -0.2, 0.1, 0.5, -0.1}, grad;
  cmp::logistic_loss_grad(x, y, rows, wb, 0.1, &grad);
  for (std::size_t k = 0; k < wb.size(); ++k) {
    auto w2 = wb;
    w2[k] += 1e-5;
    const double up = cmp::logistic_loss_grad(x, y, rows, w2, 0.1, nullptr);
    w2[k] -= 2e-5;
    const double down = cmp::logistic_loss_grad(x, y, rows, w2, 0.1, nullptr);
    CHECK(grad[k] == doctest::Approx((up - down) / 2e-5).epsilon(1e-5));
  }
  // At the fitted minimum the gradient vanishes.
  const cmp::LogisticModel m = cmp::fit_logistic(x, y, rows, 0.1);
  std::vector<double> at(m.w);
  at.push_back(m.b);
  cmp::logistic_loss_grad(x, y, rows, at, 0.1, &grad);
  for (double gk : grad) CHECK(std::fabs(gk) < 1e-4);
}

TEST_CASE("WiC classifier: a separable set is learned, cross-validation picks a penalty from the grid") {
  std::mt19937 rng(9);
  std::normal_distribution<float> g;
  const std::size_t n = 200, d = 6;
  common::Matrix u(n, d), v(n, d), u2(n, d), v2(n, d);
  std::vector<bool> y(n), y2(n);
  auto make = [&](common::Matrix& a, common::Matrix& b, std::vector<bool>& lab) {
    for (std::size_t r = 0; r < n; ++r) {
      lab[r] = r % 2 == 0;
      for (std::size_t j = 0; j < d; ++j) {
        a.at(r, j) = g(rng);
        b.at(r, j) = lab[r] ? a.at(r, j) + 0.1f * g(rng) : g(rng);  // same sense: nearly the same vector
      }
    }
  };
  make(u, v, y);
  make(u2, v2, y2);
  std::size_t last = 0, total = 0;
  const cmp::WicClassifier c = cmp::train_wic_classifier(cmp::wic_pair_features(u, v), y, cmp::default_wic_lambdas(), 5, 1,
                                                         [&](std::size_t done, std::size_t t) { last = done, total = t; });
  CHECK(total == 5 * 5 + 1);
  CHECK(last == total);
  CHECK(c.train_accuracy > 97.0);
  // With a small penalty the separable train set is fitted exactly.
  common::Matrix xs = cmp::wic_pair_features(u, v);
  c.standardizer.apply(xs);
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  CHECK(cmp::logistic_accuracy(cmp::fit_logistic(xs, y, all, 1e-4), xs, y) == 100.0);
  CHECK(c.cv_accuracy > 95.0);
  CHECK(std::find(cmp::default_wic_lambdas().begin(), cmp::default_wic_lambdas().end(), c.lambda) != cmp::default_wic_lambdas().end());
  CHECK(cmp::wic_classifier_accuracy(c, cmp::wic_pair_features(u2, v2), y2) > 95.0);
  // Labels of one class, or fewer items than folds, are refused.
  std::vector<bool> same(n, true);
  CHECK(testutil::contains(testutil::thrown<common::InputError>([&] {
                             cmp::train_wic_classifier(cmp::wic_pair_features(u, v), same, {1.0}, 5, 1);
                           }),
                           "one class"));
}
