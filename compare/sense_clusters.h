// Clustering the context vectors of one word into senses, deterministically:
// agglomerative clustering with average linkage (UPGMA) on cosine distance,
// the number of clusters k chosen by the mean silhouette over
// k = 2..min(max_k, n - 1); k = 1 when no k has a positive silhouette.
// Zero vectors (a context with no vector for the method) are not clustered:
// each becomes a cluster of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/aligned.h"

namespace cmp {

// Cosine distances 1 - cos(x_i, x_j) of the rows of x [n, d], as a full
// symmetric n x n matrix (row-major, zero diagonal). Rows must be non-zero.
std::vector<double> cosine_distances(const common::Matrix& x);

struct Merge {
  std::size_t a = 0, b = 0;  // two items of the two clusters merged
  double height = 0;         // average distance between them
};

// The n - 1 merges of average-linkage clustering of the distance matrix
// dist [n x n], in order of height (ties: in the order they were found).
// Nearest-neighbour chain algorithm: O(n^2) time; equal distances go to the
// previous cluster of the chain, then to the smaller index, so the result
// depends on nothing but the matrix.
std::vector<Merge> average_linkage(std::vector<double> dist, std::size_t n);

// Cluster labels 0..k-1 (numbered by their first item) after the first
// n - k merges: the dendrogram cut into k clusters.
std::vector<std::int64_t> cut_dendrogram(const std::vector<Merge>& merges, std::size_t n, std::size_t k);

// Mean silhouette of a labelling over dist [n x n]: per item
// (b - a) / max(a, b), a = mean distance to the rest of its cluster, b =
// the smallest mean distance to another cluster; 0 for an item alone in its
// cluster (scikit-learn's convention). 0 if there is only one cluster.
double mean_silhouette(const std::vector<double>& dist, std::size_t n, const std::vector<std::int64_t>& labels);

struct SenseClusters {
  std::vector<std::int64_t> labels;  // one per row of the input
  std::size_t k = 0;                 // clusters among the non-zero rows (singletons of zero rows not counted)
  double silhouette = 0;             // mean silhouette of the chosen k (0 for k = 1)
};

// Clusters the rows of x [n, d] as described at the top of this file.
SenseClusters cluster_senses(const common::Matrix& x, std::size_t max_k = 10);

}  // namespace cmp
