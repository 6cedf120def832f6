// Lee document similarity (Lee, Pincombe & Welsh 2005): 50 short news
// documents (DIR/lee.cor, one per line) and the mean human similarity of
// every pair (DIR/similarities0-1.txt, a 50 x 50 matrix with one triangle
// filled). A method scores the Pearson correlation of its pairwise cosines
// with the human judgements over the pairs i < j.
#pragma once

#include <string>
#include <vector>

namespace cmp {

struct LeeData {
  std::vector<std::string> documents;  // raw text
  std::vector<double> human;           // [n * n], symmetric
  std::vector<std::size_t> lines;      // each document's line in lee.cor (for messages)
  std::size_t size() const { return documents.size(); }
};

// Throws InputError (missing file) or FormatError naming file:line (a row
// of the wrong length, a value that is not a number, matrix and corpus
// sizes that differ).
LeeData read_lee(const std::string& dir);

// Pearson x100 over the pairs i < j of cosine(v[i], v[j]) (rows of v,
// [n, dim] with leading dimension ld; zero vectors give cosine 0) against
// the human matrix.
double lee_pearson(const LeeData& lee, const float* v, std::size_t dim, std::size_t ld);

}  // namespace cmp
