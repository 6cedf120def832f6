// Statistics for evaluations: correlations (word similarity, STS, Lee) and
// the agreement of two partitions (word sense induction).
#pragma once

#include <cstdint>
#include <vector>

namespace common {

// Pearson correlation of x and y (same length); NaN if either is constant.
double pearson(const std::vector<double>& x, const std::vector<double>& y);
// Pearson of the ranks, ties given their average rank (scipy's spearmanr).
double spearman(const std::vector<double>& x, const std::vector<double>& y);

// Adjusted Rand index (Hubert & Arabie 1985) of two labelings of the same
// items (same length; label values are arbitrary ids): 1 for the same
// partition, about 0 for independent ones, negative below chance. As
// scikit-learn's adjusted_rand_score, 1 when the chance-corrected
// denominator vanishes (both labelings put everything in one cluster, or
// both make every item its own cluster, or fewer than 2 items).
double adjusted_rand_index(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b);

}  // namespace common
