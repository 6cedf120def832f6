// Attention rollout (Abnar & Zuidema 2020): how far each token's
// information has travelled after 1, 2, ... L layers. Per layer the
// attention mixed with the residual connection, A_l = 0.5·mean_h(attn_l) +
// 0.5·I, rows renormalised; rolled out R_l = A_l · R_{l-1} (R_{-1} = I):
// row i of R_l says how much of each input position reaches token i after
// layer l. With a sliding window ±W every layer moves information at most W
// positions, so after l layers it reaches at most l·W: stacked windowed
// layers still let distant words influence each other.
#pragma once

#include <cstddef>
#include <vector>

#include "compare/inspect.h"
#include "encoder/model.h"

namespace cmp {

struct Rollout {
  std::size_t layers = 0, seq = 0;
  std::vector<float> r;  // [L, T, T] R_l, row i: the share of each input position in token i after layer l
  const float* at(std::size_t layer) const { return r.data() + layer * seq * seq; }
};

// Rolls out maps[L][T·T] (each the layer's attention rows, e.g. the mean over
// its heads). Rows of every R_l sum to 1. InputError when a map is not T·T.
Rollout rollout(const std::vector<std::vector<float>>& maps, std::size_t seq);
// The same from every layer's mean over its heads.
Rollout rollout(const AttentionMaps& maps);

// How far information reaches after one layer of a rollout.
struct Reach {
  std::size_t layer = 0;
  double mean_reach = 0;      // mean over tokens i of max |i - j| with R[i, j] > 0
  std::size_t max_reach = 0;  // the largest of those
  double mean_distance = 0;   // mean over i of Σ_j R[i, j]·|i - j| (the rollout-weighted distance)
  double mass_beyond = 0;     // mean over i of Σ_{|i-j| > window} R[i, j] (window 0: 0)
};
// One Reach per layer; `window` is the distance the mass is measured beyond.
std::vector<Reach> rollout_reach(const Rollout& r, std::size_t window);

// Positions a window of ±window lets information cross in `layers` layers,
// as far as a sequence of seq tokens allows: min(seq - 1, layers·window)
// (window 0, full attention: seq - 1 after one layer).
std::size_t structural_reach(std::size_t seq, std::size_t window, std::size_t layers);

// A copy of the model with the same weights whose attention is a sliding
// window of ±window (0: full): the window applied at inference to weights
// that may have been trained with another one.
enc::Encoder with_window(const enc::Encoder& model, std::size_t window);

}  // namespace cmp
