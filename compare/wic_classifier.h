// The supervised WiC rows of `compare` (issue 15): a logistic-regression
// classifier on the pair of target vectors u, v of an item, features
// [u⊙v, |u−v|, cos(u, v)] standardised on the train split. The L2 penalty is
// chosen by k-fold cross-validation on train (never on dev), then the model
// is fitted on all of train by L-BFGS (plain code, deterministic). The same
// classifier serves the static side (±window average vectors) and the
// encoder side (the target's contextual state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "common/aligned.h"

namespace cmp {

// [n, 2d + 1]: u⊙v, |u − v| and cos(u, v) (0 when either is zero) of the rows of u[n, d], v[n, d].
common::Matrix wic_pair_features(const common::Matrix& u, const common::Matrix& v);

// Per-column mean and standard deviation of the train features.
struct Standardizer {
  std::vector<double> mean, scale;  // [p]; scale 1 for a constant column
  static Standardizer fit(const common::Matrix& x);
  // x[n, p] -> (x − mean) / scale, in place.
  void apply(common::Matrix& x) const;
};

// P(same sense) = σ(w·x + b).
struct LogisticModel {
  std::vector<double> w;  // [p]
  double b = 0;
};

// The mean log-loss over `rows` of x[n, p] plus lambda/2 ‖w‖² (b not
// penalised); *grad gets the gradient [p + 1] (w, then b) when not null.
// wb holds w then b.
double logistic_loss_grad(const common::Matrix& x, const std::vector<bool>& y, const std::vector<std::size_t>& rows,
                          const std::vector<double>& wb, double lambda, std::vector<double>* grad);

struct LbfgsOptions {
  std::size_t max_iter = 300;
  std::size_t memory = 10;
  double tolerance = 1e-5;  // stop when ‖gradient‖₂ falls below it
};

// Minimises logistic_loss_grad over `rows` by L-BFGS with a backtracking
// (Armijo) line search, from `start` (zeros when null).
LogisticModel fit_logistic(const common::Matrix& x, const std::vector<bool>& y, const std::vector<std::size_t>& rows,
                           double lambda, const LbfgsOptions& opt = {}, const LogisticModel* start = nullptr);

// Accuracy x100 of "same iff w·x + b >= 0" over `rows` (all rows when empty).
double logistic_accuracy(const LogisticModel& m, const common::Matrix& x, const std::vector<bool>& y,
                         const std::vector<std::size_t>& rows = {});

struct WicClassifier {
  Standardizer standardizer;
  LogisticModel model;
  double lambda = 0;          // chosen by cross-validation
  double cv_accuracy = 0;     // x100, mean over the folds, at lambda
  double train_accuracy = 0;  // x100, of the final model on all of train
};

// Fits a WicClassifier on the train features x[n, p] (raw, standardised
// here) with labels y: lambda from `lambdas` by `folds`-fold cross-validated
// accuracy (folds from a shuffle seeded by seed; ties go to the larger
// lambda). progress(done, total) counts the fits. Throws InputError for
// fewer items than folds, or labels of one class only.
WicClassifier train_wic_classifier(const common::Matrix& x, const std::vector<bool>& y, const std::vector<double>& lambdas,
                                   std::size_t folds, std::uint64_t seed,
                                   const std::function<void(std::size_t, std::size_t)>& progress = {});

// Accuracy x100 of the classifier on raw features x[n, p] (standardised as train's).
double wic_classifier_accuracy(const WicClassifier& c, const common::Matrix& x, const std::vector<bool>& y);

// The penalties train_wic_classifier tries in compare: 1e-4, 1e-3, 1e-2, 1e-1, 1.
const std::vector<double>& default_wic_lambdas();

}  // namespace cmp
