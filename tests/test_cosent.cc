#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "encoder/cosent.h"

TEST_CASE("CoSENT: gradients match finite differences, and the right order gives a small loss") {
  std::mt19937 rng(5);
  const std::size_t n = 5, d = 4;
  std::vector<float> a(n * d), b(n * d), da(n * d), db(n * d), tmp(n * d);
  for (auto& x : a) x = std::normal_distribution<float>(0.f, 1.f)(rng);
  for (auto& x : b) x = std::normal_distribution<float>(0.f, 1.f)(rng);
  const std::vector<float> gold{4.5f, 1.0f, 3.0f, 1.0f, 0.2f};  // a tie: (1, 3) is no term
  const double scale = 3.0;
  enc::cosent_pairs_loss(a.data(), b.data(), n, d, gold.data(), scale, da.data(), db.data());
  auto numeric = [&](std::vector<float>& v, std::size_t i) {
    const float keep = v[i];
    v[i] = keep + 1e-3f;
    const double up = enc::cosent_pairs_loss(a.data(), b.data(), n, d, gold.data(), scale, nullptr, nullptr);
    v[i] = keep - 1e-3f;
    const double down = enc::cosent_pairs_loss(a.data(), b.data(), n, d, gold.data(), scale, nullptr, nullptr);
    v[i] = keep;
    return (up - down) / 2e-3;
  };
  for (std::size_t i = 0; i < n * d; ++i) {
    CHECK(da[i] == doctest::Approx(numeric(a, i)).epsilon(2e-2).scale(1e-3));
    CHECK(db[i] == doctest::Approx(numeric(b, i)).epsilon(2e-2).scale(1e-3));
  }
  // The loss by its definition, term by term.
  std::vector<double> c{0.9, -0.2, 0.4, 0.1, -0.8}, dc(n);
  double sum = 1;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (gold[i] > gold[j]) sum += std::exp(scale * (c[j] - c[i]));
  CHECK(enc::cosent_loss(c.data(), gold.data(), n, scale, dc.data()) == doctest::Approx(std::log(sum)).epsilon(1e-12));
  double total = 0;
  for (double g : dc) total += g;
  CHECK(total == doctest::Approx(0).scale(1e-12));  // every term moves one pair up and one down
  // Cosines in the gold order: the loss is small; reversed: large.
  std::vector<double> sorted{1.0, -0.5, 0.5, -0.5, -1.0}, reversed{-1.0, 0.5, -0.5, 0.5, 1.0};
  CHECK(enc::cosent_loss(sorted.data(), gold.data(), n, enc::kCosentScale, nullptr) < 1e-3);
  CHECK(enc::cosent_loss(reversed.data(), gold.data(), n, enc::kCosentScale, nullptr) > 20);
  // Large differences do not overflow.
  std::vector<double> far{-50, 50, 0, 50, 50};
  CHECK(std::isfinite(enc::cosent_loss(far.data(), gold.data(), n, 100.0, dc.data())));
}
