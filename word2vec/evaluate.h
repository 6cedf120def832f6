// Standard intrinsic evaluations of word vectors, computed as gensim's
// KeyedVectors.evaluate_word_analogies / evaluate_word_pairs do.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "word2vec/embedding_index.h"
#include "word2vec/similarity_pairs.h"

namespace w2v {

struct AnalogySection {
  std::string name;
  std::size_t correct = 0, incorrect = 0, oov = 0;
  double accuracy() const {  // OOV counted wrong
    std::size_t t = correct + incorrect + oov;
    return t ? static_cast<double>(correct) / static_cast<double>(t) : 0.0;
  }
};

struct AnalogyResult {
  std::vector<AnalogySection> sections;
  AnalogySection total;  // name "total"
  double accuracy() const { return total.accuracy(); }
  double accuracy_covered() const {
    std::size_t c = total.correct + total.incorrect;
    return c ? static_cast<double>(total.correct) / static_cast<double>(c) : 0.0;
  }
  double coverage() const {
    std::size_t t = total.correct + total.incorrect + total.oov;
    return t ? static_cast<double>(total.correct + total.incorrect) / static_cast<double>(t) : 0.0;
  }
};

// questions-words format (": section" lines, then "a b c d" per question):
// 3CosAdd over the `restrict_vocab` most frequent words, case-insensitive,
// question words excluded; a question with a word outside the restricted
// vocabulary is counted wrong (and as not covered). Throws InputError /
// FormatError naming file and line.
AnalogyResult evaluate_analogies(const EmbeddingIndex& index, const std::string& path, std::size_t restrict_vocab);

struct SimilarityResult {
  std::string name;  // file name without directories
  PairFileLayout layout = PairFileLayout::kWhitespace;
  double spearman = 0, pearson = 0;
  std::size_t pairs = 0, oov = 0;  // pairs with both words known / not
  std::size_t total() const { return pairs + oov; }
  double coverage() const {
    return pairs + oov ? static_cast<double>(pairs) / static_cast<double>(pairs + oov) : 0.0;
  }
};

// A word-pair file ("word1 word2 score" lines, or CSV "word1,word2,score"
// with or without a header: see similarity_pairs.h): Spearman and Pearson of
// cosine vs gold over pairs with both words known (ASCII letters compared
// case-insensitively, other characters exactly, among the first
// `restrict_vocab` words).
SimilarityResult evaluate_similarity(const EmbeddingIndex& index, const std::string& path,
                                     std::size_t restrict_vocab = 300000);

}  // namespace w2v
