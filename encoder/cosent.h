// CoSENT (Su 2022), the ranking loss of supervised sentence similarity:
// for pairs i with gold scores s_i and cosines c_i of their two sentence
// vectors,
//   L = log(1 + Σ_{(i,j): s_i > s_j} exp(λ (c_j − c_i)))
// — every pair scored higher must have the higher cosine. Only the order of
// the gold scores matters, so no score scaling is needed. λ = 20 (the
// paper's). Shared by encoder fine-tuning and the static linear map of
// compare, so both sides of the comparison get the same supervision.
#pragma once

#include <cstddef>

namespace enc {

constexpr double kCosentScale = 20.0;

// L over n pairs; writes dc[n] = ∂L/∂c_i when dc is not null.
double cosent_loss(const double* cos, const float* gold, std::size_t n, double scale, double* dc);

// The same loss from the two sides' vectors a[n, d] and b[n, d] (row i of a
// and of b is pair i); writes da, db [n, d] = ∂L/∂a, ∂L/∂b when not null.
// A zero row has cosine 0 and gets no gradient.
double cosent_pairs_loss(const float* a, const float* b, std::size_t n, std::size_t d, const float* gold,
                         double scale, float* da, float* db);

}  // namespace enc
