#include "compare/wic_classifier.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>

#include "common/errors.h"
#include "common/rng.h"

namespace cmp {

namespace {

double softplus(double t) { return t > 0 ? t + std::log1p(std::exp(-t)) : std::log1p(std::exp(t)); }

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

std::vector<std::size_t> all_rows(std::size_t n) {
  std::vector<std::size_t> r(n);
  std::iota(r.begin(), r.end(), std::size_t{0});
  return r;
}

// The L-BFGS direction −H g from the stored (s, y) pairs (two-loop recursion).
std::vector<double> lbfgs_direction(const std::vector<double>& g, const std::deque<std::vector<double>>& s,
                                    const std::deque<std::vector<double>>& y) {
  std::vector<double> q = g, alpha(s.size());
  for (std::size_t k = s.size(); k-- > 0;) {
    alpha[k] = dot(s[k], q) / dot(y[k], s[k]);
    for (std::size_t i = 0; i < q.size(); ++i) q[i] -= alpha[k] * y[k][i];
  }
  const double gamma = s.empty() ? 1.0 : dot(s.back(), y.back()) / dot(y.back(), y.back());
  for (double& v : q) v *= gamma;
  for (std::size_t k = 0; k < s.size(); ++k) {
    const double beta = dot(y[k], q) / dot(y[k], s[k]);
    for (std::size_t i = 0; i < q.size(); ++i) q[i] += (alpha[k] - beta) * s[k][i];
  }
  for (double& v : q) v = -v;
  return q;
}

common::Matrix copy_of(const common::Matrix& x) {
  common::Matrix y(x.rows(), x.cols());  // same shape and ld
  if (x.rows() > 0) std::copy(x.data(), x.data() + x.rows() * x.ld(), y.data());
  return y;
}

}  // namespace

common::Matrix wic_pair_features(const common::Matrix& u, const common::Matrix& v) {
  if (u.rows() != v.rows() || u.cols() != v.cols()) throw common::InputError("WiC features: u and v differ in shape");
  const std::size_t n = u.rows(), d = u.cols();
  common::Matrix f(n, 2 * d + 1);  // [n, 2d + 1]
  for (std::size_t r = 0; r < n; ++r) {
    double uv = 0, uu = 0, vv = 0;
    for (std::size_t j = 0; j < d; ++j) {
      const double a = u.at(r, j), b = v.at(r, j);
      f.at(r, j) = static_cast<float>(a * b);
      f.at(r, d + j) = static_cast<float>(std::fabs(a - b));
      uv += a * b, uu += a * a, vv += b * b;
    }
    f.at(r, 2 * d) = uu > 0 && vv > 0 ? static_cast<float>(uv / std::sqrt(uu * vv)) : 0.f;
  }
  return f;
}

Standardizer Standardizer::fit(const common::Matrix& x) {
  Standardizer s;
  const std::size_t n = x.rows(), p = x.cols();
  s.mean.assign(p, 0.0), s.scale.assign(p, 1.0);
  if (n == 0) return s;
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t j = 0; j < p; ++j) s.mean[j] += x.at(r, j);
  for (double& m : s.mean) m /= static_cast<double>(n);
  std::vector<double> var(p, 0.0);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t j = 0; j < p; ++j) var[j] += (x.at(r, j) - s.mean[j]) * (x.at(r, j) - s.mean[j]);
  for (std::size_t j = 0; j < p; ++j) {
    const double sd = std::sqrt(var[j] / static_cast<double>(n));
    s.scale[j] = sd > 1e-12 ? sd : 1.0;
  }
  return s;
}

void Standardizer::apply(common::Matrix& x) const {
  if (x.cols() != mean.size()) throw common::InputError("standardiser: the features are not of the train features' width");
  for (std::size_t r = 0; r < x.rows(); ++r)
    for (std::size_t j = 0; j < x.cols(); ++j) x.at(r, j) = static_cast<float>((x.at(r, j) - mean[j]) / scale[j]);
}

double logistic_loss_grad(const common::Matrix& x, const std::vector<bool>& y, const std::vector<std::size_t>& rows,
                          const std::vector<double>& wb, double lambda, std::vector<double>* grad) {
  const std::size_t p = x.cols();
  if (wb.size() != p + 1 || y.size() != x.rows()) throw common::InputError("logistic regression: weights or labels of the wrong size");
  if (grad) grad->assign(p + 1, 0.0);
  double loss = 0;
  for (std::size_t r : rows) {
    const float* xr = x.row(r);
    double z = wb[p];
    for (std::size_t j = 0; j < p; ++j) z += wb[j] * xr[j];
    loss += softplus(y[r] ? -z : z);
    if (grad) {
      const double e = 1.0 / (1.0 + std::exp(-z)) - (y[r] ? 1.0 : 0.0);  // σ(z) − y
      for (std::size_t j = 0; j < p; ++j) (*grad)[j] += e * xr[j];
      (*grad)[p] += e;
    }
  }
  const double inv = rows.empty() ? 0.0 : 1.0 / static_cast<double>(rows.size());
  double pen = 0;
  for (std::size_t j = 0; j < p; ++j) pen += wb[j] * wb[j];
  if (grad) {
    for (double& g : *grad) g *= inv;
    for (std::size_t j = 0; j < p; ++j) (*grad)[j] += lambda * wb[j];
  }
  return loss * inv + 0.5 * lambda * pen;
}

LogisticModel fit_logistic(const common::Matrix& x, const std::vector<bool>& y, const std::vector<std::size_t>& rows,
                           double lambda, const LbfgsOptions& opt, const LogisticModel* start) {
  const std::size_t p = x.cols();
  std::vector<double> wb(p + 1, 0.0), g, gn;
  if (start && start->w.size() == p) std::copy(start->w.begin(), start->w.end(), wb.begin()), wb[p] = start->b;
  double f = logistic_loss_grad(x, y, rows, wb, lambda, &g);
  std::deque<std::vector<double>> s_hist, y_hist;
  for (std::size_t it = 0; it < opt.max_iter && std::sqrt(dot(g, g)) > opt.tolerance; ++it) {
    std::vector<double> d = lbfgs_direction(g, s_hist, y_hist);
    double slope = dot(g, d);
    if (!(slope < 0)) {  // not a descent direction: restart from the gradient
      s_hist.clear(), y_hist.clear();
      for (std::size_t i = 0; i <= p; ++i) d[i] = -g[i];
      slope = dot(g, d);
    }
    double t = s_hist.empty() ? std::min(1.0, 1.0 / std::sqrt(dot(g, g))) : 1.0, fn = f;
    std::vector<double> wn(p + 1);
    for (int k = 0; k < 50; ++k, t *= 0.5) {
      for (std::size_t i = 0; i <= p; ++i) wn[i] = wb[i] + t * d[i];
      fn = logistic_loss_grad(x, y, rows, wn, lambda, &gn);
      if (fn <= f + 1e-4 * t * slope) break;
    }
    if (!(fn < f)) break;  // no progress left at double precision
    std::vector<double> s(p + 1), yv(p + 1);
    for (std::size_t i = 0; i <= p; ++i) s[i] = wn[i] - wb[i], yv[i] = gn[i] - g[i];
    if (dot(s, yv) > 1e-12) {
      s_hist.push_back(std::move(s)), y_hist.push_back(std::move(yv));
      if (s_hist.size() > opt.memory) s_hist.pop_front(), y_hist.pop_front();
    }
    const bool flat = f - fn < 1e-12 * std::max(1.0, std::fabs(f));
    wb.swap(wn), g.swap(gn), f = fn;
    if (flat) break;
  }
  LogisticModel m;
  m.w.assign(wb.begin(), wb.begin() + static_cast<std::ptrdiff_t>(p));
  m.b = wb[p];
  return m;
}

double logistic_accuracy(const LogisticModel& m, const common::Matrix& x, const std::vector<bool>& y,
                         const std::vector<std::size_t>& rows) {
  const std::vector<std::size_t> all = rows.empty() ? all_rows(x.rows()) : rows;
  if (all.empty()) return 0;
  std::size_t good = 0;
  for (std::size_t r : all) {
    double z = m.b;
    for (std::size_t j = 0; j < x.cols(); ++j) z += m.w[j] * x.at(r, j);
    good += (z >= 0) == y[r] ? 1 : 0;
  }
  return 100.0 * static_cast<double>(good) / static_cast<double>(all.size());
}

WicClassifier train_wic_classifier(const common::Matrix& x_raw, const std::vector<bool>& y, const std::vector<double>& lambdas,
                                   std::size_t folds, std::uint64_t seed,
                                   const std::function<void(std::size_t, std::size_t)>& progress) {
  const std::size_t n = x_raw.rows();
  if (folds < 2 || n < folds) throw common::InputError("WiC classifier: " + std::to_string(n) + " train items for " + std::to_string(folds) + " folds");
  if (std::all_of(y.begin(), y.end(), [&](bool v) { return v == y[0]; }))
    throw common::InputError("WiC classifier: the train labels are all of one class");
  if (lambdas.empty()) throw common::InputError("WiC classifier: no penalty to try");
  WicClassifier c;
  c.standardizer = Standardizer::fit(x_raw);
  common::Matrix x = copy_of(x_raw);  // [n, p] standardised
  c.standardizer.apply(x);
  std::vector<std::size_t> order = all_rows(n);
  common::Lcg rng(seed);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(static_cast<std::uint32_t>(i))]);
  // Larger penalties first: each fit starts from the previous one of the fold.
  std::vector<double> grid = lambdas;
  std::sort(grid.rbegin(), grid.rend());
  std::vector<double> acc(grid.size(), 0.0);
  const std::size_t total = folds * grid.size() + 1;
  std::size_t done = 0;
  for (std::size_t f = 0; f < folds; ++f) {
    std::vector<std::size_t> fit_rows, test_rows;
    for (std::size_t i = 0; i < n; ++i) (i % folds == f ? test_rows : fit_rows).push_back(order[i]);
    LogisticModel m;
    for (std::size_t l = 0; l < grid.size(); ++l) {
      m = fit_logistic(x, y, fit_rows, grid[l], {}, l ? &m : nullptr);
      acc[l] += logistic_accuracy(m, x, y, test_rows) / static_cast<double>(folds);
      if (progress) progress(++done, total);
    }
  }
  std::size_t best = 0;  // strictly better only: ties keep the larger penalty
  for (std::size_t l = 1; l < grid.size(); ++l)
    if (acc[l] > acc[best] + 1e-9) best = l;
  c.lambda = grid[best], c.cv_accuracy = acc[best];
  c.model = fit_logistic(x, y, all_rows(n), c.lambda);
  c.train_accuracy = logistic_accuracy(c.model, x, y);
  if (progress) progress(total, total);
  return c;
}

double wic_classifier_accuracy(const WicClassifier& c, const common::Matrix& x_raw, const std::vector<bool>& y) {
  common::Matrix x = copy_of(x_raw);
  c.standardizer.apply(x);
  return logistic_accuracy(c.model, x, y);
}

const std::vector<double>& default_wic_lambdas() {
  static const std::vector<double> l = {1e-4, 1e-3, 1e-2, 1e-1, 1.0};
  return l;
}

}  // namespace cmp
