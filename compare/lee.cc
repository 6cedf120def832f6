#include "compare/lee.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>

#include "common/errors.h"
#include "common/text_format.h"
#include "common/line_reader.h"
#include "common/stats.h"
#include "common/text_fields.h"
#include "tokenizer/normalizer.h"
#include "word2vec/evaluate.h"

namespace cmp {

LeeData read_lee(const std::string& dir) {
  namespace fs = std::filesystem;
  const std::string corpus = (fs::path(dir) / "lee.cor").string();
  const std::string sims = (fs::path(dir) / "similarities0-1.txt").string();
  LeeData d;
  std::string line;
  for (common::LineReader in(corpus, "the Lee corpus"); in.next_nonempty(line);) {
    tok::repair_line(line, in.where());  // the documents are normalised later, away from their line
    d.documents.push_back(line);
    d.lines.push_back(in.line_number());
  }
  const std::size_t n = d.documents.size();
  if (n < 3) throw common::FormatError(corpus + " holds " + common::plural(n, "document", "documents") + "; a correlation needs at least 3");
  common::LineReader m(sims, "the Lee similarities");
  d.human.assign(n * n, 0.0);
  std::size_t row = 0;
  while (m.next(line)) {
    std::vector<double> vals;
    for (const auto& tok : common::split_ws(line)) {
      double v = 0;
      auto r = std::from_chars(tok.data(), tok.data() + tok.size(), v);
      if (r.ec != std::errc() || r.ptr != tok.data() + tok.size() || !std::isfinite(v))
        throw common::FormatError(m.where() + ": '" + tok + "' is not a number");
      vals.push_back(v);
    }
    if (vals.empty()) continue;
    if (row >= n)
      throw common::FormatError(sims + " has more rows than " + corpus + " has documents (" + std::to_string(n) + ")");
    if (vals.size() != n)
      throw common::FormatError(m.where() + ": " + std::to_string(vals.size()) +
                                " values, expected " + std::to_string(n) + " (one per document of " + corpus + ")");
    std::copy(vals.begin(), vals.end(), d.human.begin() + static_cast<std::ptrdiff_t>(row * n));
    ++row;
  }
  if (row != n)
    throw common::FormatError(sims + " has " + std::to_string(row) + " rows, expected " + std::to_string(n) +
                              " (one per document of " + corpus + ")");
  // Either triangle may hold the judgements: symmetrise by the larger entry.
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const double v = std::max(d.human[i * n + j], d.human[j * n + i]);
      d.human[i * n + j] = d.human[j * n + i] = v;
    }
  return d;
}

double lee_pearson(const LeeData& lee, const float* v, std::size_t dim, std::size_t ld) {
  const std::size_t n = lee.size();
  std::vector<double> norm(n);
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::size_t k = 0; k < dim; ++k) s += static_cast<double>(v[i * ld + k]) * v[i * ld + k];
    norm[i] = std::sqrt(s);
  }
  std::vector<double> cos, human;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      double s = 0;
      for (std::size_t k = 0; k < dim; ++k) s += static_cast<double>(v[i * ld + k]) * v[j * ld + k];
      cos.push_back(norm[i] > 0 && norm[j] > 0 ? s / (norm[i] * norm[j]) : 0.0);
      human.push_back(lee.human[i * n + j]);
    }
  return 100.0 * common::pearson(human, cos);
}

}  // namespace cmp
