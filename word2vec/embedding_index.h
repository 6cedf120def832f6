// Queries over trained word vectors: the unit-normalised matrix, word
// lookup (exact or case-insensitive), nearest neighbours by cosine with BLAS
// (GEMV for one query, GEMM for batches), and analogies by 3CosAdd and
// 3CosMul, computed the way gensim's KeyedVectors does.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/aligned.h"
#include "common/top_k.h"
#include "word2vec/half_matrix.h"
#include "word2vec/vectors_io.h"
#include "tokenizer/word_table.h"

namespace w2v {

using common::Hit;

// Maps ASCII-uppercased words to the most frequent (lowest) id among the
// first `restrict` words, as gensim's case_insensitive evaluations do.
class CaseInsensitiveVocab {
 public:
  CaseInsensitiveVocab(const std::vector<std::string>& words, std::size_t restrict);
  std::int32_t find(std::string_view w) const;

 private:
  tok::WordTable table_;
  std::vector<std::int32_t> ids_;
};

std::string ascii_upper(std::string_view s);

class EmbeddingIndex {
 public:
  explicit EmbeddingIndex(Embeddings e);

  std::size_t size() const { return words_.size(); }
  std::size_t dim() const { return unit_.cols(); }
  std::int32_t find(std::string_view w) const { return table_.find(w); }
  const std::string& word(std::size_t id) const { return words_[id]; }
  const std::vector<std::string>& words() const { return words_; }
  const float* unit(std::size_t id) const { return unit_.row(id); }
  const common::Matrix& unit_matrix() const { return unit_; }

  // Cosine of the unit query q[dim] (padded to ld) against rows [0, restrict)
  // (0 = all), best k first, skipping the ids in `exclude`.
  std::vector<Hit> nearest(const float* q, std::size_t k, std::span<const std::int32_t> exclude,
                           std::size_t restrict = 0) const;
  // gensim's most_similar: normalised mean of +unit(positive) and
  // -unit(negative) vectors; the query words are excluded.
  std::vector<Hit> most_similar(std::span<const std::int32_t> positive, std::span<const std::int32_t> negative,
                                std::size_t k, std::size_t restrict = 0) const;
  // gensim's most_similar_cosmul (Levy & Goldberg 3CosMul) with cosines
  // mapped to [0, 1]: prod((1+cos(x,p))/2) / (prod((1+cos(x,n))/2) + 1e-6).
  std::vector<Hit> most_similar_cosmul(std::span<const std::int32_t> positive,
                                       std::span<const std::int32_t> negative, std::size_t k,
                                       std::size_t restrict = 0) const;
  // Many 3CosAdd queries at once: queries[B, ld] are unit query vectors;
  // for each, the best k rows of [0, restrict) not in exclude[b] (one GEMM
  // per block of queries).
  std::vector<std::vector<Hit>> nearest_batch(const common::Matrix& queries, std::size_t k,
                                              const std::vector<std::vector<std::int32_t>>& exclude,
                                              std::size_t restrict = 0) const;
  // Keeps an fp16 copy of the unit matrix so that single queries stream half
  // the bytes: nearest() then scores every row approximately, rescores the
  // candidates that could be in the top k exactly in float32, and falls back
  // to the full float32 GEMV when the error bound cannot rule rows out. The
  // results are the same as without it. Costs dim × 2 bytes per word.
  void enable_fast_queries();
  // Unit-normalised mean of signed unit vectors (the 3CosAdd query), into out[ld].
  void mean_query(std::span<const std::int32_t> positive, std::span<const std::int32_t> negative, float* out) const;

 private:
  std::vector<std::string> words_;
  tok::WordTable table_;
  common::Matrix unit_;  // [V, dim] rows scaled to unit length (zero rows stay zero)
  w2v::HalfMatrix half_;  // [V, ld] fp16 copy of unit_, if enable_fast_queries()
};

}  // namespace w2v
