#include "compare/sts.h"

#include <charconv>
#include <cmath>

#include "common/errors.h"
#include "common/line_reader.h"
#include "common/stats.h"
#include "common/text_fields.h"
#include "tokenizer/normalizer.h"
#include "word2vec/evaluate.h"

namespace cmp {

StsData read_sts(const std::string& path) {
  common::LineReader in(path, "STS file");
  StsData d;
  for (std::string line; in.next_nonempty(line);) {
    tok::repair_line(line, in.where());  // the sentences are normalised later, away from their line
    const auto f = common::split_fields(line, '\t');
    if (f.size() < 7)
      throw common::FormatError(in.where() + ": expected 7 tab-separated columns (genre, file, year, id, score, sentence 1, sentence 2), got " +
                                std::to_string(f.size()));
    double score = 0;
    auto r = std::from_chars(f[4].data(), f[4].data() + f[4].size(), score);
    if (r.ec != std::errc() || r.ptr != f[4].data() + f[4].size())
      throw common::FormatError(in.where() + ": score '" + f[4] + "' in column 5 is not a number");
    d.genre.push_back(f[0]);
    d.gold.push_back(score);
    d.line.push_back(in.line_number());
    d.s1.push_back(f[5]);
    d.s2.push_back(f[6]);
  }
  if (d.gold.size() < 2) throw common::FormatError(path + ": fewer than 2 sentence pairs");
  return d;
}

std::vector<double> row_cosines(const float* v1, const float* v2, std::size_t n, std::size_t dim, std::size_t ld) {
  std::vector<double> cos(n);
  for (std::size_t i = 0; i < n; ++i) {
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t j = 0; j < dim; ++j) {
      const double a = v1[i * ld + j], b = v2[i * ld + j];
      ab += a * b, aa += a * a, bb += b * b;
    }
    cos[i] = aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
  }
  return cos;
}

double sts_spearman(const std::vector<double>& gold, const float* v1, const float* v2, std::size_t n, std::size_t dim,
                    std::size_t ld) {
  return 100.0 * common::spearman(gold, row_cosines(v1, v2, n, dim, ld));
}

}  // namespace cmp
