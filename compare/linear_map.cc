#include "compare/linear_map.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/blas.h"
#include "common/errors.h"
#include "common/rng.h"
#include "compare/sts.h"
#include "encoder/ops.h"

namespace cmp {

namespace {

// Rows `rows` of the first (side 0) or second (side 1) sentences, packed [m, d] (ld = d).
std::vector<float> gather(const StsPairs& p, const std::vector<std::size_t>& rows, int side) {
  const common::Matrix& x = *p.x;
  const std::size_t n = p.size(), d = x.cols();
  std::vector<float> out(rows.size() * d);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const float* src = x.row(rows[r] + (side ? n : 0));
    std::copy(src, src + d, out.begin() + static_cast<std::ptrdiff_t>(r * d));
  }
  return out;
}

std::vector<float> gold_of(const StsPairs& p, const std::vector<std::size_t>& rows) {
  std::vector<float> g(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) g[r] = static_cast<float>((*p.gold)[rows[r]]);
  return g;
}

// decay/2 ‖W − I‖², its gradient added to dw (contiguous [d, d]).
double identity_penalty(const common::Matrix& w, double decay, float* dw) {
  if (decay == 0) return 0;
  double s = 0;
  for (std::size_t o = 0; o < w.rows(); ++o)
    for (std::size_t i = 0; i < w.cols(); ++i) {
      const double e = w.at(o, i) - (o == i ? 1.0 : 0.0);
      s += e * e;
      if (dw) dw[o * w.cols() + i] += static_cast<float>(decay * e);
    }
  return 0.5 * decay * s;
}

void check_pairs(const common::Matrix& w, const StsPairs& p) {
  if (!p.x || !p.gold || p.x->rows() != 2 * p.size() || w.rows() != p.x->cols() || w.cols() != p.x->cols())
    throw common::InputError("linear map: the pairs are not [2n, d] with n gold scores, or W is not [d, d]");
}

std::vector<std::size_t> all_rows(std::size_t n) {
  std::vector<std::size_t> r(n);
  std::iota(r.begin(), r.end(), std::size_t{0});
  return r;
}

void shuffle(std::vector<std::size_t>& v, common::Lcg& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(static_cast<std::uint32_t>(i))]);
}

common::Matrix identity(std::size_t d) {
  common::Matrix w(d, d);  // [d_out, d_in]
  for (std::size_t i = 0; i < d; ++i) w.at(i, i) = 1.f;
  return w;
}

}  // namespace

void LinearMapOptions::validate() const {
  if (epochs == 0) throw common::OptionError("the linear map needs at least one epoch");
  if (batch < 2) throw common::OptionError("the linear map's minibatch needs at least 2 pairs (CoSENT ranks pairs)");
  if (!(lr > 0) || !std::isfinite(lr)) throw common::OptionError("the linear map's step size must be a positive number");
  if (!(decay >= 0) || !std::isfinite(decay)) throw common::OptionError("the linear map's decay must be 0 or more");
}

double map_loss_grad(const common::Matrix& w, const StsPairs& p, const std::vector<std::size_t>& rows, double decay,
                     double scale, float* dw) {
  check_pairs(w, p);
  const std::size_t m = rows.size(), d = w.cols();
  const std::vector<float> x1 = gather(p, rows, 0), x2 = gather(p, rows, 1), gold = gold_of(p, rows);  // [m, d] x2, [m]
  std::vector<float> a(m * d), b(m * d), da(m * d), db(m * d);                                         // [m, d] each
  // a = x1 Wᵀ, b = x2 Wᵀ (W is [out, in]).
  common::gemm(false, true, m, d, d, 1.f, x1.data(), d, w.data(), w.ld(), 0.f, a.data(), d);
  common::gemm(false, true, m, d, d, 1.f, x2.data(), d, w.data(), w.ld(), 0.f, b.data(), d);
  double loss = enc::cosent_pairs_loss(a.data(), b.data(), m, d, gold.data(), scale, dw ? da.data() : nullptr,
                                       dw ? db.data() : nullptr);
  if (dw) {
    // dW[d, d] = daᵀ x1 + dbᵀ x2.
    common::gemm(true, false, d, d, m, 1.f, da.data(), d, x1.data(), d, 0.f, dw, d);
    common::gemm(true, false, d, d, m, 1.f, db.data(), d, x2.data(), d, 1.f, dw, d);
  }
  return loss + identity_penalty(w, decay, dw);
}

double map_loss_grad_ref(const common::Matrix& w, const StsPairs& p, const std::vector<std::size_t>& rows,
                         double decay, double scale, float* dw) {
  check_pairs(w, p);
  const std::size_t m = rows.size(), d = w.cols();
  const std::vector<float> x1 = gather(p, rows, 0), x2 = gather(p, rows, 1), gold = gold_of(p, rows);
  std::vector<float> a(m * d, 0.f), b(m * d, 0.f), da(m * d), db(m * d);
  for (std::size_t r = 0; r < m; ++r)
    for (std::size_t o = 0; o < d; ++o) {
      double sa = 0, sb = 0;
      for (std::size_t i = 0; i < d; ++i) sa += static_cast<double>(w.at(o, i)) * x1[r * d + i], sb += static_cast<double>(w.at(o, i)) * x2[r * d + i];
      a[r * d + o] = static_cast<float>(sa), b[r * d + o] = static_cast<float>(sb);
    }
  double loss = enc::cosent_pairs_loss(a.data(), b.data(), m, d, gold.data(), scale, da.data(), db.data());
  if (dw)
    for (std::size_t o = 0; o < d; ++o)
      for (std::size_t i = 0; i < d; ++i) {
        double s = 0;
        for (std::size_t r = 0; r < m; ++r) s += static_cast<double>(da[r * d + o]) * x1[r * d + i] + static_cast<double>(db[r * d + o]) * x2[r * d + i];
        dw[o * d + i] = static_cast<float>(s);
      }
  return loss + identity_penalty(w, decay, dw);
}

common::Matrix apply_map(const common::Matrix& w, const common::Matrix& x) {
  if (w.cols() != x.cols()) throw common::InputError("linear map: the vectors are not of W's dimension");
  common::Matrix y(x.rows(), w.rows());  // [n, d]
  if (x.rows() > 0) common::gemm(false, true, x.rows(), w.rows(), w.cols(), 1.f, x.data(), x.ld(), w.data(), w.ld(), 0.f, y.data(), y.ld());
  return y;
}

double map_spearman(const common::Matrix& w, const StsPairs& p, const std::vector<std::size_t>& rows) {
  check_pairs(w, p);
  common::Matrix x(2 * rows.size(), p.x->cols());  // [2m, d]: the pairs `rows` in the STS layout
  std::vector<double> gold(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::copy(p.x->row(rows[r]), p.x->row(rows[r]) + x.cols(), x.row(r));
    std::copy(p.x->row(rows[r] + p.size()), p.x->row(rows[r] + p.size()) + x.cols(), x.row(r + rows.size()));
    gold[r] = (*p.gold)[rows[r]];
  }
  const common::Matrix y = apply_map(w, x);
  return sts_spearman(gold, y.row(0), y.row(rows.size()), rows.size(), y.cols(), y.ld());
}

common::Matrix train_linear_map(const StsPairs& p, std::vector<std::size_t> rows, const LinearMapOptions& opt,
                                const EpochFn& progress, const EpochCheckFn& check) {
  opt.validate();
  const std::size_t d = p.x->cols();
  if (rows.empty()) rows = all_rows(p.size());
  common::Matrix w = identity(d);                                // [d, d]
  std::vector<float> g(d * d), m1(d * d, 0.f), m2(d * d, 0.f);  // gradient, Adam's moments: [d, d]
  common::Lcg rng(opt.seed);
  long step = 0;
  for (std::size_t e = 0; e < opt.epochs; ++e) {
    shuffle(rows, rng);
    for (std::size_t s = 0; s + 1 < rows.size(); s += opt.batch) {  // a last batch of one pair ranks nothing
      const std::vector<std::size_t> batch(rows.begin() + static_cast<std::ptrdiff_t>(s),
                                           rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), s + opt.batch)));
      map_loss_grad(w, p, batch, opt.decay, opt.scale, g.data());  // the decay toward I is in the gradient
      ++step;
      for (std::size_t o = 0; o < d; ++o)  // row by row: w's rows are padded to its leading dimension
        enc::adamw_step(w.row(o), g.data() + o * d, m1.data() + o * d, m2.data() + o * d, d, static_cast<float>(opt.lr),
                        0.9f, 0.999f, 1e-8f, 0.f, step);
    }
    if (progress) progress(e + 1, opt.epochs);
    if (check) check(e + 1, w);
  }
  return w;
}

const std::vector<double>& default_map_decays() {
  static const std::vector<double> d = {0.0, 1e-3, 1e-2, 1e-1};
  return d;
}

LinearMapChoice choose_linear_map(const StsPairs& p, const LinearMapOptions& opt, const std::vector<double>& decays,
                                  const EpochFn& progress) {
  opt.validate();
  const std::size_t n = p.size();
  if (n < kMinMapPairs)
    throw common::InputError("the linear map needs at least 10 train pairs (a tenth is held out to choose its settings); got " +
                             std::to_string(n));
  std::vector<std::size_t> rows = all_rows(n);
  common::Lcg rng(opt.seed ^ 0x5eedULL);
  shuffle(rows, rng);
  const std::size_t held = std::max<std::size_t>(2, n / 10);
  const std::vector<std::size_t> held_out(rows.end() - static_cast<std::ptrdiff_t>(held), rows.end());
  rows.resize(n - held);
  LinearMapChoice best;
  best.held_out_pairs = held;
  best.held_out_identity = map_spearman(identity(p.x->cols()), p, held_out);
  best.held_out = -1e300;
  std::size_t done = 0;
  for (double decay : decays) {
    LinearMapOptions o = opt;
    o.decay = decay;
    train_linear_map(p, rows, o, {}, [&](std::size_t epoch, const common::Matrix& w) {
      const double s = map_spearman(w, p, held_out);
      if (s > best.held_out) best.held_out = s, best.decay = decay, best.epochs = epoch;  // strict: ties keep the earlier
      if (progress) progress(++done, decays.size() * opt.epochs);
    });
  }
  if (best.epochs == 0) best.decay = decays.empty() ? 0.0 : decays[0], best.epochs = opt.epochs;  // no finite score
  return best;
}

}  // namespace cmp
