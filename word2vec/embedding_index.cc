#include "word2vec/embedding_index.h"

#include <algorithm>
#include <cmath>
#include <queue>

#include "common/blas.h"
#include "common/errors.h"
#include "word2vec/nearest_rows.h"

namespace w2v {

std::string ascii_upper(std::string_view s) {
  std::string u(s);
  for (auto& c : u)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return u;
}

CaseInsensitiveVocab::CaseInsensitiveVocab(const std::vector<std::string>& words, std::size_t restrict) {
  const std::size_t n = restrict ? std::min(restrict, words.size()) : words.size();
  for (std::size_t i = 0; i < n; ++i) {
    auto id = static_cast<std::size_t>(table_.insert(ascii_upper(words[i])));
    if (id == ids_.size()) ids_.push_back(static_cast<std::int32_t>(i));  // first (most frequent) wins
  }
}

std::int32_t CaseInsensitiveVocab::find(std::string_view w) const {
  auto id = table_.find(ascii_upper(w));
  return id < 0 ? -1 : ids_[static_cast<std::size_t>(id)];
}

EmbeddingIndex::EmbeddingIndex(Embeddings e) : words_(std::move(e.words)) {
  for (std::size_t i = 0; i < words_.size(); ++i)
    if (static_cast<std::size_t>(table_.insert(words_[i])) != i) {
      // A duplicate word (possible in foreign files): keep the first.
      continue;
    }
  unit_ = std::move(e.vectors);
  for (std::size_t i = 0; i < unit_.rows(); ++i) {
    float* r = unit_.row(i);
    double s = 0;
    for (std::size_t j = 0; j < unit_.cols(); ++j) s += static_cast<double>(r[j]) * r[j];
    if (s > 0) {
      const float inv = static_cast<float>(1.0 / std::sqrt(s));
      for (std::size_t j = 0; j < unit_.cols(); ++j) r[j] *= inv;
    }
  }
}

void EmbeddingIndex::enable_fast_queries() { half_ = fast_copy(unit_); }

std::vector<Hit> EmbeddingIndex::nearest(const float* q, std::size_t k, std::span<const std::int32_t> exclude,
                                         std::size_t restrict) const {
  const std::size_t n = restrict ? std::min(restrict, size()) : size();
  return nearest_rows(unit_, half_, n, q, k, exclude);
}

void EmbeddingIndex::mean_query(std::span<const std::int32_t> positive, std::span<const std::int32_t> negative,
                                float* out) const {
  const std::size_t ld = unit_.ld();
  std::fill(out, out + ld, 0.f);
  for (auto id : positive)
    for (std::size_t j = 0; j < ld; ++j) out[j] += unit_.row(static_cast<std::size_t>(id))[j];
  for (auto id : negative)
    for (std::size_t j = 0; j < ld; ++j) out[j] -= unit_.row(static_cast<std::size_t>(id))[j];
  double s = 0;
  for (std::size_t j = 0; j < ld; ++j) s += static_cast<double>(out[j]) * out[j];
  if (s > 0) {
    const float inv = static_cast<float>(1.0 / std::sqrt(s));
    for (std::size_t j = 0; j < ld; ++j) out[j] *= inv;
  }
}

std::vector<Hit> EmbeddingIndex::most_similar(std::span<const std::int32_t> positive,
                                              std::span<const std::int32_t> negative, std::size_t k,
                                              std::size_t restrict) const {
  common::AlignedFloats q(unit_.ld());  // [ld]
  mean_query(positive, negative, q.data());
  std::vector<std::int32_t> exclude(positive.begin(), positive.end());
  exclude.insert(exclude.end(), negative.begin(), negative.end());
  return nearest(q.data(), k, exclude, restrict);
}

std::vector<Hit> EmbeddingIndex::most_similar_cosmul(std::span<const std::int32_t> positive,
                                                     std::span<const std::int32_t> negative, std::size_t k,
                                                     std::size_t restrict) const {
  const std::size_t n = restrict ? std::min(restrict, size()) : size();
  std::vector<float> pos(n, 1.f), neg(n, 1.f), cos(n);  // [n] each
  for (auto id : positive) {
    common::gemv(n, unit_.ld(), 1.f, unit_.data(), unit_.ld(), unit_.row(static_cast<std::size_t>(id)), 0.f, cos.data());
    for (std::size_t i = 0; i < n; ++i) pos[i] *= (1.f + cos[i]) / 2.f;
  }
  for (auto id : negative) {
    common::gemv(n, unit_.ld(), 1.f, unit_.data(), unit_.ld(), unit_.row(static_cast<std::size_t>(id)), 0.f, cos.data());
    for (std::size_t i = 0; i < n; ++i) neg[i] *= (1.f + cos[i]) / 2.f;
  }
  for (std::size_t i = 0; i < n; ++i) pos[i] /= neg[i] + 1e-6f;
  std::vector<std::int32_t> exclude(positive.begin(), positive.end());
  exclude.insert(exclude.end(), negative.begin(), negative.end());
  return common::top_k(pos.data(), n, k, exclude);
}

std::vector<std::vector<Hit>> EmbeddingIndex::nearest_batch(const common::Matrix& queries, std::size_t k,
                                                            const std::vector<std::vector<std::int32_t>>& exclude,
                                                            std::size_t restrict) const {
  const std::size_t n = restrict ? std::min(restrict, size()) : size();
  const std::size_t b_all = queries.rows();
  constexpr std::size_t kBlock = 256;
  std::vector<std::vector<Hit>> out(b_all);
  std::vector<float> scores(std::min(kBlock, b_all) * n);  // [block, n]
  for (std::size_t b0 = 0; b0 < b_all; b0 += kBlock) {
    const std::size_t bn = std::min(kBlock, b_all - b0);
    // scores[bn, n] = queries[b0:b0+bn, :] · unit[0:n, :]ᵀ
    // (the inner dimension is dim, not ld: padding columns are zero)
    common::gemm(false, true, bn, n, dim(), 1.f, queries.row(b0), queries.ld(), unit_.data(), unit_.ld(), 0.f,
                 scores.data(), n);
    for (std::size_t i = 0; i < bn; ++i) out[b0 + i] = common::top_k(scores.data() + i * n, n, k, exclude[b0 + i]);
  }
  return out;
}

}  // namespace w2v
