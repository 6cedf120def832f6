// word2vec/similarity_pairs.h: word-pair similarity files in the whitespace
// layout (WordSim-353, SimLex-999) and as CSV with or without a header
// (RUSSE), the layout rule, the errors, and evaluate_similarity on a CSV file
// of Cyrillic words; RUSSE's hj-dev.csv from ../shared/data when present.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "common/errors.h"
#include "test_util.h"
#include "word2vec/embedding_index.h"
#include "word2vec/evaluate.h"
#include "word2vec/similarity_pairs.h"

using namespace testutil;
using w2v::PairFileLayout;
using w2v::read_similarity_pairs;

namespace {

// Reads `content` written to DIR/name.
w2v::SimilarityPairs read_text(const TempDir& dir, const std::string& name, const std::string& content) {
  write_file(dir.file(name), content);
  return read_similarity_pairs(dir.file(name));
}

// The FormatError message of reading `content` as DIR/name.
std::string error_of(const TempDir& dir, const std::string& name, const std::string& content) {
  write_file(dir.file(name), content);
  return thrown<common::FormatError>([&] { read_similarity_pairs(dir.file(name)); });
}

std::string first_words(const w2v::SimilarityPairs& p) {
  std::string s;
  for (const auto& x : p.pairs) s += x.first + "|" + x.second + " ";
  return s;
}

}  // namespace

TEST_CASE("similarity pairs: CSV with a header (Cyrillic), words kept as written") {
  TempDir dir;
  auto p = read_text(dir, "hj.csv", "word1,word2,sim\nпетух,петушок,0.952381\nПобережье,берег,0.904762\n\nтип,вид,0.85\n");
  CHECK(p.layout == PairFileLayout::kCsv);
  CHECK(p.header);
  REQUIRE(p.pairs.size() == 3);
  CHECK(first_words(p) == "петух|петушок Побережье|берег тип|вид ");
  CHECK(p.pairs[0].score == doctest::Approx(0.952381));
  CHECK(p.pairs[2].score == doctest::Approx(0.85));
  CHECK(p.pairs[0].line == 2);
  CHECK(p.pairs[2].line == 5);  // the blank line counts

  // No header: a numeric third field on the first line makes it a pair.
  auto n = read_text(dir, "plain.csv", "# RUSSE-like, no header\nкот,кошка,0.9\nкот,стол,1e-1\n");
  CHECK(n.layout == PairFileLayout::kCsv);
  CHECK_FALSE(n.header);
  REQUIRE(n.pairs.size() == 2);
  CHECK(n.pairs[1].score == doctest::Approx(0.1));

  // Quoted fields, blanks around fields, CRLF line ends, a byte order mark,
  // and extra columns (as wide as the header).
  auto q = read_text(dir, "q.csv",
                     "\xEF\xBB\xBF\"word1\",\"word2\",\"sim\",\"note\"\r\n"
                     "\"кот, домашний\",\"кошка\",\"0.5\",\"a \"\"quoted\"\" note\"\r\n"
                     " пёс , собака , 0.75 ,\r\n");
  CHECK(q.header);
  REQUIRE(q.pairs.size() == 2);
  CHECK(first_words(q) == "кот, домашний|кошка пёс|собака ");
  CHECK(q.pairs[1].score == doctest::Approx(0.75));
}

TEST_CASE("similarity pairs: the whitespace layouts read as before") {
  TempDir dir;
  auto ws = read_text(dir, "ws.txt", "# comment\nlove\tsex\t6.77\ntiger cat  7.35 extra fields\n\n  # indented comment\n");
  CHECK(ws.layout == PairFileLayout::kWhitespace);
  CHECK_FALSE(ws.header);
  REQUIRE(ws.pairs.size() == 2);
  CHECK(first_words(ws) == "love|sex tiger|cat ");
  CHECK(ws.pairs[1].score == doctest::Approx(7.35));
  CHECK(ws.pairs[1].line == 3);
  // A tab on the first line keeps the whitespace layout even with commas.
  auto tab = read_text(dir, "tab.txt", "a,b\tc\t5\nd e 6\n");
  CHECK(tab.layout == PairFileLayout::kWhitespace);
  CHECK(first_words(tab) == "a,b|c d|e ");
  // The files the README names keep their results (if the shared data is here).
  for (const char* prefix : {"", "../", "../../", "../../../"}) {
    const std::string path = std::string(prefix) + "../shared/data/eval/simlex999.txt";
    if (!std::filesystem::exists(path)) continue;
    auto s = read_similarity_pairs(path);
    CHECK(s.layout == PairFileLayout::kWhitespace);
    CHECK(s.pairs.size() == 999);
    break;
  }
}

TEST_CASE("similarity pairs: malformed files are FormatErrors naming file, line and byte") {
  TempDir dir;
  CHECK(contains(error_of(dir, "open.csv", "w1,w2,sim\n\"кот,кошка,0.5\n"), "open.csv:2: quoted field not closed"));
  CHECK(contains(error_of(dir, "open.csv", "w1,w2,sim\nкот,\"кошка,0.5\n"), "at byte 8 of the line"));
  CHECK(contains(error_of(dir, "after.csv", "w1,w2,sim\n\"a\"b,c,1\n"), "after.csv:2: text after a closing quote"));
  CHECK(contains(error_of(dir, "in.csv", "w1,w2,sim\na\"b,c,1\n"), "in.csv:2: quote inside an unquoted field"));
  CHECK(contains(error_of(dir, "width.csv", "w1,w2,sim\na,b,1\nc,d,e,2\n"),
                 "width.csv:3: 4 comma-separated fields, but line 1 (the first) has 3"));
  CHECK(contains(error_of(dir, "two.csv", "a,b\n"), "two.csv:1: expected 'word1,word2,score', got 2"));
  CHECK(contains(error_of(dir, "score.csv", "w1,w2,sim\na,b,1\nc,d,high\n"), "score.csv:3: score 'high' is not a number"));
  CHECK(contains(error_of(dir, "nan.csv", "a,b,1\nc,d,nan\n"), "nan.csv:2: score 'nan' is not a number"));
  CHECK(contains(error_of(dir, "inf.txt", "a b inf\n"), "inf.txt:1: score 'inf' is not a number"));
  CHECK(contains(error_of(dir, "empty_word.csv", "w1,w2,sim\n,b,1\n"), "empty_word.csv:2: empty word"));
  CHECK(contains(error_of(dir, "header_only.csv", "word1,word2,sim\n"), "header_only.csv: a header line but no word pairs"));
  CHECK(contains(error_of(dir, "empty.txt", "# nothing\n\n"), "empty.txt: no word pairs"));
  CHECK(contains(error_of(dir, "short.txt", "east north\n"), "short.txt:1: expected 'word1 word2 score', got 2"));
  CHECK(contains(error_of(dir, "word.txt", "east north high\n"), "word.txt:1: score 'high' is not a number"));
  // cp1251 "кот" (0xEA 0xEE 0xF2) is not UTF-8.
  CHECK(contains(error_of(dir, "cp1251.csv", "w1,w2,sim\n\xEA\xEE\xF2,b,1\n"), "cp1251.csv:2: invalid UTF-8 at byte 1"));
  CHECK(thrown<common::InputError>([&] { read_similarity_pairs(dir.file("missing.csv")); }).find("missing.csv") !=
        std::string::npos);
}

TEST_CASE("similarity evaluation of a CSV file with a header: Spearman and coverage over Cyrillic pairs") {
  // Four words on the unit circle: cosines with "кот" fall as the angle grows.
  w2v::Embeddings e;
  const std::vector<std::pair<std::string, float>> angles = {{"кот", 0.f}, {"кошка", 0.3f}, {"собака", 1.2f}, {"стол", 2.5f}};
  e.vectors.resize(angles.size(), 2);
  for (std::size_t i = 0; i < angles.size(); ++i) {
    e.words.push_back(angles[i].first);
    e.vectors.at(i, 0) = std::cos(angles[i].second);
    e.vectors.at(i, 1) = std::sin(angles[i].second);
  }
  w2v::EmbeddingIndex idx(std::move(e));
  TempDir dir;
  write_file(dir.file("ru.csv"), "word1,word2,sim\nкот,кошка,0.9\nкот,собака,0.5\nкот,стол,0.1\nкот,единорог,0.7\n");
  auto r = w2v::evaluate_similarity(idx, dir.file("ru.csv"));
  CHECK(r.name == "ru.csv");
  CHECK(r.layout == PairFileLayout::kCsv);
  CHECK(r.pairs == 3);
  CHECK(r.total() == 4);
  CHECK(r.coverage() == doctest::Approx(0.75));
  CHECK(r.spearman == doctest::Approx(1.0));
  // Reversed gold order: Spearman -1.
  write_file(dir.file("rev.csv"), "кот,кошка,1\nкот,собака,2\nкот,стол,3\n");
  CHECK(w2v::evaluate_similarity(idx, dir.file("rev.csv")).spearman == doctest::Approx(-1.0));
}

TEST_CASE("RUSSE hj-dev.csv: all 65 pairs (shared data)") {
  const std::string found = testutil::shared_data("eval/ru/hj-dev.csv");
  if (found.empty()) {
    MESSAGE("skipping: ../shared/data/eval/ru/hj-dev.csv not found (the shared data is absent)");
    return;
  }
  auto p = read_similarity_pairs(found);
  CHECK(p.layout == PairFileLayout::kCsv);
  CHECK(p.header);
  REQUIRE(p.pairs.size() == 65);
  CHECK(p.pairs[0].first == "петух");
  CHECK(p.pairs[0].second == "петушок");
  CHECK(p.pairs[0].score == doctest::Approx(0.952381));
  std::size_t in_range = 0;
  for (const auto& x : p.pairs) in_range += x.score >= 0 && x.score <= 1 && !x.first.empty() && !x.second.empty();
  CHECK(in_range == 65);
}
