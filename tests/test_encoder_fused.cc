// The encoder's fused and threaded kernels against their reference twins:
// linear + bias/mask/residual/activation tail, threaded LayerNorm and GELU.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "encoder/fused_linear.h"
#include "encoder/ops.h"

namespace {

std::vector<float> randn(std::size_t n, std::mt19937& rng, float sd = 1.f) {
  std::normal_distribution<float> g(0.f, sd);
  std::vector<float> v(n);
  for (auto& x : v) x = g(rng);
  return v;
}

double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double w = 0;
  for (std::size_t i = 0; i < a.size(); ++i) w = std::max(w, std::fabs(static_cast<double>(a[i]) - b[i]));
  return w;
}

}  // namespace

TEST_CASE("fused linear: bias, mask, residual and activation tails equal the reference twin") {
  std::mt19937 rng(11);
  const std::size_t n = 200, in = 24, out = 2100;  // several row blocks of 64, split over 2 threads
  auto x = randn(n * in, rng), w = randn(out * in, rng, 0.3f), b = randn(out, rng), res = randn(n * out, rng);
  std::vector<float> mask(n * out);
  for (std::size_t i = 0; i < mask.size(); ++i) mask[i] = i % 3 == 0 ? 0.f : 1.5f;
  for (enc::Act act : {enc::Act::kNone, enc::Act::kRelu, enc::Act::kGelu})
    for (int variant = 0; variant < 4; ++variant) {
      enc::LinearTail t;
      t.act = act;
      if (variant & 1) t.mask = mask.data(), t.act_mask = mask.data();
      if (variant & 2) t.residual = res.data();
      std::vector<float> y(n * out, 7.f), y2(n * out, -7.f), a(n * out, 3.f), a2(n * out, -3.f);
      enc::LinearTail t2 = t;
      if (act != enc::Act::kNone) t.act_out = a.data(), t2.act_out = a2.data();
      enc::linear_forward_fused(x.data(), n, in, w.data(), variant == 3 ? nullptr : b.data(), out, y.data(), t, 2);
      enc::linear_forward_fused_ref(x.data(), n, in, w.data(), variant == 3 ? nullptr : b.data(), out, y2.data(), t2);
      CHECK(max_abs_diff(y, y2) < 1e-4);
      if (act != enc::Act::kNone) CHECK(max_abs_diff(a, a2) < 1e-4);
      else CHECK(a[0] == 3.f);  // act_out untouched without an activation
    }
}

TEST_CASE("threaded LayerNorm (row length with a tail) equals the reference and the single-threaded backward") {
  std::mt19937 rng(12);
  const std::size_t n = 301, d = 100;  // d = 6·16 + 4: lanes and tail
  auto x = randn(n * d, rng, 2.f), g = randn(d, rng, 0.3f), b = randn(d, rng, 0.3f), r = randn(n * d, rng);
  for (auto& v : x) v += 3.f;  // an offset the mean must remove
  std::vector<float> y(n * d), y2(n * d), mean(n), rstd(n);
  enc::layernorm_forward(x.data(), n, d, g.data(), b.data(), 1e-5f, y.data(), mean.data(), rstd.data(), 2);
  enc::layernorm_ref(x.data(), n, d, g.data(), b.data(), 1e-5f, y2.data());
  CHECK(max_abs_diff(y, y2) < 1e-5);
  std::vector<float> dx1(n * d), dx2(n * d), dg1(d, 0.5f), dg2(d, 0.5f), db1(d, 0.25f), db2(d, 0.25f);
  enc::layernorm_backward(r.data(), x.data(), n, d, g.data(), mean.data(), rstd.data(), dx1.data(), dg1.data(),
                          db1.data(), 1);
  enc::layernorm_backward(r.data(), x.data(), n, d, g.data(), mean.data(), rstd.data(), dx2.data(), dg2.data(),
                          db2.data(), 2);
  CHECK(max_abs_diff(dx1, dx2) == 0.0);  // rows are independent: bit-identical
  CHECK(max_abs_diff(dg1, dg2) < 1e-3);  // partial sums per thread: rounding only
  CHECK(max_abs_diff(db1, db2) < 1e-3);
  double sb = 0;  // dbeta = 0.25 + Σ rows of r
  for (std::size_t i = 0; i < n; ++i) sb += r[i * d + 7];
  CHECK(db2[7] == doctest::Approx(0.25 + sb).epsilon(1e-4));
}

TEST_CASE("threaded GELU: max error against the exact reference, backward equal to one thread") {
  std::mt19937 rng(13);
  const std::size_t n = 100003;
  auto x = randn(n, rng, 3.f), r = randn(n, rng);
  std::vector<float> y(n), y2(n), dx1(n), dx2(n);
  enc::gelu_forward(x.data(), n, y.data(), 2);
  enc::gelu_ref(x.data(), n, y2.data());
  CHECK(max_abs_diff(y, y2) < 2e-6);
  enc::gelu_backward(r.data(), x.data(), n, dx1.data(), 1);
  enc::gelu_backward(r.data(), x.data(), n, dx2.data(), 2);
  CHECK(max_abs_diff(dx1, dx2) == 0.0);
}
