// Unsupervised SimCSE (Gao et al. 2021): every sentence is encoded twice
// with different dropout masks; each first view must pick its own second
// view among the batch (InfoNCE over cosine similarities / temperature).
#pragma once

#include <cstddef>

namespace enc {

// z[2B, d]: rows 0..B-1 the first views, B..2B-1 the second views.
// Returns the mean InfoNCE loss and writes dz[2B, d] (when dz is not null);
// *correct counts first views whose most similar second view is their own.
double simcse_loss(const float* z, std::size_t b, std::size_t d, float temperature, float* dz,
                   std::size_t* correct = nullptr);

}  // namespace enc
