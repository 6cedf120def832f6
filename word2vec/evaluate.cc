#include "word2vec/evaluate.h"

#include "common/stats.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "common/errors.h"
#include "common/line_reader.h"
#include "common/simd.h"
#include "common/text_fields.h"

namespace w2v {

namespace {

std::string base_name(const std::string& path) {
  auto p = path.find_last_of('/');
  return p == std::string::npos ? path : path.substr(p + 1);
}

}  // namespace

AnalogyResult evaluate_analogies(const EmbeddingIndex& index, const std::string& path, std::size_t restrict_vocab) {
  common::LineReader in(path, "analogy file");
  const std::size_t restrict = restrict_vocab ? std::min(restrict_vocab, index.size()) : index.size();
  CaseInsensitiveVocab vocab(index.words(), restrict);
  AnalogyResult r;
  // Collect covered questions; answer them in batches with one GEMM each.
  struct Question {
    std::size_t section;
    std::array<std::int32_t, 4> ids;
  };
  std::vector<Question> questions;
  for (std::string line; in.next(line);) {
    auto f = common::split_ws(line);
    if (f.empty()) continue;
    if (f[0] == ":" || f[0][0] == ':') {
      std::string name = f[0] == ":" ? (f.size() > 1 ? f[1] : "") : f[0].substr(1);
      r.sections.push_back({name});
      continue;
    }
    if (f.size() != 4)
      throw common::FormatError(in.where() + ": expected 4 words (a b c d), got " +
                                std::to_string(f.size()));
    if (r.sections.empty())
      throw common::FormatError(in.where() + ": question before the first ': section' line");
    Question q{r.sections.size() - 1, {}};
    bool known = true;
    for (int i = 0; i < 4; ++i) {
      q.ids[static_cast<std::size_t>(i)] = vocab.find(f[static_cast<std::size_t>(i)]);
      known = known && q.ids[static_cast<std::size_t>(i)] >= 0;
    }
    if (!known) {
      ++r.sections.back().oov;
      continue;
    }
    questions.push_back(q);
  }
  if (r.sections.empty()) throw common::FormatError(path + ": no ': section' lines (not a questions-words file)");
  constexpr std::size_t kBatch = 2048;
  common::Matrix queries;
  for (std::size_t q0 = 0; q0 < questions.size(); q0 += kBatch) {
    const std::size_t bn = std::min(kBatch, questions.size() - q0);
    queries.resize(bn, index.dim());  // [bn, dim]
    std::vector<std::vector<std::int32_t>> exclude(bn);
    for (std::size_t i = 0; i < bn; ++i) {
      const auto& ids = questions[q0 + i].ids;
      const std::int32_t pos[2] = {ids[1], ids[2]}, neg[1] = {ids[0]};
      index.mean_query(pos, neg, queries.row(i));
      exclude[i] = {ids[0], ids[1], ids[2]};
    }
    auto hits = index.nearest_batch(queries, 5, exclude, restrict);
    for (std::size_t i = 0; i < bn; ++i) {
      const auto& q = questions[q0 + i];
      // As gensim: the answer is the best of the top 5 that is not a case
      // variant of a question word (else the 5th); compared case-insensitively.
      std::string upper[3], predicted;
      for (int j = 0; j < 3; ++j) upper[j] = ascii_upper(index.word(static_cast<std::size_t>(q.ids[static_cast<std::size_t>(j)])));
      for (const auto& h : hits[i]) {
        predicted = ascii_upper(index.word(static_cast<std::size_t>(h.id)));
        if (predicted != upper[0] && predicted != upper[1] && predicted != upper[2]) break;
      }
      bool ok = predicted == ascii_upper(index.word(static_cast<std::size_t>(q.ids[3])));
      ++(ok ? r.sections[q.section].correct : r.sections[q.section].incorrect);
    }
  }
  r.total.name = "total";
  for (const auto& s : r.sections) {
    r.total.correct += s.correct;
    r.total.incorrect += s.incorrect;
    r.total.oov += s.oov;
  }
  return r;
}

SimilarityResult evaluate_similarity(const EmbeddingIndex& index, const std::string& path, std::size_t restrict_vocab) {
  const SimilarityPairs file = read_similarity_pairs(path);
  CaseInsensitiveVocab vocab(index.words(), restrict_vocab);
  SimilarityResult r;
  r.name = base_name(path);
  r.layout = file.layout;
  std::vector<double> gold, model;
  for (const auto& p : file.pairs) {
    auto a = vocab.find(p.first), b = vocab.find(p.second);
    if (a < 0 || b < 0) {
      ++r.oov;
      continue;
    }
    gold.push_back(p.score);
    model.push_back(common::dot_ref(index.unit(static_cast<std::size_t>(a)), index.unit(static_cast<std::size_t>(b)),
                                    index.dim()));
  }
  r.pairs = gold.size();
  if (r.pairs >= 2) {
    r.spearman = common::spearman(gold, model);
    r.pearson = common::pearson(gold, model);
  } else {
    r.spearman = r.pearson = std::nan("");
  }
  return r;
}

}  // namespace w2v
