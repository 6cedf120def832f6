// The supervised STS rows of `compare --sts-train` (issue 15): a linear map W
// [d, d] over any sentence vectors, trained on STS-B train pairs with the
// CoSENT loss (enc::cosent_pairs_loss, the loss the encoder is fine-tuned
// with), so that static and encoder rows get the same supervision. The
// score of a pair is then cos(W x1, W x2).
//
// Training: W starts at the identity; Adam (β 0.9 / 0.999) on minibatches of
// `batch` pairs, shuffled per epoch from the seed; the objective of a batch is
// CoSENT + decay/2 ‖W − I‖² (weight decay toward the identity, 0 = none).
// choose_linear_map picks the decay and the number of epochs on a held-out
// slice of the train pairs (never on dev).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/aligned.h"
#include "encoder/cosent.h"

namespace cmp {

struct LinearMapOptions {
  std::size_t epochs = 10;    // passes over the train pairs
  std::size_t batch = 32;     // pairs per Adam step
  double lr = 1e-3;           // Adam's step size
  double decay = 0;           // L2 penalty toward the identity, decay/2 ‖W − I‖²
  double scale = enc::kCosentScale;
  std::uint64_t seed = 1;     // the minibatch order
  // Throws OptionError for a zero batch or epoch count, a step size or decay out of range.
  void validate() const;
};

// Pairs in the STS layout of compare: x[2n, d], rows 0..n-1 the first
// sentences, n..2n-1 the second; gold[n].
struct StsPairs {
  const common::Matrix* x = nullptr;
  const std::vector<double>* gold = nullptr;
  std::size_t size() const { return gold ? gold->size() : 0; }
};

// The objective of the pairs `rows` (indices into p) under W [d_out = d,
// d_in = d], and its gradient dW [d, d] (contiguous, row-major) when dw is
// not null: CoSENT over a_i = W x1_i, b_i = W x2_i with dW = Σ da_i x1_iᵀ +
// db_i x2_iᵀ, plus decay/2 ‖W − I‖². Fast (BLAS) and plain reference twin.
double map_loss_grad(const common::Matrix& w, const StsPairs& p, const std::vector<std::size_t>& rows, double decay,
                     double scale, float* dw);
double map_loss_grad_ref(const common::Matrix& w, const StsPairs& p, const std::vector<std::size_t>& rows,
                         double decay, double scale, float* dw);

// x W^T: [n, d] -> [n, d] (a zero row stays zero).
common::Matrix apply_map(const common::Matrix& w, const common::Matrix& x);

// Spearman x100 of cos(W x1_i, W x2_i) against gold over the pairs `rows`.
double map_spearman(const common::Matrix& w, const StsPairs& p, const std::vector<std::size_t>& rows);

// Reports epochs done of the total (for progress lines); may be empty.
using EpochFn = std::function<void(std::size_t done, std::size_t total)>;
// Called after each epoch with the epoch (from 1) and W (for held-out checks); may be empty.
using EpochCheckFn = std::function<void(std::size_t epoch, const common::Matrix& w)>;

// W [d, d] trained on the pairs `rows` of p (all pairs when rows is empty).
common::Matrix train_linear_map(const StsPairs& p, std::vector<std::size_t> rows, const LinearMapOptions& opt,
                                const EpochFn& progress = {}, const EpochCheckFn& check = {});

// The fewest train pairs choose_linear_map takes.
constexpr std::size_t kMinMapPairs = 10;

// The settings chosen on train and what the held-out slice said.
struct LinearMapChoice {
  double decay = 0;
  std::size_t epochs = 0;
  std::size_t held_out_pairs = 0;
  double held_out = 0;           // Spearman x100 of the chosen map on the held-out pairs
  double held_out_identity = 0;  // the same without a map (W = I)
};

// Holds out a tenth of the train pairs (shuffled from opt.seed), trains on
// the rest for opt.epochs with each decay of `decays`, and keeps the decay
// and epoch count (1..opt.epochs) of the best held-out Spearman (ties: the
// smaller decay, then fewer epochs). Throws InputError for fewer than 10 pairs.
LinearMapChoice choose_linear_map(const StsPairs& p, const LinearMapOptions& opt, const std::vector<double>& decays,
                                  const EpochFn& progress = {});

// The decays choose_linear_map tries by default: none, 1e-3, 1e-2, 1e-1.
const std::vector<double>& default_map_decays();

}  // namespace cmp
