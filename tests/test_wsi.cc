// Word sense induction, the clustering side: the adjusted Rand index
// (against a pair-counting twin), average-linkage clustering (against a
// naive twin) with the silhouette-chosen k.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "common/rng.h"
#include "common/stats.h"
#include "compare/sense_clusters.h"

namespace {

// ARI from the four pair counts (same cluster in a / in b), a formula
// independent of the contingency-table one under test.
double ari_by_pairs(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  double tp = 0, fp = 0, fn = 0, tn = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = i + 1; j < a.size(); ++j) {
      const bool sa = a[i] == a[j], sb = b[i] == b[j];
      (sa && sb ? tp : sa ? fn : sb ? fp : tn) += 1;
    }
  if (fn == 0 && fp == 0) return 1.0;
  return 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

// Greedy average linkage straight from the definition: merge the two
// clusters with the smallest mean pairwise distance, until k are left.
std::vector<std::set<std::size_t>> naive_average_linkage(const std::vector<double>& d, std::size_t n, std::size_t k) {
  std::vector<std::set<std::size_t>> c(n);
  for (std::size_t i = 0; i < n; ++i) c[i] = {i};
  while (c.size() > k) {
    double best = std::numeric_limits<double>::infinity();
    std::size_t bi = 0, bj = 1;
    for (std::size_t i = 0; i < c.size(); ++i)
      for (std::size_t j = i + 1; j < c.size(); ++j) {
        double s = 0;
        for (auto x : c[i])
          for (auto y : c[j]) s += d[x * n + y];
        s /= static_cast<double>(c[i].size() * c[j].size());
        if (s < best) best = s, bi = i, bj = j;
      }
    c[bi].insert(c[bj].begin(), c[bj].end());
    c.erase(c.begin() + static_cast<std::ptrdiff_t>(bj));
  }
  return c;
}

std::set<std::set<std::size_t>> partition(const std::vector<std::int64_t>& labels) {
  std::map<std::int64_t, std::set<std::size_t>> by;
  for (std::size_t i = 0; i < labels.size(); ++i) by[labels[i]].insert(i);
  std::set<std::set<std::size_t>> out;
  for (auto& [l, s] : by) out.insert(s);
  return out;
}

double uniform(common::Lcg& g) { return static_cast<double>(g.below(1u << 30)) / (1u << 30); }

// n points per centre around the given unit directions (noise `spread`), interleaved.
common::Matrix blobs(const std::vector<std::vector<float>>& centres, std::size_t n, double spread, std::vector<std::int64_t>* truth) {
  const std::size_t d = centres[0].size();
  common::Matrix x(centres.size() * n, d);
  common::Lcg g(5);
  for (std::size_t i = 0; i < x.rows(); ++i) {
    const std::size_t c = i % centres.size();
    truth->push_back(static_cast<std::int64_t>(c));
    for (std::size_t j = 0; j < d; ++j) x.row(i)[j] = centres[c][j] + static_cast<float>(spread * (uniform(g) - 0.5));
  }
  return x;
}

}  // namespace

TEST_CASE("adjusted Rand index: hand-computed values, identical and random labelings") {
  // Contingency (0,0)=2 (0,1)=1 (1,1)=1 (1,2)=2: index 2, expected 6*3/15 = 1.2, max 4.5 -> 0.8/3.3.
  CHECK(common::adjusted_rand_index({0, 0, 0, 1, 1, 1}, {0, 0, 1, 1, 2, 2}) == doctest::Approx(0.8 / 3.3));
  // Every pair disagrees where it can: index 0, expected 2/3, max 2 -> -0.5.
  CHECK(common::adjusted_rand_index({0, 0, 1, 1}, {0, 1, 0, 1}) == doctest::Approx(-0.5));
  // The same partition under other label values.
  CHECK(common::adjusted_rand_index({5, 5, 7, 7, 9}, {1, 1, 0, 0, 3}) == 1.0);
  // One predicted cluster against two senses: exactly 0 (the static row).
  CHECK(common::adjusted_rand_index({1, 2, 1, 2, 2}, {0, 0, 0, 0, 0}) == 0.0);
  // All singletons against two senses: 0 too; both trivial and equal: 1 (scikit-learn's convention).
  CHECK(common::adjusted_rand_index({1, 2, 1, 2}, {0, 1, 2, 3}) == 0.0);
  CHECK(common::adjusted_rand_index({3, 3, 3}, {0, 0, 0}) == 1.0);
  CHECK(common::adjusted_rand_index({}, {}) == 1.0);
  CHECK_THROWS_AS(common::adjusted_rand_index({1, 2}, {1}), std::invalid_argument);

  common::Lcg g(42);
  for (int trial = 0; trial < 20; ++trial) {  // the reference twin on random labelings
    const std::size_t n = 2 + g.below(40);
    std::vector<std::int64_t> a(n), b(n);
    for (std::size_t i = 0; i < n; ++i) a[i] = g.below(1 + trial % 4), b[i] = g.below(1 + trial % 5);
    CHECK(common::adjusted_rand_index(a, b) == doctest::Approx(ari_by_pairs(a, b)).epsilon(1e-12));
  }
  std::vector<std::int64_t> a(20000), b(20000);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = g.below(4), b[i] = g.below(3);
  CHECK(std::abs(common::adjusted_rand_index(a, b)) < 0.01);  // independent labelings: about 0
}

TEST_CASE("average linkage equals the greedy definition and the silhouette matches a hand computation") {
  common::Lcg g(9);
  for (int trial = 0; trial < 5; ++trial) {
    const std::size_t n = 12 + static_cast<std::size_t>(trial);
    common::Matrix x(n, 5);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < 5; ++j) x.row(i)[j] = static_cast<float>(uniform(g) - 0.3);
    const auto dist = cmp::cosine_distances(x);
    const auto merges = cmp::average_linkage(dist, n);
    REQUIRE(merges.size() == n - 1);
    for (std::size_t m = 1; m < merges.size(); ++m) CHECK(merges[m - 1].height <= merges[m].height);
    for (std::size_t k = 1; k <= n; k += 3) {
      const auto want = naive_average_linkage(dist, n, k);
      const auto got = partition(cmp::cut_dendrogram(merges, n, k));
      CHECK(got == std::set<std::set<std::size_t>>(want.begin(), want.end()));
    }
  }
  // Points 0, 1, 10, 11 on a line, clusters {0, 1} and {10, 11}:
  // s = (10.5 - 1) / 10.5 for the outer points, (9.5 - 1) / 9.5 for the inner ones.
  const double p[4] = {0, 1, 10, 11};
  std::vector<double> d(16);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) d[i * 4 + j] = std::abs(p[i] - p[j]);
  CHECK(cmp::mean_silhouette(d, 4, {0, 0, 1, 1}) == doctest::Approx((9.5 / 10.5 + 8.5 / 9.5) / 2));
  CHECK(cmp::mean_silhouette(d, 4, {0, 0, 0, 0}) == 0.0);
  CHECK(cmp::mean_silhouette(d, 4, {0, 1, 1, 1}) < 0.5);  // a worse split scores lower
}

TEST_CASE("silhouette-chosen k recovers well-separated clusters; identical and zero rows") {
  std::vector<std::int64_t> truth;
  const common::Matrix x = blobs({{1, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0}, {0, 0, 1, 0, 0, 0}, {0, 0, 0, 1, 1, 0}}, 7, 0.3, &truth);
  const auto c = cmp::cluster_senses(x);
  CHECK(c.k == 4);
  CHECK(c.silhouette > 0.5);
  CHECK(common::adjusted_rand_index(truth, c.labels) == 1.0);
  // Two clusters: k = 2, not more.
  std::vector<std::int64_t> t2;
  const auto c2 = cmp::cluster_senses(blobs({{1, 0, 0}, {0, 0, 1}}, 9, 0.2, &t2));
  CHECK(c2.k == 2);
  CHECK(common::adjusted_rand_index(t2, c2.labels) == 1.0);

  // Identical vectors: no k has a positive silhouette -> one cluster.
  common::Matrix same(6, 3);
  for (std::size_t i = 0; i < 6; ++i) same.row(i)[0] = 0.3f, same.row(i)[2] = -1.f;
  auto one = cmp::cluster_senses(same);
  CHECK(one.k == 1);
  CHECK(std::set<std::int64_t>(one.labels.begin(), one.labels.end()).size() == 1);
  // Zero rows (no vector) each make a cluster of their own; the others are clustered.
  same.row(1)[0] = same.row(1)[2] = 0.f;
  same.row(4)[0] = same.row(4)[2] = 0.f;
  one = cmp::cluster_senses(same);
  CHECK(one.k == 1);
  CHECK(one.labels == std::vector<std::int64_t>{0, 1, 0, 0, 2, 0});
  // k never exceeds max_k nor n - 1.
  std::vector<std::int64_t> t3;
  CHECK(cmp::cluster_senses(blobs({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, 1, 0.0, &t3)).k <= 2);
}
