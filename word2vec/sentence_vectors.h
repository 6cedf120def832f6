// Sentence vectors from word vectors: the plain average of the known
// tokens' vectors, and SIF (Arora et al. 2017): tokens weighted by
// a / (a + p(w)), then the projection on the first principal component of
// all the sentence vectors removed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/aligned.h"
#include "tokenizer/word_table.h"
#include "word2vec/vectors_io.h"

namespace w2v {

struct SentenceStats {
  std::size_t sentences = 0;
  std::size_t tokens = 0;      // after normalisation
  std::size_t known = 0;       // tokens found in the vectors
  std::size_t empty = 0;       // sentences with no known token (zero vectors)
  std::vector<std::size_t> empty_rows;  // which (ascending)
};

class SentenceVectors {
 public:
  explicit SentenceVectors(const Embeddings& e);
  // Word counts for SIF ("word count" lines, as -save-vocab writes). Words
  // without a count get count 1.
  void set_counts(const std::string& vocab_path);
  bool has_counts() const { return !counts_.empty(); }
  // How many of the tokens are words of the vectors.
  std::size_t known_tokens(const std::vector<std::string>& sentence) const;

  // out[S, dim]: mean of the known tokens' vectors (zero if none).
  common::Matrix average(const std::vector<std::vector<std::string>>& sentences, SentenceStats* stats) const;
  // out[S, dim]: SIF-weighted mean with weight a / (a + p(w)), then the
  // first principal component (uncentred, as Arora et al.'s code) removed.
  common::Matrix sif(const std::vector<std::vector<std::string>>& sentences, double a, SentenceStats* stats) const;
  // The SIF-weighted means alone, the component not removed (for callers
  // that remove one computed over more sentences: sentence search).
  common::Matrix sif_weighted(const std::vector<std::vector<std::string>>& sentences, double a,
                              SentenceStats* stats) const;

 private:
  common::Matrix weighted(const std::vector<std::vector<std::string>>& sentences, const std::vector<float>* weights,
                          SentenceStats* stats) const;
  const Embeddings& e_;
  tok::WordTable index_;
  std::vector<double> counts_;  // [V] by embedding row
};

// The counts of `words` in a -save-vocab file ('word count' lines): [n],
// 1 for a word without one. InputError when no word has one (another
// vocabulary?); FormatError (file:line) for a malformed file.
std::vector<double> word_counts(const std::vector<std::string>& words, const std::string& vocab_path);

// SIF's weights a / (a + p(w)), p(w) = counts[w] / the sum of counts: [n].
std::vector<float> sif_weights(const std::vector<double>& counts, double a);

// xᵀx summed over blocks of rows, in double (each block's product by BLAS),
// so that the first component of many rows is found without holding them.
class GramMatrix {
 public:
  explicit GramMatrix(std::size_t d) : d_(d), g_(d * d, 0.0) {}
  // Adds x[S, d]ᵀ x[S, d].
  void add(const common::Matrix& x);
  // The first right singular vector of all the rows added (the top
  // eigenvector of the sum, by power iteration from a deterministic start);
  // empty when every row was zero.
  std::vector<double> first_component() const;

 private:
  std::size_t d_;
  std::vector<double> g_;  // [d, d]
};

// Removes from every row of x[S, d] its projection on the unit vector u[d].
void remove_component(common::Matrix& x, const std::vector<double>& u);

// Removes from every row of x[S, d] its projection on the first right
// singular vector of x (GramMatrix, then remove_component).
void remove_first_component(common::Matrix& x);

}  // namespace w2v
