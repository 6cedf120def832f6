// Encoder kernels: fast vs reference twins, and every backward pass checked
// by central finite differences (ops one by one, then the whole encoder).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <functional>
#include <random>
#include <vector>

#include "common/blas.h"
#include "common/errors.h"
#include "common/fast_math.h"
#include "encoder/attention.h"
#include "encoder/model.h"
#include "encoder/ops.h"
#include "test_util.h"

namespace {

using testutil::randn;

double dot(const std::vector<float>& a, const float* b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

// Checks analytic[i] against the central difference of loss() in x[i] for
// `samples` random indices; returns the number of mismatches.
int fd_check(std::vector<float>& x, const std::vector<float>& analytic, const std::function<double()>& loss,
             std::mt19937& rng, int samples, double eps = 1e-2, double rtol = 2e-2, double atol = 2e-3) {
  int bad = 0;
  std::uniform_int_distribution<std::size_t> pick(0, x.size() - 1);
  for (int s = 0; s < samples; ++s) {
    const std::size_t i = pick(rng);
    const float keep = x[i];
    x[i] = keep + static_cast<float>(eps);
    const double up = loss();
    x[i] = keep - static_cast<float>(eps);
    const double down = loss();
    x[i] = keep;
    const double num = (up - down) / (2 * eps);
    if (std::fabs(num - analytic[i]) > rtol * std::max(std::fabs(num), std::fabs(static_cast<double>(analytic[i]))) + atol) {
      ++bad;
      MESSAGE("index " << i << ": analytic " << analytic[i] << " numeric " << num);
    }
  }
  return bad;
}

// Runs forward(p) + backward with dout = r, then checks every parameter
// tensor's gradient against finite differences of Σ r ⊙ forward(p), on
// `samples` random entries per tensor; forward must be deterministic.
void check_encoder_gradients(enc::Encoder& e, const std::vector<float>& r, const std::function<const float*()>& forward,
                             std::mt19937& rng, int samples) {
  e.params().zero_grad();
  forward();
  e.backward(r.data());
  for (std::size_t si = 0; si < e.params().slots().size(); ++si) {
    const auto& slot = e.params().slots()[si];
    std::vector<float> x(e.params().data(si), e.params().data(si) + slot.size);
    std::vector<float> g(e.params().grad(si), e.params().grad(si) + slot.size);
    auto loss = [&] {
      std::copy(x.begin(), x.end(), e.params().data(si));
      return dot(r, forward());
    };
    INFO("tensor " << slot.name);
    CHECK(fd_check(x, g, loss, rng, std::min<int>(samples, static_cast<int>(slot.size)), 3e-3, 3e-2, 3e-3) == 0);
    std::copy(x.begin(), x.end(), e.params().data(si));
  }
}

}  // namespace

TEST_CASE("layernorm matches its reference and its backward matches finite differences") {
  std::mt19937 rng(1);
  const std::size_t n = 5, d = 12;
  auto x = randn(n * d, rng), g = randn(d, rng, 0.3f), b = randn(d, rng, 0.3f), r = randn(n * d, rng);
  for (auto& v : g) v += 1.f;
  std::vector<float> y(n * d), y2(n * d), mean(n), rstd(n);
  enc::layernorm_forward(x.data(), n, d, g.data(), b.data(), 1e-5f, y.data(), mean.data(), rstd.data());
  enc::layernorm_ref(x.data(), n, d, g.data(), b.data(), 1e-5f, y2.data());
  for (std::size_t i = 0; i < n * d; ++i) CHECK(y[i] == doctest::Approx(y2[i]).epsilon(1e-5));
  std::vector<float> dx(n * d), dg(d, 0.f), db(d, 0.f);
  enc::layernorm_backward(r.data(), x.data(), n, d, g.data(), mean.data(), rstd.data(), dx.data(), dg.data(), db.data());
  auto loss = [&] {
    enc::layernorm_ref(x.data(), n, d, g.data(), b.data(), 1e-5f, y2.data());
    return dot(r, y2.data());
  };
  CHECK(fd_check(x, dx, loss, rng, 40) == 0);
  CHECK(fd_check(g, dg, loss, rng, 12) == 0);
  CHECK(fd_check(b, db, loss, rng, 12) == 0);
}

TEST_CASE("GELU (exact erf form) and ReLU backward match finite differences") {
  std::mt19937 rng(2);
  auto x = randn(64, rng, 2.f), r = randn(64, rng);
  std::vector<float> y(64), dx(64);
  CHECK(std::fabs(0.5f * 1.f * (1.f + std::erf(1.f / std::sqrt(2.f))) - 0.8413447f) < 1e-6f);
  enc::gelu_backward(r.data(), x.data(), 64, dx.data());
  auto gl = [&] {
    enc::gelu_forward(x.data(), 64, y.data());
    return dot(r, y.data());
  };
  CHECK(fd_check(x, dx, gl, rng, 40, 1e-3) == 0);
  for (auto& v : x)
    if (std::fabs(v) < 0.05f) v = 0.5f;  // keep away from the kink
  enc::relu_backward(r.data(), x.data(), 64, dx.data());
  auto rl = [&] {
    enc::relu_forward(x.data(), 64, y.data());
    return dot(r, y.data());
  };
  CHECK(fd_check(x, dx, rl, rng, 40, 1e-3) == 0);
}

TEST_CASE("attention: fast blocked kernel equals the reference, full and sliding window, with padding") {
  std::mt19937 rng(3);
  for (std::size_t window : {0u, 1u, 3u, 40u}) {
    for (std::size_t seq : {13u, 70u}) {
      enc::AttentionShape s{2, seq, 2, 8, window};
      auto qkv = randn(s.batch * s.seq * 3 * s.d(), rng);
      std::vector<std::int32_t> lengths = {static_cast<std::int32_t>(seq), static_cast<std::int32_t>(seq / 2)};
      std::vector<float> probs(s.probs_size()), ctx(s.batch * s.seq * s.d()), ref(ctx.size());
      enc::attention_forward(s, qkv.data(), lengths.data(), probs.data(), ctx.data(), 2);
      enc::attention_ref(s, qkv.data(), lengths.data(), ref.data());
      double worst = 0;
      for (std::size_t i = 0; i < ctx.size(); ++i) worst = std::max(worst, static_cast<double>(std::fabs(ctx[i] - ref[i])));
      INFO("window " << window << " seq " << seq);
      CHECK(worst < 1e-5);
      if (window > 0 && window < 10 && seq == 70) CHECK(s.key_width() < seq);  // only the band is stored
    }
  }
}

namespace {

// Two sequences of 9 and 5 tokens, 2 heads of 4: random qkv[B·T, 3d] and a
// loss weight r[B·T, d] that is zero on the padded query rows.
struct AttentionCase {
  enc::AttentionShape s;
  std::vector<float> qkv, r;
  std::vector<std::int32_t> lengths = {9, 5};
  AttentionCase(std::size_t window, std::mt19937& rng)
      : s{2, 9, 2, 4, window}, qkv(randn(2 * 9 * 3 * 8, rng)), r(randn(2 * 9 * 8, rng)) {
    for (std::size_t t = 5; t < 9; ++t)
      for (std::size_t j = 0; j < s.d(); ++j) r[(9 + t) * s.d() + j] = 0;
  }
};

}  // namespace

TEST_CASE("attention backward matches finite differences (full and window)") {
  std::mt19937 rng(4);
  for (std::size_t window : {0u, 2u}) {
    AttentionCase a(window, rng);
    // Named references, not a structured binding: clang 14 (the sanitizer
    // build) cannot capture bindings in the lambdas below.
    const auto& s = a.s;
    auto &qkv = a.qkv, &r = a.r;
    auto& lengths = a.lengths;
    std::vector<float> probs(s.probs_size()), ctx(r.size()), dqkv(qkv.size());
    enc::attention_forward(s, qkv.data(), lengths.data(), probs.data(), ctx.data(), 1);
    enc::attention_backward(s, qkv.data(), lengths.data(), probs.data(), r.data(), dqkv.data(), 2);
    auto loss = [&] {
      enc::attention_ref(s, qkv.data(), lengths.data(), ctx.data());
      return dot(r, ctx.data());
    };
    INFO("window " << window);
    CHECK(fd_check(qkv, dqkv, loss, rng, 80, 1e-2) == 0);
  }
}

TEST_CASE("attention dropout: P ⊙ mask weights V, and its backward matches finite differences") {
  std::mt19937 rng(5);
  for (std::size_t window : {0u, 2u}) {
    AttentionCase a(window, rng);
    // Named references, not a structured binding: clang 14 (the sanitizer
    // build) cannot capture bindings in the lambdas below.
    const auto& s = a.s;
    auto &qkv = a.qkv, &r = a.r;
    auto& lengths = a.lengths;
    std::vector<float> drop(s.probs_size());
    enc::dropout_mask(drop.data(), drop.size(), 0.3f, 17);
    std::vector<float> probs(s.probs_size()), ctx(r.size()), dqkv(qkv.size());
    enc::attention_forward(s, qkv.data(), lengths.data(), probs.data(), ctx.data(), 2, drop.data());
    // Reference: dense P (saved before dropout) ⊙ dense mask, times V.
    std::vector<float> p_dense(s.seq * s.seq), m_dense(s.seq * s.seq);
    double worst = 0;
    std::size_t dropped = 0;
    for (std::size_t b = 0; b < s.batch; ++b)
      for (std::size_t h = 0; h < s.heads; ++h) {
        enc::attention_dense(s, probs.data(), b, h, p_dense.data());
        enc::attention_dense(s, drop.data(), b, h, m_dense.data());
        for (std::size_t i = 0; i < s.seq; ++i)
          for (std::size_t c = 0; c < s.head_dim; ++c) {
            double acc = 0;
            for (std::size_t j = 0; j < s.seq; ++j) {
              acc += static_cast<double>(p_dense[i * s.seq + j]) * m_dense[i * s.seq + j] *
                     qkv[(b * s.seq + j) * 3 * s.d() + 2 * s.d() + h * s.head_dim + c];
              dropped += c == 0 && p_dense[i * s.seq + j] > 0 && m_dense[i * s.seq + j] == 0;
            }
            worst = std::max(worst, std::fabs(acc - ctx[(b * s.seq + i) * s.d() + h * s.head_dim + c]));
          }
      }
    INFO("window " << window);
    CHECK(dropped > 0);
    CHECK(worst < 1e-5);
    enc::attention_backward(s, qkv.data(), lengths.data(), probs.data(), r.data(), dqkv.data(), 2, drop.data());
    auto loss = [&] {  // the same mask at every perturbed point
      enc::attention_forward(s, qkv.data(), lengths.data(), probs.data(), ctx.data(), 1, drop.data());
      return dot(r, ctx.data());
    };
    CHECK(fd_check(qkv, dqkv, loss, rng, 80, 1e-2) == 0);
  }
}

TEST_CASE("whole encoder backward matches finite differences") {
  struct Variant {
    bool norm_first;
    enc::Positional positional;
    std::size_t window;
    bool final_norm;
  };
  using enc::Positional;
  for (Variant v : {Variant{false, Positional::kSinusoidal, 0, false}, Variant{true, Positional::kLearned, 0, true},
                    Variant{true, Positional::kSinusoidal, 2, true}, Variant{false, Positional::kLearned, 1, true}}) {
    enc::EncoderConfig c;
    c.vocab_size = 11, c.d_model = 8, c.n_heads = 2, c.n_layers = 2, c.d_ff = 16, c.max_len = 9;
    c.norm_first = v.norm_first, c.activation = enc::Activation::kGelu, c.positional = v.positional, c.attention_window = v.window;
    c.final_norm = v.final_norm;
    enc::Encoder e(c);
    e.init_random(7);
    std::mt19937 rng(5);
    // Well-conditioned random parameters: unit-scale embeddings (so that
    // LayerNorm inputs are not tiny), non-trivial LayerNorm gains and biases.
    for (std::size_t si = 0; si < e.params().slots().size(); ++si) {
      const auto& slot = e.params().slots()[si];
      float* p = e.params().data(si);
      const bool emb = slot.name.find("embedding") != std::string::npos;
      const float sd = emb ? 1.f : slot.name.find("norm") != std::string::npos ? 0.2f : 0.f;
      for (std::size_t i = 0; i < slot.size; ++i) p[i] += std::normal_distribution<float>(0.f, sd + 1e-9f)(rng);
    }
    const std::size_t B = 2, T = 6, d = c.d_model;
    std::vector<std::int32_t> ids = {1, 5, 3, 9, 10, 2, 4, 4, 7, 0, 0, 0}, lengths = {6, 3};
    auto r = randn(B * T * d, rng);
    for (std::size_t t = 3; t < T; ++t)
      for (std::size_t j = 0; j < d; ++j) r[(T + t) * d + j] = 0;
    INFO("variant norm_first=" << v.norm_first << " window=" << v.window);
    check_encoder_gradients(e, r, [&] { return e.forward(ids.data(), lengths.data(), B, T); }, rng, 12);
  }
}

TEST_CASE("encoder input errors: ids outside the vocabulary, too long, bad lengths") {
  enc::EncoderConfig c;
  c.vocab_size = 5, c.d_model = 4, c.n_heads = 2, c.n_layers = 1, c.d_ff = 8, c.max_len = 4;
  enc::Encoder e(c);
  std::vector<std::int32_t> ids = {1, 7, 2}, len = {3};
  CHECK(testutil::thrown<common::InputError>([&] { e.forward(ids.data(), len.data(), 1, 3); }).find("token id 7") !=
        std::string::npos);
  std::vector<std::int32_t> long_ids(5, 1), long_len = {5};
  CHECK(testutil::thrown<common::InputError>([&] { e.forward(long_ids.data(), long_len.data(), 1, 5); }).find("max_len") !=
        std::string::npos);
  std::vector<std::int32_t> zero = {0};
  CHECK_THROWS_AS(e.forward(ids.data(), zero.data(), 1, 3), common::InputError);
  c.d_model = 5;
  CHECK_THROWS_AS(enc::Encoder{c}, common::OptionError);
}

TEST_CASE("fast exp/erf/GELU and threaded GEMM agree with their reference twins") {
  double we = 0, wr = 0;
  for (float x = -80.f; x < 80.f; x += 0.0037f) {
    const double e = std::exp(static_cast<double>(x));
    we = std::max(we, std::fabs(common::exp_fast(x) - e) / e);
  }
  for (float x = -7.f; x < 7.f; x += 0.0007f)
    wr = std::max(wr, std::fabs(static_cast<double>(common::erf_fast(x)) - std::erf(static_cast<double>(x))));
  CHECK(we < 2e-7);
  CHECK(wr < 1e-6);
  CHECK(common::exp_fast(-1000.f) < 1e-37f);
  std::mt19937 rng(8);
  auto x = randn(1000, rng, 3.f);
  std::vector<float> a(1000), b(1000);
  enc::gelu_forward(x.data(), 1000, a.data());
  enc::gelu_ref(x.data(), 1000, b.data());
  // Absolute error: for x << 0, x·Φ(x) cancels, so relative error is no measure.
  double worst = 0;
  for (std::size_t i = 0; i < 1000; ++i) worst = std::max(worst, static_cast<double>(std::fabs(a[i] - b[i])));
  CHECK(worst < 2e-6);
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (auto [m, n] : {std::pair<std::size_t, std::size_t>{300, 130}, {60, 600}}) {  // split rows, then columns
        const std::size_t k = 100;
        auto A = randn(m * k, rng), B = randn(k * n, rng), C = randn(m * n, rng);
        auto C2 = C;
        common::gemm_mt(2, ta, tb, m, n, k, 0.5f, A.data(), ta ? m : k, B.data(), tb ? k : n, 1.f, C.data(), n);
        common::gemm_ref(ta, tb, m, n, k, 0.5f, A.data(), ta ? m : k, B.data(), tb ? k : n, 1.f, C2.data(), n);
        for (std::size_t i = 0; i < m * n; ++i) REQUIRE(C[i] == doctest::Approx(C2[i]).epsilon(1e-4).scale(1.0));
      }
}

TEST_CASE("dropout: masks at the right rate, reproducible by seed, backward matches finite differences") {
  enc::EncoderConfig c;
  c.vocab_size = 11, c.d_model = 8, c.n_heads = 2, c.n_layers = 2, c.d_ff = 16, c.max_len = 9;
  for (bool norm_first : {true, false}) {
    c.norm_first = norm_first;
    enc::Encoder e(c);
    e.init_random(3);
    std::mt19937 rng(6);
    for (std::size_t si = 0; si < e.params().slots().size(); ++si) {  // well-conditioned, as above
      const auto& slot = e.params().slots()[si];
      if (slot.name.find("embedding") == std::string::npos) continue;
      for (std::size_t i = 0; i < slot.size; ++i) e.params().data(si)[i] += std::normal_distribution<float>(0.f, 1.f)(rng);
    }
    const std::size_t B = 2, T = 6, d = c.d_model;
    std::vector<std::int32_t> ids = {1, 5, 3, 9, 10, 2, 4, 4, 7, 0, 0, 0}, lengths = {6, 3};
    auto r = randn(B * T * d, rng);
    std::vector<float> plain(e.forward(ids.data(), lengths.data(), B, T), e.forward(ids.data(), lengths.data(), B, T) + B * T * d);
    const float* z = e.forward_train(ids.data(), lengths.data(), B, T, 0.f, 9);
    CHECK(std::equal(plain.begin(), plain.end(), z));
    std::vector<float> a(e.forward_train(ids.data(), lengths.data(), B, T, 0.3f, 9), e.forward_train(ids.data(), lengths.data(), B, T, 0.3f, 9) + B * T * d);
    const float* b = e.forward_train(ids.data(), lengths.data(), B, T, 0.3f, 9);
    CHECK(std::equal(a.begin(), a.end(), b));  // same seed, same masks
    const float* other = e.forward_train(ids.data(), lengths.data(), B, T, 0.3f, 10);
    CHECK_FALSE(std::equal(a.begin(), a.end(), other));
    INFO("norm_first=" << norm_first);
    check_encoder_gradients(e, r, [&] { return e.forward_train(ids.data(), lengths.data(), B, T, 0.3f, 9); }, rng, 8);
    // Attention dropout alone: changes the output, and its gradient is exact too.
    const float* att = e.forward_train(ids.data(), lengths.data(), B, T, 0.f, 0.5f, 9);
    CHECK_FALSE(std::equal(plain.begin(), plain.end(), att));
    check_encoder_gradients(e, r, [&] { return e.forward_train(ids.data(), lengths.data(), B, T, 0.f, 0.5f, 9); }, rng, 8);
  }
  // The rate: 30% zeros (±0.5% over 1M draws), the rest scaled by 1/0.7; another key, another mask.
  std::vector<float> m(1 << 20), m2(1 << 20);
  enc::dropout_mask(m.data(), m.size(), 0.3f, 42);
  enc::dropout_mask(m2.data(), m2.size(), 0.3f, 43);
  std::size_t zeros = 0, same = 0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    zeros += m[i] == 0.f;
    same += m[i] == m2[i];
    if (m[i] != 0.f) REQUIRE(m[i] == doctest::Approx(1.0 / 0.7));
  }
  CHECK(std::fabs(static_cast<double>(zeros) / static_cast<double>(m.size()) - 0.3) < 0.005);
  CHECK(static_cast<double>(same) / static_cast<double>(m.size()) < 0.62);  // independent: 0.3² + 0.7² = 0.58
  enc::EncoderConfig big;
  big.vocab_size = 20, big.d_model = 8, big.n_heads = 2, big.n_layers = 1, big.d_ff = 16, big.max_len = 4;
  enc::Encoder e(big);
  std::vector<std::int32_t> ids(4, 3), lengths(1, 4);
  CHECK_THROWS_AS(e.forward_train(ids.data(), lengths.data(), 1, 4, 1.f, 1), common::OptionError);
}

TEST_CASE("exp_fast and erf_fast pass NaN through without a NaN-to-int conversion") {
  // NaN weights (a fuzzed safetensors file) reached static_cast<int32_t>(NaN)
  // in exp_fast through the attention softmax: undefined behaviour (UBSan).
  const float nan = std::numeric_limits<float>::quiet_NaN();
  CHECK(std::isnan(common::exp_fast(nan)));
  CHECK(std::isnan(common::erf_fast(nan)));
  CHECK(common::exp_fast(std::numeric_limits<float>::infinity()) > 1e38f);
  CHECK(common::exp_fast(-std::numeric_limits<float>::infinity()) < 1e-37f);
  std::vector<float> x(64, 1.f), y(64);
  x[5] = nan;
  enc::gelu_forward(x.data(), x.size(), y.data());
  CHECK(std::isnan(y[5]));
  CHECK(y[4] == doctest::Approx(0.8413447).epsilon(1e-5));
}
