// Attention rollout (compare/attention_rollout.h): rows are distributions,
// one layer of uniform attention gives its closed form, and a sliding
// window of ±W lets information cross exactly min(T-1, l·W) positions after
// l layers of a (random) model run with that window.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "common/errors.h"
#include "compare/attention_rollout.h"
#include "compare/inspect.h"
#include "encoder/model.h"

namespace {

enc::EncoderConfig rollout_config(std::size_t layers, std::size_t window) {
  enc::EncoderConfig c;
  c.vocab_size = 20;
  c.d_model = 16;
  c.n_heads = 2;
  c.n_layers = layers;
  c.d_ff = 32;
  c.max_len = 32;
  c.attention_window = window;
  return c;
}

cmp::InspectedTokens tokens(std::size_t n) {
  cmp::InspectedTokens t;
  t.ids.push_back(19);
  for (std::size_t i = 1; i < n; ++i) t.ids.push_back(static_cast<std::int32_t>(1 + i % 16));
  t.display.assign(n, "x");
  return t;
}

}  // namespace

TEST_CASE("rollout: one layer of uniform attention is 0.5/T + 0.5 on the diagonal, rows sum to 1") {
  const std::size_t T = 4;
  const std::vector<std::vector<float>> maps(3, std::vector<float>(T * T, 0.25f));
  const auto r = cmp::rollout(maps, T);
  REQUIRE(r.layers == 3);
  for (std::size_t i = 0; i < T; ++i)
    for (std::size_t j = 0; j < T; ++j) CHECK(r.at(0)[i * T + j] == doctest::Approx(0.125 + (i == j ? 0.5 : 0.0)));
  for (std::size_t l = 0; l < 3; ++l)
    for (std::size_t i = 0; i < T; ++i) {
      double sum = 0;
      for (std::size_t j = 0; j < T; ++j) sum += r.at(l)[i * T + j];
      CHECK(sum == doctest::Approx(1.0).epsilon(1e-6));
    }
  CHECK_THROWS_AS(cmp::rollout({std::vector<float>(5)}, T), common::InputError);
}

TEST_CASE("rollout: a model's own rollout rows sum to 1 and full attention reaches every token after one layer") {
  enc::Encoder m(rollout_config(3, 0));
  m.init_random(7);
  const auto maps = cmp::attention_maps(m, tokens(10));
  const auto r = cmp::rollout(maps);
  for (std::size_t l = 0; l < 3; ++l)
    for (std::size_t i = 0; i < 10; ++i) {
      double sum = 0;
      for (std::size_t j = 0; j < 10; ++j) sum += r.at(l)[i * 10 + j];
      CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
    }
  const auto reach = cmp::rollout_reach(r, 2);
  for (const auto& x : reach) {
    CHECK(x.max_reach == 9);
    CHECK(x.mass_beyond > 0);
  }
}

TEST_CASE("rollout: a window of ±W reaches exactly min(T-1, l·W) positions after l layers") {
  const std::size_t T = 15;
  for (const std::size_t w : {std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
    CAPTURE(w);
    enc::Encoder full(rollout_config(6, 0));
    full.init_random(3);
    enc::Encoder m = cmp::with_window(full, w);  // the same weights, windowed at inference
    CHECK(m.config().attention_window == w);
    const auto r = cmp::rollout(cmp::attention_maps(m, tokens(T)));
    const auto reach = cmp::rollout_reach(r, w);
    for (std::size_t l = 0; l < 6; ++l) {
      CAPTURE(l);
      const std::size_t bound = cmp::structural_reach(T, w, l + 1);
      CHECK(bound == std::min(T - 1, (l + 1) * w));
      CHECK(reach[l].max_reach == bound);
      for (std::size_t i = 0; i < T; ++i)  // every row: non-zero exactly within the bound
        for (std::size_t j = 0; j < T; ++j) CHECK((r.at(l)[i * T + j] > 0) == ((i > j ? i - j : j - i) <= bound));
      if (l == 0) CHECK(reach[l].mass_beyond == 0.0);
      if ((l + 1) * w > w && w < T - 1) CHECK(reach[l].mass_beyond > 0.0);
    }
  }
}
