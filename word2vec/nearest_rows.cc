#include "word2vec/nearest_rows.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/blas.h"
#include "common/parallel.h"
#include "common/simd.h"

namespace w2v {

namespace {

// Shares of the fp16 scan (the fp16 pass is memory-bound: two are enough).
constexpr int kScanThreads = 2;

bool better(const common::Hit& a, const common::Hit& b) { return a.score != b.score ? a.score > b.score : a.id < b.id; }

// Rows that must not match get NaN, which top_k skips.
void mask(std::vector<float>& scores, std::span<const std::int32_t> never) {
  for (auto id : never)
    if (static_cast<std::size_t>(id) < scores.size()) scores[static_cast<std::size_t>(id)] = std::numeric_limits<float>::quiet_NaN();
}

}  // namespace

HalfMatrix fast_copy(const common::Matrix& unit) {
  if (!HalfMatrix::fast() || unit.rows() < kFastMinRows) return {};
  return HalfMatrix(unit);
}

std::vector<common::Hit> nearest_rows(const common::Matrix& unit, const HalfMatrix& half, std::size_t n, const float* q,
                                      std::size_t k, std::span<const std::int32_t> exclude,
                                      std::span<const std::int32_t> never) {
  std::vector<float> scores(n);  // [n]
  if (k == 0 || n == 0) return {};
  if (half.rows() >= n && n >= kFastMinRows) {
    // Approximate pass over the fp16 copy, split over the pool.
    common::ThreadPool::shared().run(kScanThreads, [&](int ith, int nth) {
      const auto [begin, end] = common::split_range(n, ith, nth);
      half.dots(q, begin, end, scores.data() + begin);
    });
    mask(scores, never);
    const std::size_t c = k + exclude.size() + 32;
    auto cand = common::top_k(scores.data(), n, c, exclude);
    // Every row of the true top k has approx >= (k-th approx) - 2·err; if the
    // candidate list reaches below that bound, it holds all such rows.
    if (cand.size() > k && cand.back().score < cand[k - 1].score - 2 * kHalfDotError) {
      std::vector<float> exact(cand.size());
      for (std::size_t i = 0; i < cand.size(); ++i)
        exact[i] = common::dot(unit.row(static_cast<std::size_t>(cand[i].id)), q, unit.ld());
      auto best = common::top_k(exact.data(), exact.size(), k, {});
      for (auto& h : best) h.id = cand[static_cast<std::size_t>(h.id)].id;
      // top_k broke score ties by candidate position; restore id order.
      std::stable_sort(best.begin(), best.end(), better);
      return best;
    }
  }
  common::gemv(n, unit.ld(), 1.f, unit.data(), unit.ld(), q, 0.f, scores.data());
  mask(scores, never);
  return common::top_k(scores.data(), n, k, exclude);
}

std::vector<common::Hit> nearest_rows_ref(const common::Matrix& unit, std::size_t n, const float* q, std::size_t k,
                                          std::span<const std::int32_t> exclude,
                                          std::span<const std::int32_t> never) {
  std::vector<common::Hit> all;
  for (std::size_t i = 0; i < n; ++i) {
    const auto id = static_cast<std::int32_t>(i);
    if (std::find(exclude.begin(), exclude.end(), id) != exclude.end()) continue;
    if (std::find(never.begin(), never.end(), id) != never.end()) continue;
    all.push_back({id, common::dot_ref(unit.row(i), q, unit.cols())});
  }
  std::sort(all.begin(), all.end(), better);
  if (all.size() > k) all.resize(k);
  return all;
}

}  // namespace w2v
