// Sentence-similarity benchmarks for the comparison of averaged word
// vectors with the encoder's contextual vectors: STS-Benchmark files
// (tab-separated; score in column 5, sentences in columns 6 and 7).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cmp {

struct StsData {
  std::vector<std::string> genre;  // column 1 (main-news, main-captions, main-forums)
  std::vector<std::string> s1, s2;
  std::vector<double> gold;
  std::vector<std::size_t> line;   // the pair's line in the file (for messages)
};

// Throws InputError (cannot open) or FormatError naming file:line for a
// line with fewer than 7 columns or a score that is not a number.
StsData read_sts(const std::string& path);

// cosine(v1[i], v2[i]) for i < n (rows with leading dimension ld); a zero
// vector gives cosine 0.
std::vector<double> row_cosines(const float* v1, const float* v2, std::size_t n, std::size_t dim, std::size_t ld);

// Spearman ×100 of cosine(v1[i], v2[i]) against gold; zero vectors give cosine 0.
double sts_spearman(const std::vector<double>& gold, const float* v1, const float* v2, std::size_t n, std::size_t dim,
                    std::size_t ld);

}  // namespace cmp
