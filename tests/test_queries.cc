// Queries and evaluation on small, hand-checkable matrices: neighbours,
// analogies (3CosAdd, 3CosMul), case-insensitive lookup, the fp16 pre-pass
// giving exact results, and the analogy / similarity evaluations.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "common/errors.h"
#include "common/stats.h"
#include "word2vec/half_matrix.h"
#include "test_util.h"
#include "word2vec/embedding_index.h"
#include "word2vec/evaluate.h"

using namespace testutil;

namespace {

w2v::Embeddings make(const std::vector<std::pair<std::string, std::vector<float>>>& rows) {
  w2v::Embeddings e;
  e.vectors.resize(rows.size(), rows[0].second.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    e.words.push_back(rows[i].first);
    for (std::size_t j = 0; j < rows[i].second.size(); ++j) e.vectors.at(i, j) = rows[i].second[j];
  }
  return e;
}

std::vector<std::string> names(const w2v::EmbeddingIndex& idx, const std::vector<common::Hit>& hits) {
  std::vector<std::string> out;
  for (const auto& h : hits) out.push_back(idx.word(static_cast<std::size_t>(h.id)));
  return out;
}

// Compass directions in 2-D: neighbours by angle.
w2v::EmbeddingIndex compass() {
  const float r = std::sqrt(0.5f);
  return w2v::EmbeddingIndex(make({{"east", {1, 0}},
                                   {"northeast", {3 * r, 3 * r}},  // length does not matter
                                   {"north", {0, 2}},
                                   {"west", {-1, 0}},
                                   {"south", {0, -1}},
                                   {"southeast", {r, -r}}}));
}

// Two orthogonal features, royalty (x) and gender (y), plus noise words.
w2v::EmbeddingIndex royals() {
  return w2v::EmbeddingIndex(make({{"man", {0.1f, 1, 0}},
                                   {"woman", {0.1f, -1, 0}},
                                   {"king", {1, 1, 0.1f}},
                                   {"queen", {1, -1, 0.1f}},
                                   {"apple", {0, 0, 1}},
                                   {"car", {-1, 0, 0.3f}}}));
}

}  // namespace

TEST_CASE("nearest neighbours by cosine on a hand-checkable matrix") {
  auto idx = compass();
  const std::int32_t east[] = {idx.find("east")};
  auto hits = idx.most_similar(east, {}, 5);
  // cos: northeast = southeast = 0.7071, north = south = 0, west = -1; ties by id.
  CHECK(names(idx, hits) == std::vector<std::string>{"northeast", "southeast", "north", "south", "west"});
  CHECK(hits[0].score == doctest::Approx(std::sqrt(0.5)).epsilon(1e-6));
  CHECK(hits[4].score == doctest::Approx(-1.0).epsilon(1e-6));
  // k larger than the vocabulary: every other word once.
  CHECK(idx.most_similar(east, {}, 50).size() == 5);
  // +north -east: the mean direction (-1, 1) is northwest; north and east
  // themselves are excluded, so west (0.7071) then northeast (0) follow.
  const std::int32_t north[] = {idx.find("north")};
  auto nw = idx.most_similar(north, east, 2);
  CHECK(names(idx, nw) == std::vector<std::string>{"west", "northeast"});
  CHECK(nw[0].score == doctest::Approx(std::sqrt(0.5)).epsilon(1e-5));
  CHECK(std::fabs(nw[1].score) < 1e-6);
  // restrict: only the first 3 rows are candidates.
  auto r = idx.most_similar(east, {}, 5, 3);
  CHECK(names(idx, r) == std::vector<std::string>{"northeast", "north"});
  CHECK(idx.find("up") == -1);
}

TEST_CASE("analogies: 3CosAdd and 3CosMul find queen, question words excluded") {
  auto idx = royals();
  const std::int32_t pos[] = {idx.find("king"), idx.find("woman")}, neg[] = {idx.find("man")};
  auto add = idx.most_similar(pos, neg, 3);
  CHECK(names(idx, add)[0] == "queen");
  for (const auto& w : names(idx, add)) CHECK((w != "king" && w != "woman" && w != "man"));
  auto mul = idx.most_similar_cosmul(pos, neg, 3);
  CHECK(names(idx, mul)[0] == "queen");
  // 3CosMul score of queen by hand: ((1+cos(q,king))/2 · (1+cos(q,woman))/2) / ((1+cos(q,man))/2 + 1e-6).
  auto cosv = [&](const char* a, const char* b) {
    const float* x = idx.unit(static_cast<std::size_t>(idx.find(a)));
    const float* y = idx.unit(static_cast<std::size_t>(idx.find(b)));
    double s = 0;
    for (std::size_t j = 0; j < idx.dim(); ++j) s += static_cast<double>(x[j]) * y[j];
    return s;
  };
  double expect = (1 + cosv("queen", "king")) / 2 * (1 + cosv("queen", "woman")) / 2 /
                  ((1 + cosv("queen", "man")) / 2 + 1e-6);
  CHECK(mul[0].score == doctest::Approx(expect).epsilon(1e-4));
}

TEST_CASE("top_k: order, ties by id, exclusions, NaN skipped") {
  const float s[] = {0.5f, 0.9f, 0.9f, NAN, 0.1f, 0.7f};
  const std::int32_t ex[] = {2};
  auto hits = common::top_k(s, 6, 3, ex);
  REQUIRE(hits.size() == 3);
  CHECK(hits[0].id == 1);
  CHECK(hits[1].id == 5);
  CHECK(hits[2].id == 0);
  auto all = common::top_k(s, 6, 10, {});
  CHECK(all.size() == 5);  // the NaN is dropped
  CHECK(all[0].id == 1);
  CHECK(all[1].id == 2);
}

TEST_CASE("case-insensitive lookup prefers the most frequent spelling within restrict") {
  std::vector<std::string> words = {"</s>", "the", "paris", "Paris", "PARIS", "Rare"};
  w2v::CaseInsensitiveVocab v(words, 0);
  CHECK(v.find("Paris") == 2);
  CHECK(v.find("pArIs") == 2);
  CHECK(v.find("rare") == 5);
  w2v::CaseInsensitiveVocab r(words, 4);
  CHECK(r.find("rare") == -1);  // beyond restrict
  CHECK(w2v::ascii_upper("naïve-x") == "NAïVE-X");
}

TEST_CASE("fp16 conversion and the fp16 pre-pass give exact neighbours") {
  for (float f : {0.f, 1.f, -2.f, 0.5f, 65504.f, 6.103515625e-05f, 5.9604644775390625e-08f})
    CHECK(w2v::half_to_float(w2v::float_to_half(f)) == f);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1, 1);
  for (int i = 0; i < 10000; ++i) {
    float f = u(rng);
    float back = w2v::half_to_float(w2v::float_to_half(f));
    CHECK(std::fabs(back - f) <= std::fabs(f) / 2048.f + 1e-7f);
  }
  // 25,000 × 48 random vectors: above the size where the fp16 copy is used.
  const std::size_t n = 25000, d = 48;
  w2v::Embeddings e;
  e.vectors.resize(n, d);
  std::normal_distribution<float> g;
  for (std::size_t i = 0; i < n; ++i) {
    std::string w = "w";
    w += std::to_string(i);  // (not "w" + ...: GCC 12 -Wrestrict false positive)
    e.words.push_back(std::move(w));
    for (std::size_t j = 0; j < d; ++j) e.vectors.at(i, j) = g(rng);
  }
  w2v::Embeddings e2;
  e2.words = e.words;
  e2.vectors.resize(n, d);
  std::copy(e.vectors.data(), e.vectors.data() + n * e.vectors.ld(), e2.vectors.data());
  w2v::EmbeddingIndex exact(std::move(e)), fast(std::move(e2));
  fast.enable_fast_queries();
  w2v::HalfMatrix half(fast.unit_matrix());
  std::vector<float> a(8), b(8);
  half.dots(fast.unit(3), 100, 108, a.data());
  half.dots_ref(fast.unit(3), 100, 108, b.data());
  for (int i = 0; i < 8; ++i) CHECK(a[static_cast<std::size_t>(i)] == doctest::Approx(b[static_cast<std::size_t>(i)]).epsilon(1e-5));
  for (int q = 0; q < 40; ++q) {
    const std::int32_t id[] = {q * 613};
    auto x = exact.most_similar(id, {}, 10), y = fast.most_similar(id, {}, 10);
    REQUIRE(x.size() == y.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      CHECK(x[i].id == y[i].id);
      CHECK(x[i].score == doctest::Approx(y[i].score).epsilon(1e-5));
    }
  }
}

TEST_CASE("analogy evaluation: sections, unknown words counted wrong, case-insensitive") {
  TempDir dir;
  auto idx = royals();
  write_file(dir.file("q.txt"),
             ": royal\nman king woman queen\nMAN KING WOMAN QUEEN\nman king woman apple\n"
             ": other\nman king woman unicorn\nking man queen woman\n");
  auto r = w2v::evaluate_analogies(idx, dir.file("q.txt"), 30000);
  REQUIRE(r.sections.size() == 2);
  CHECK(r.sections[0].name == "royal");
  CHECK(r.sections[0].correct == 2);
  CHECK(r.sections[0].incorrect == 1);
  CHECK(r.sections[1].oov == 1);
  CHECK(r.sections[1].correct == 1);  // king - man + queen -> woman
  CHECK(r.accuracy() == doctest::Approx(3.0 / 5));
  CHECK(r.accuracy_covered() == doctest::Approx(3.0 / 4));
  CHECK(r.coverage() == doctest::Approx(4.0 / 5));
  // restrict 3: queen is outside the searched words, so questions using it are not covered.
  auto small = w2v::evaluate_analogies(idx, dir.file("q.txt"), 3);
  CHECK(small.total.correct == 0);
  CHECK(small.total.oov == 5);
  write_file(dir.file("bad.txt"), ": s\nman king woman\n");
  auto msg = thrown<common::FormatError>([&] { w2v::evaluate_analogies(idx, dir.file("bad.txt"), 10); });
  CHECK(msg.find("bad.txt:2") != std::string::npos);
  CHECK_THROWS_AS(w2v::evaluate_analogies(idx, dir.file("missing.txt"), 10), common::InputError);
}

TEST_CASE("similarity evaluation: Spearman with ties, Pearson, OOV pairs") {
  CHECK(common::spearman({1, 2, 2, 3, 5}, {1, 3, 2, 4, 4}) == doctest::Approx(0.9473684210526317).epsilon(1e-12));
  CHECK(common::pearson({1, 2, 2, 3, 5}, {1, 3, 2, 4, 4}) == doctest::Approx(0.8344408667498866).epsilon(1e-12));
  auto idx = compass();
  TempDir dir;
  // Gold scores in the same order as the cosines: Spearman 1.
  write_file(dir.file("pairs.txt"),
             "# comment\neast\tnortheast\t9\nEast\tnorth\t5\neast west 0.1\neast\tunicorn\t3\nnorth\tsoutheast\t0.5\n");
  auto r = w2v::evaluate_similarity(idx, dir.file("pairs.txt"));
  CHECK(r.name == "pairs.txt");
  CHECK(r.pairs == 4);
  CHECK(r.oov == 1);
  CHECK(r.coverage() == doctest::Approx(0.8));
  CHECK(r.spearman == doctest::Approx(1.0));
  CHECK(r.pearson > 0.8);
  write_file(dir.file("bad.txt"), "east north\n");
  CHECK(thrown<common::FormatError>([&] { w2v::evaluate_similarity(idx, dir.file("bad.txt")); }).find("bad.txt:1") !=
        std::string::npos);
  write_file(dir.file("nan.txt"), "east north high\n");
  CHECK(thrown<common::FormatError>([&] { w2v::evaluate_similarity(idx, dir.file("nan.txt")); }).find("not a number") !=
        std::string::npos);
}
