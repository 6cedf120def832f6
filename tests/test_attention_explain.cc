// The step-by-step head (compare/attention_explain.h) is a reference twin of
// the fast attention: its softmax rows are the model's own attention
// probabilities, its weighted sums are the heads' outputs of the forward,
// and the heads' shares through W_O rebuild the attention block's output —
// for pre- and post-norm models, full and sliding-window attention.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "common/errors.h"
#include "compare/attention_explain.h"
#include "compare/inspect.h"
#include "encoder/model.h"

namespace {

enc::EncoderConfig explain_config(bool pre_norm, std::size_t window) {
  enc::EncoderConfig c;
  c.vocab_size = 20;
  c.d_model = 16;
  c.n_heads = 2;
  c.n_layers = 2;
  c.d_ff = 32;
  c.max_len = 16;
  c.norm_first = pre_norm;
  c.attention_window = window;
  return c;
}

cmp::InspectedTokens some_tokens() {
  cmp::InspectedTokens t;
  t.ids = {19, 3, 1, 4, 1, 5, 9, 2, 6};  // [T = 9], [CLS] first
  t.display.assign(t.ids.size(), "x");
  return t;
}

float max_abs_diff(const float* a, const float* b, std::size_t n) {
  float m = 0;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

}  // namespace

TEST_CASE("attention explain: softmax rows, head outputs and W_O agree with the fast forward") {
  for (const bool pre_norm : {true, false})
    for (const std::size_t window : {std::size_t{0}, std::size_t{2}}) {
      CAPTURE(pre_norm);
      CAPTURE(window);
      enc::Encoder m(explain_config(pre_norm, window));
      m.init_random(11);
      const auto tokens = some_tokens();
      const std::size_t T = tokens.ids.size(), d = 16, dh = 8;
      const auto maps = cmp::attention_maps(m, tokens);
      for (std::size_t l = 0; l < 2; ++l) {
        std::vector<float> ctx(T * d, 0.f), attn_out(T * d, 0.f);  // [T, d] each
        for (std::size_t h = 0; h < 2; ++h) {
          const auto e = cmp::explain_head(m, tokens, l, h);
          REQUIRE(e.q.size() == T * dh);
          CHECK(e.scale == doctest::Approx(1 / std::sqrt(8.0)));
          CHECK(e.pre_norm == pre_norm);
          CHECK(max_abs_diff(e.probs.data(), maps.map(l, h), T * T) < 2e-6f);
          for (std::size_t i = 0; i < T; ++i) {
            double sum = 0;
            for (std::size_t j = 0; j < T; ++j) {
              sum += e.probs[i * T + j];
              const bool hidden = window > 0 && (i > j ? i - j : j - i) > window;
              CHECK((e.probs[i * T + j] == 0.f) == hidden);
              CHECK(std::isinf(e.scaled[i * T + j]) == hidden);
              if (!hidden) CHECK(e.scaled[i * T + j] == doctest::Approx(e.scores[i * T + j] * e.scale).epsilon(1e-5));
            }
            CHECK(sum == doctest::Approx(1.0).epsilon(1e-6));
          }
          for (std::size_t t = 0; t < T; ++t)
            for (std::size_t c = 0; c < dh; ++c) ctx[t * d + h * dh + c] = e.context[t * dh + c];
          for (std::size_t i = 0; i < T * d; ++i) attn_out[i] += e.output[i] + (h == 0 ? e.residual[i] : 0.f);
        }
        const auto e0 = cmp::explain_head(m, tokens, l, 0);  // leaves the forward's caches in place
        const float* b_out = m.params().data(
            static_cast<std::size_t>(m.params().find("layers." + std::to_string(l) + ".self_attn.out_proj.bias") -
                                     m.params().slots().data()));
        for (std::size_t t = 0; t < T; ++t)
          for (std::size_t o = 0; o < d; ++o) attn_out[t * d + o] += b_out[o];
        CHECK(max_abs_diff(ctx.data(), m.attention_context(l), T * d) < 1e-5f);
        CHECK(max_abs_diff(attn_out.data(), m.attention_residual(l), T * d) < 1e-4f);
        CHECK(max_abs_diff(e0.residual.data(), m.layer_input(l), T * d) == 0.f);
      }
    }
}

TEST_CASE("attention explain: the input is LN1 of the residual in a pre-norm model, the residual itself post-norm") {
  for (const bool pre_norm : {true, false}) {
    enc::Encoder m(explain_config(pre_norm, 0));
    m.init_random(5);
    const auto e = cmp::explain_head(m, some_tokens(), 1, 1);
    const std::size_t d = 16;
    for (std::size_t t = 0; t < e.seq; ++t) {
      double mean = 0, var = 0;
      for (std::size_t j = 0; j < d; ++j) mean += e.input[t * d + j];
      mean /= d;
      for (std::size_t j = 0; j < d; ++j) var += (e.input[t * d + j] - mean) * (e.input[t * d + j] - mean);
      var /= d;
      if (pre_norm) {  // LayerNorm with the initial gamma 1, beta 0
        CHECK(mean == doctest::Approx(0).epsilon(1e-5));
        CHECK(var == doctest::Approx(1).epsilon(1e-3));
      } else {
        CHECK(max_abs_diff(e.input.data() + t * d, e.residual.data() + t * d, d) == 0.f);
      }
    }
  }
}

TEST_CASE("attention explain: layer and head out of range are OptionErrors") {
  enc::Encoder m(explain_config(true, 0));
  m.init_random(1);
  CHECK_THROWS_AS(cmp::explain_head(m, some_tokens(), 2, 0), common::OptionError);
  CHECK_THROWS_AS(cmp::explain_head(m, some_tokens(), 0, 2), common::OptionError);
}
