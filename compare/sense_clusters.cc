#include "compare/sense_clusters.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace cmp {

namespace {

// Union-find over items, for cutting the dendrogram.
std::size_t root(std::vector<std::size_t>& parent, std::size_t i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

bool usable(const float* row, std::size_t d) {
  bool nonzero = false;
  for (std::size_t j = 0; j < d; ++j) {
    if (!std::isfinite(row[j])) return false;
    nonzero = nonzero || row[j] != 0.f;
  }
  return nonzero;
}

}  // namespace

std::vector<double> cosine_distances(const common::Matrix& x) {
  const std::size_t n = x.rows(), d = x.cols();
  // Unit rows in double, then 1 - dot products (clamped to [0, 2] against rounding).
  std::vector<double> u(n * d);
  for (std::size_t i = 0; i < n; ++i) {
    double q = 0;
    for (std::size_t j = 0; j < d; ++j) q += static_cast<double>(x.row(i)[j]) * x.row(i)[j];
    const double s = q > 0 ? 1 / std::sqrt(q) : 0;
    for (std::size_t j = 0; j < d; ++j) u[i * d + j] = x.row(i)[j] * s;
  }
  std::vector<double> dist(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      double dot = 0;
      for (std::size_t c = 0; c < d; ++c) dot += u[i * d + c] * u[j * d + c];
      dist[i * n + j] = dist[j * n + i] = std::clamp(1 - dot, 0.0, 2.0);
    }
  return dist;
}

std::vector<Merge> average_linkage(std::vector<double> dist, std::size_t n) {
  std::vector<std::size_t> size(n, 1), chain;
  std::vector<char> active(n, 1);
  std::vector<Merge> merges;
  merges.reserve(n > 0 ? n - 1 : 0);
  // Nearest-neighbour chain: follow nearest neighbours until two clusters
  // are each other's nearest, merge them (slot min(a, b) keeps the union),
  // and go on from the rest of the chain. Average linkage is reducible, so
  // the merges, sorted by height, are those of the greedy algorithm.
  for (std::size_t left = n; left > 1;) {
    if (chain.empty()) chain.push_back(static_cast<std::size_t>(std::find(active.begin(), active.end(), 1) - active.begin()));
    const std::size_t a = chain.back(), prev = chain.size() >= 2 ? chain[chain.size() - 2] : SIZE_MAX;
    // The previous chain element wins ties (else the chain could cycle); then the smallest index.
    std::size_t b = prev;
    double best = prev != SIZE_MAX ? dist[a * n + prev] : std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < n; ++c)
      if (active[c] && c != a && (b == SIZE_MAX || dist[a * n + c] < best)) best = dist[a * n + c], b = c;
    if (b != prev) {
      chain.push_back(b);
      continue;
    }
    chain.resize(chain.size() - 2);
    const std::size_t keep = std::min(a, b), gone = std::max(a, b);
    const double wa = static_cast<double>(size[a]), wb = static_cast<double>(size[b]);
    for (std::size_t c = 0; c < n; ++c) {
      if (!active[c] || c == a || c == b) continue;
      const double v = (wa * dist[a * n + c] + wb * dist[b * n + c]) / (wa + wb);
      dist[keep * n + c] = dist[c * n + keep] = v;
    }
    size[keep] += size[gone];
    active[gone] = 0;
    merges.push_back({a, b, best});
    --left;
  }
  std::stable_sort(merges.begin(), merges.end(), [](const Merge& x, const Merge& y) { return x.height < y.height; });
  return merges;
}

std::vector<std::int64_t> cut_dendrogram(const std::vector<Merge>& merges, std::size_t n, std::size_t k) {
  std::vector<std::size_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  // The merges form a tree over the items: any n - k of them leave k components.
  const std::size_t apply = n > k ? std::min(n - k, merges.size()) : 0;
  for (std::size_t m = 0; m < apply; ++m) parent[root(parent, merges[m].a)] = root(parent, merges[m].b);
  std::vector<std::int64_t> labels(n), id(n, -1);
  std::int64_t next = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = root(parent, i);
    if (id[r] < 0) id[r] = next++;
    labels[i] = id[r];
  }
  return labels;
}

double mean_silhouette(const std::vector<double>& dist, std::size_t n, const std::vector<std::int64_t>& labels) {
  if (n == 0) return 0;
  const std::size_t k = static_cast<std::size_t>(*std::max_element(labels.begin(), labels.end())) + 1;
  if (k < 2) return 0;
  std::vector<std::size_t> count(k, 0);
  for (auto l : labels) ++count[static_cast<std::size_t>(l)];
  std::vector<double> sum(k);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto own = static_cast<std::size_t>(labels[i]);
    if (count[own] == 1) continue;  // s(i) = 0
    std::fill(sum.begin(), sum.end(), 0.0);
    for (std::size_t j = 0; j < n; ++j) sum[static_cast<std::size_t>(labels[j])] += dist[i * n + j];  // dist[i, i] = 0
    const double a = sum[own] / static_cast<double>(count[own] - 1);
    double b = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < k; ++c)
      if (c != own && count[c] > 0) b = std::min(b, sum[c] / static_cast<double>(count[c]));
    const double m = std::max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / static_cast<double>(n);
}

SenseClusters cluster_senses(const common::Matrix& x, std::size_t max_k) {
  const std::size_t n = x.rows(), d = x.cols();
  std::vector<std::size_t> known;
  for (std::size_t i = 0; i < n; ++i)
    if (usable(x.row(i), d)) known.push_back(i);
  const std::size_t m = known.size();
  common::Matrix y(m, d);  // the rows that have a vector [m, d]
  for (std::size_t r = 0; r < m; ++r) std::copy(x.row(known[r]), x.row(known[r]) + d, y.row(r));
  SenseClusters out;
  std::vector<std::int64_t> best(m, 0);
  out.k = m > 0 ? 1 : 0;
  if (m >= 3) {
    const std::vector<double> dist = cosine_distances(y);
    const std::vector<Merge> merges = average_linkage(dist, m);
    for (std::size_t k = 2; k <= std::min(max_k, m - 1); ++k) {
      auto labels = cut_dendrogram(merges, m, k);
      const double s = mean_silhouette(dist, m, labels);
      if (s > out.silhouette) out.silhouette = s, out.k = k, best = std::move(labels);  // ties: the smaller k
    }
  }
  out.labels.assign(n, -1);
  for (std::size_t r = 0; r < m; ++r) out.labels[known[r]] = best[r];
  std::int64_t next = static_cast<std::int64_t>(out.k);
  for (auto& l : out.labels)
    if (l < 0) l = next++;  // no vector: a cluster of its own
  return out;
}

}  // namespace cmp
