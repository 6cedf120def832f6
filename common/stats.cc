#include "common/stats.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace common {

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n, my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : std::nan("");
}

namespace {
std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<std::size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i;
    while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) ++j;
    const double avg = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (std::size_t t = i; t <= j; ++t) r[idx[t]] = avg;
    i = j + 1;
  }
  return r;
}
}  // namespace

double spearman(const std::vector<double>& x, const std::vector<double>& y) { return pearson(ranks(x), ranks(y)); }

double adjusted_rand_index(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("adjusted_rand_index: labelings of different lengths");
  auto pairs = [](std::uint64_t n) { return static_cast<double>(n) * static_cast<double>(n > 0 ? n - 1 : 0) / 2; };
  // Contingency table and its margins; sums of C(count, 2).
  std::map<std::pair<std::int64_t, std::int64_t>, std::uint64_t> cells;
  std::map<std::int64_t, std::uint64_t> rows, cols;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ++cells[{a[i], b[i]}];
    ++rows[a[i]];
    ++cols[b[i]];
  }
  double both = 0, in_a = 0, in_b = 0;
  for (const auto& c : cells) both += pairs(c.second);
  for (const auto& r : rows) in_a += pairs(r.second);
  for (const auto& c : cols) in_b += pairs(c.second);
  const double total = pairs(a.size());
  // The denominator below is 0 exactly in these two cases (the pair sums are
  // whole numbers, exact in a double).
  if (in_a == in_b && (in_a == 0 || in_a == total)) return 1.0;
  const double expected = in_a * in_b / total, best = (in_a + in_b) / 2;
  return (both - expected) / (best - expected);
}

}  // namespace common
