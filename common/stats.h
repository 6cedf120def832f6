// Correlation statistics for evaluations (word similarity, STS, Lee).
#pragma once

#include <vector>

namespace common {

// Pearson correlation of x and y (same length); NaN if either is constant.
double pearson(const std::vector<double>& x, const std::vector<double>& y);
// Pearson of the ranks, ties given their average rank (scipy's spearmanr).
double spearman(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace common
