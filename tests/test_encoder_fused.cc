// The encoder's fused and threaded kernels against their reference twins:
// linear + bias/mask/residual/activation tail, threaded LayerNorm, GELU,
// AdamW and clipping, and the lane row reductions (softmax, MLM head).
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <tuple>
#include <vector>

#include "common/blas.h"
#include "encoder/fused_linear.h"
#include "encoder/ops.h"
#include "encoder/row_reduce.h"
#include "encoder/small_gemm.h"
#include "test_util.h"

namespace {

using testutil::randn;

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
                          db1.data(), false, 1);
  enc::layernorm_backward(r.data(), x.data(), n, d, g.data(), mean.data(), rstd.data(), dx2.data(), dg2.data(),
                          db2.data(), false, 2);
  CHECK(max_abs_diff(dx1, dx2) == 0.0);  // rows are independent: bit-identical
  CHECK(max_abs_diff(dg1, dg2) == 0.0);  // partial sums per chunk of rows, whatever the threads
  CHECK(max_abs_diff(db1, db2) == 0.0);
  double sb = 0;  // dbeta = 0.25 + Σ rows of r
  for (std::size_t i = 0; i < n; ++i) sb += r[i * d + 7];
  CHECK(db2[7] == doctest::Approx(0.25 + sb).epsilon(1e-4));
  std::vector<float> acc(n * d, 0.5f);  // accumulate_dx: acc = 0.5 + dx
  enc::layernorm_backward(r.data(), x.data(), n, d, g.data(), mean.data(), rstd.data(), acc.data(), dg2.data(),
                          db2.data(), true, 2);
  for (auto& v : acc) v -= 0.5f;
  CHECK(max_abs_diff(acc, dx1) < 1e-6);
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

TEST_CASE("row reductions: lane max/argmax/sum equal the sequential loops, NaN and ties included") {
  std::mt19937 rng(14);
  for (std::size_t n : {1u, 7u, 16u, 33u, 30000u}) {
    auto x = randn(n, rng);
    if (n > 20) x[5] = x[n - 3] = 100.f;  // a tie: the first index wins
    if (n > 30) x[9] = std::nanf("");
    std::size_t arg = 0;  // the reference: first maximum, NaNs never greater
    float mx = -INFINITY;
    double sum = 0;
    for (std::size_t j = 0; j < n; ++j) {
      arg = x[j] > x[arg] ? j : arg;
      mx = x[j] > mx ? x[j] : mx;
      if (!std::isnan(x[j])) sum += x[j];
    }
    CHECK(enc::lane_argmax(x.data(), n) == arg);
    CHECK(enc::lane_max(x.data(), n) == mx);
    const float ls = enc::lane_sum(n, [&](std::size_t j) { return std::isnan(x[j]) ? 0.f : x[j]; });
    CHECK(ls == doctest::Approx(sum).epsilon(1e-5).scale(1.0));
  }
  std::vector<float> first_nan = {std::nanf(""), 3.f, 5.f};  // x[0] NaN: nothing compares greater, as before
  CHECK(enc::lane_argmax(first_nan.data(), 3) == 0);
  first_nan.resize(40, 7.f);  // through the vector lanes as well
  CHECK(enc::lane_argmax(first_nan.data(), 40) == 0);
}

TEST_CASE("linear backward: threaded bias gradient equals the single-threaded one, dW and dx match gemm_ref") {
  std::mt19937 rng(16);
  const std::size_t n = 130, in = 40, out = 200;
  auto dy = randn(n * out, rng), x = randn(n * in, rng), w = randn(out * in, rng);
  std::vector<float> dx1(n * in), dx2(n * in), dw1(out * in, 1.f), dw2(out * in, 1.f), db1(out, 2.f), db2(out, 2.f);
  enc::linear_backward(dy.data(), x.data(), n, in, w.data(), out, dx1.data(), dw1.data(), db1.data(), false, 1);
  enc::linear_backward(dy.data(), x.data(), n, in, w.data(), out, dx2.data(), dw2.data(), db2.data(), false, 2);
  CHECK(max_abs_diff(db1, db2) == 0.0);  // columns summed in row order either way
  std::vector<float> dx_ref(n * in), dw_ref(out * in, 1.f);
  common::gemm_ref(false, false, n, in, out, 1.f, dy.data(), out, w.data(), in, 0.f, dx_ref.data(), in);
  common::gemm_ref(true, false, out, in, n, 1.f, dy.data(), out, x.data(), in, 1.f, dw_ref.data(), in);
  CHECK(max_abs_diff(dx2, dx_ref) < 1e-3);
  CHECK(max_abs_diff(dw2, dw_ref) < 1e-3);
  double s = 2;
  for (std::size_t i = 0; i < n; ++i) s += dy[i * out + 17];
  CHECK(db2[17] == doctest::Approx(s).epsilon(1e-5));
}

TEST_CASE("threaded AdamW and gradient clipping give the same result for 1 and 2 threads") {
  std::mt19937 rng(15);
  const std::size_t n = 300007;
  auto p1 = randn(n, rng), g = randn(n, rng), m1 = randn(n, rng, 0.1f), v1 = randn(n, rng, 0.1f);
  for (auto& v : v1) v = v * v;
  auto p2 = p1, m2 = m1, v2 = v1, p0 = p1, m0 = m1, v0 = v1;
  enc::adamw_step(p1.data(), g.data(), m1.data(), v1.data(), n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 3, 1);
  int off = 0;  // reference twin: the AdamW formulas in double (float constants), for every element
  const double b1 = 0.9f, b2 = 0.999f, lr = 1e-3f, wd = 0.01f, eps = 1e-8f;
  for (std::size_t i = 0; i < n; ++i) {
    const double mm = b1 * m0[i] + (1 - b1) * g[i], vv = b2 * v0[i] + (1 - b2) * static_cast<double>(g[i]) * g[i];
    const double delta = lr / (1 - b1 * b1 * b1) * mm / (std::sqrt(vv / (1 - b2 * b2 * b2)) + eps);
    // Tolerances scale with the terms: m cancels, and m / sqrt(v) amplifies
    // its rounding (measured worst 3e-6; a wrong bias correction is >= 1e-3).
    const double pp = p0[i] * (1 - lr * wd) - delta;
    off += std::fabs(pp - p1[i]) > 1e-5 * (std::fabs(p0[i]) + std::fabs(delta)) ||
           std::fabs(mm - m1[i]) > 1e-6 * (std::fabs(m0[i]) + std::fabs(g[i]));
  }
  CHECK(off == 0);
  enc::adamw_step(p2.data(), g.data(), m2.data(), v2.data(), n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 3, 2);
  CHECK(max_abs_diff(p1, p2) == 0.0);
  CHECK(max_abs_diff(v1, v2) == 0.0);
  auto g2 = g;
  double ref = 0;
  for (float x : g) ref += static_cast<double>(x) * x;
  const double n1 = enc::clip_grad_norm(g.data(), n, 10.0, 1), n2 = enc::clip_grad_norm(g2.data(), n, 10.0, 2);
  CHECK(n1 == n2);
  CHECK(n1 == doctest::Approx(std::sqrt(ref)).epsilon(1e-12));
  CHECK(max_abs_diff(g, g2) == 0.0);
  CHECK(enc::clip_grad_norm(g.data(), n, 0.0, 2) == doctest::Approx(10.0).epsilon(1e-6));  // clipped to 10
}

TEST_CASE("attention's small GEMM and transpose equal gemm_ref, with row and column tails") {
  std::mt19937 rng(17);
  for (auto [m, n, k] : {std::tuple<std::size_t, std::size_t, std::size_t>{128, 128, 64}, {128, 64, 128}, {7, 70, 5},
                         {33, 17, 40}, {1, 1, 1}, {5, 131, 3}})
    for (bool accumulate : {false, true}) {
      const std::size_t lda = k + 3, ldb = n + 5, ldc = n + 2;
      auto a = randn(m * lda, rng), b = randn(k * ldb, rng), c = randn(m * ldc, rng);
      auto c2 = c;
      enc::small_gemm(m, n, k, 0.5f, a.data(), lda, b.data(), ldb, accumulate, c.data(), ldc);
      common::gemm_ref(false, false, m, n, k, 0.5f, a.data(), lda, b.data(), ldb, accumulate ? 1.f : 0.f, c2.data(),
                       ldc);
      CHECK(max_abs_diff(c, c2) < 1e-4);  // padding columns between n and ldc untouched as well
    }
  for (auto [rows, cols] : {std::pair<std::size_t, std::size_t>{128, 64}, {37, 50}, {16, 16}, {3, 40}}) {
    const std::size_t lds = cols + 7, ldd = rows + 1;
    auto src = randn(rows * lds, rng);
    std::vector<float> dst(cols * ldd, -1.f);
    enc::transpose(src.data(), rows, cols, lds, dst.data(), ldd);
    int bad = 0;
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t j = 0; j < cols; ++j) bad += dst[j * ldd + i] != src[i * lds + j];
    CHECK(bad == 0);
    CHECK(dst[rows] == -1.f);  // the padding column of dst stays
  }
}

TEST_CASE("bias gradient: the register-blocked kernel equals the reference twin bit for bit, 1 and 2 threads") {
  std::mt19937 rng(21);
  for (std::size_t out : {std::size_t{7}, std::size_t{300}, std::size_t{1024}}) {  // tails and full 128-column blocks
    CAPTURE(out);
    const std::size_t n = 37;
    auto dy = randn(n * out, rng), db0 = randn(out, rng);
    std::vector<float> ref = db0;
    enc::bias_grad_ref(dy.data(), n, out, ref.data());
    for (int threads : {1, 2}) {
      std::vector<float> db = db0;
      enc::bias_grad(dy.data(), n, out, db.data(), threads);
      CHECK(db == ref);
    }
  }
}

TEST_CASE("clipping folded into AdamW (grad_scale) equals clipping the gradient first, bit for bit") {
  std::mt19937 rng(23);
  const std::size_t n = 70001;  // two norm chunks and an AdamW tail
  auto p0 = randn(n, rng), g0 = randn(n, rng), m0 = randn(n, rng, 0.1f), v0 = randn(n, rng, 0.1f);
  for (auto& x : v0) x = std::fabs(x);
  for (double max_norm : {10.0, 1e9}) {  // clipped, and within the limit (factor 1)
    CAPTURE(max_norm);
    std::vector<float> g1 = g0, p1 = p0, m1 = m0, v1 = v0;
    const double norm = enc::clip_grad_norm(g1.data(), n, max_norm, 2);
    enc::adamw_step(p1.data(), g1.data(), m1.data(), v1.data(), n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 4, 2);
    std::vector<float> p2 = p0, m2 = m0, v2 = v0;
    CHECK(enc::grad_norm(g0.data(), n, 1) == norm);
    const float f = enc::clip_factor(norm, max_norm);
    CHECK((max_norm < norm ? f < 1.f : f == 1.f));
    enc::adamw_step(p2.data(), g0.data(), m2.data(), v2.data(), n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 4, 2, f);
    CHECK(p1 == p2);
    CHECK(m1 == m2);
    CHECK(v1 == v2);
  }
}
