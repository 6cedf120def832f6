// Sentence normalisation and sentence vectors (average, SIF) on
// hand-computed examples.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "common/errors.h"
#include "tokenizer/normalizer.h"
#include "test_util.h"
#include "word2vec/sentence_vectors.h"

using Tokens = std::vector<std::string>;

TEST_CASE("raw sentences are normalised like the benchmark corpus") {
  auto normalize_tokens = [](std::string_view s) { return tok::Normalizer().tokens(s); };
  CHECK(normalize_tokens("A man is playing a flute.") == Tokens{"a", "man", "is", "playing", "a", "flute"});
  CHECK(normalize_tokens("Don't stop -- it's 3.5% off!") == Tokens{"don't", "stop", "it's", "3", "5", "off"});
  CHECK(normalize_tokens("Ahab\xE2\x80\x99s whale") == Tokens{"ahab's", "whale"});      // ’ -> '
  CHECK(normalize_tokens("Na\xC3\xAFve CAF\xC3\x89") == Tokens{"na\xC3\xAFve", "caf\xC3\xA9"});  // non-ASCII letters are letters
  CHECK(normalize_tokens("rock'n'roll 'quoted' end'") == Tokens{"rock'n", "roll", "quoted", "end"});
  CHECK(normalize_tokens("  ,;: ").empty());
}

TEST_CASE("average and SIF sentence vectors on a hand-computed example") {
  w2v::Embeddings e;
  e.words = {"</s>", "the", "cat", "sat"};
  e.vectors.resize(4, 2);
  const float v[4][2] = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
  for (int i = 0; i < 4; ++i) e.vectors.at(i, 0) = v[i][0], e.vectors.at(i, 1) = v[i][1];
  w2v::SentenceVectors sv(e);
  std::vector<Tokens> s = {{"the", "cat"}, {"cat", "sat", "dog"}, {"dog"}};
  w2v::SentenceStats st;
  auto avg = sv.average(s, &st);
  CHECK(avg.at(0, 0) == doctest::Approx(0.5));
  CHECK(avg.at(0, 1) == doctest::Approx(0.5));
  CHECK(avg.at(1, 0) == doctest::Approx(0.5));  // (cat + sat) / 2, "dog" unknown
  CHECK(avg.at(1, 1) == doctest::Approx(1.0));
  CHECK(avg.at(2, 0) == 0.f);
  CHECK(st.empty == 1);
  CHECK(st.empty_rows == std::vector<std::size_t>{2});
  CHECK(sv.known_tokens(s[1]) == 2);
  CHECK(st.tokens == 6);
  CHECK(st.known == 4);

  testutil::TempDir dir;
  testutil::write_file(dir.file("vocab.txt"), "</s> 0\nthe 6\ncat 3\nsat 1\n");
  sv.set_counts(dir.file("vocab.txt"));
  // p = the .6, cat .3, sat .1 (total 10); a = 0.1: w = .1/(.1+p) = 1/7, 1/4, 1/2.
  // s0 = (w_the·the + w_cat·cat)/2 = (1/14, 1/8); s1 = (w_cat·cat + w_sat·sat)/2 = (1/4, 3/8); s2 = 0.
  // First right singular vector u of [s0; s1; s2], then s - (s·u)u.
  const double s0[2] = {1.0 / 14, 1.0 / 8}, s1[2] = {0.25, 0.375};
  const double a11 = s0[0] * s0[0] + s1[0] * s1[0], a12 = s0[0] * s0[1] + s1[0] * s1[1], a22 = s0[1] * s0[1] + s1[1] * s1[1];
  const double lambda = (a11 + a22) / 2 + std::sqrt((a11 - a22) * (a11 - a22) / 4 + a12 * a12);
  double u0 = a12, u1 = lambda - a11;
  const double n = std::hypot(u0, u1);
  u0 /= n, u1 /= n;
  auto sif = sv.sif(s, 0.1, &st);
  for (int r = 0; r < 2; ++r) {
    const double* x = r == 0 ? s0 : s1;
    const double proj = x[0] * u0 + x[1] * u1;
    CHECK(sif.at(r, 0) == doctest::Approx(x[0] - proj * u0).epsilon(1e-5).scale(1e-6));
    CHECK(sif.at(r, 1) == doctest::Approx(x[1] - proj * u1).epsilon(1e-5).scale(1e-6));
  }
  CHECK(sif.at(2, 0) == 0.f);
  w2v::SentenceVectors no_counts(e);
  CHECK_THROWS_AS(no_counts.sif(s, 0.1, nullptr), common::OptionError);
}
