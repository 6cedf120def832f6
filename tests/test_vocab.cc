// word2vec/vocab.h: counting, ordering, min-count / max-vocab, threads,
// and the -save-vocab / -read-vocab file.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/corpus_files.h"
#include "common/errors.h"
#include "test_util.h"
#include "word2vec/vocab.h"

using testutil::contains;
using testutil::TempDir;
using testutil::thrown;
using testutil::write_file;
using w2v::Vocab;
using w2v::VocabOptions;
using w2v::VocabStats;

namespace {

using Entries = std::vector<std::pair<std::string, std::uint64_t>>;

Entries entries(const Vocab& v) {
  Entries e;
  for (std::size_t i = 0; i < v.size(); ++i) e.emplace_back(std::string(v.word(i)), v.count(i));
  return e;
}

Vocab build(const std::string& path, std::int64_t min_count, std::int64_t max_vocab = 0, int threads = 1,
            VocabStats* stats = nullptr) {
  common::CorpusFiles files({path});
  return Vocab::build(files, VocabOptions{min_count, max_vocab, threads}, stats);
}

// a:5 e:5 b:3 c:3 é:2 d:1, four newlines.
const char* kSmall =
    "a b c a e\n"
    "e e a b \xC3\xA9\n"
    "c a d \xC3\xA9 c\n"
    "e b a e\n";

}  // namespace

TEST_CASE("vocabulary counts and order: </s> first, then count desc, ties by bytes") {
  TempDir dir;
  write_file(dir.file("c.txt"), kSmall);
  VocabStats st;
  Vocab v = build(dir.file("c.txt"), 1, 0, 1, &st);
  CHECK(entries(v) == Entries{{"</s>", 4}, {"a", 5}, {"e", 5}, {"b", 3}, {"c", 3}, {"\xC3\xA9", 2}, {"d", 1}});
  CHECK(v.train_words() == 23);
  CHECK(st.tokens == 19);
  CHECK(st.distinct == 6);
  CHECK(st.below_min == 0);
  CHECK(st.cut_by_max == 0);
  CHECK(v.find("</s>") == 0);
  CHECK(v.find("c") == 4);
  CHECK(v.find("\xC3\xA9") == 5);
  CHECK(v.find("zzz") < 0);
  CHECK(v.counts() == std::vector<std::uint64_t>{4, 5, 5, 3, 3, 2, 1});
}

TEST_CASE("a literal </s> token counts as an end of sentence") {
  TempDir dir;
  write_file(dir.file("c.txt"), "x </s> y\nx y\n");
  Vocab v = build(dir.file("c.txt"), 1);
  CHECK(entries(v) == Entries{{"</s>", 3}, {"x", 2}, {"y", 2}});
}

TEST_CASE("min_count drops rare words") {
  TempDir dir;
  write_file(dir.file("c.txt"), kSmall);
  VocabStats st;
  Vocab v = build(dir.file("c.txt"), 3, 0, 1, &st);
  CHECK(entries(v) == Entries{{"</s>", 4}, {"a", 5}, {"e", 5}, {"b", 3}, {"c", 3}});
  CHECK(v.train_words() == 20);
  CHECK(st.below_min == 2);
  CHECK(st.distinct == 6);
  CHECK(v.find("d") < 0);
}

TEST_CASE("max_vocab keeps the N most frequent entries, </s> included") {
  TempDir dir;
  write_file(dir.file("c.txt"), kSmall);
  VocabStats st;
  Vocab v = build(dir.file("c.txt"), 1, 3, 1, &st);
  CHECK(entries(v) == Entries{{"</s>", 4}, {"a", 5}, {"e", 5}});
  CHECK(st.cut_by_max == 4);
  CHECK(st.below_min == 0);

  v = build(dir.file("c.txt"), 3, 4, 1, &st);
  CHECK(entries(v) == Entries{{"</s>", 4}, {"a", 5}, {"e", 5}, {"b", 3}});
  CHECK(st.cut_by_max == 1);
  CHECK(st.below_min == 2);

  v = build(dir.file("c.txt"), 1, 2, 1, &st);
  CHECK(v.size() == 2);
  CHECK(st.cut_by_max == 5);

  // A limit at or above the vocabulary size cuts nothing.
  for (int limit : {7, 8, 100}) {
    v = build(dir.file("c.txt"), 1, limit, 1, &st);
    CHECK(v.size() == 7);
    CHECK(st.cut_by_max == 0);
  }
}

TEST_CASE("no word reaching min_count, or no words at all, is an InputError") {
  TempDir dir;
  write_file(dir.file("c.txt"), kSmall);
  auto msg = thrown<common::InputError>([&] { build(dir.file("c.txt"), 6); });
  CHECK(contains(msg, "-min-count"));
  CHECK(contains(msg, "'a'"));  // names the most frequent word
  write_file(dir.file("blank.txt"), " \n\t\n\xC2\xA0\n");
  CHECK_THROWS_AS(build(dir.file("blank.txt"), 1), common::InputError);
}

TEST_CASE("counting with several threads gives the same vocabulary") {
  TempDir dir;
  std::mt19937 rng(3);
  std::string text;
  while (text.size() < 400000) {
    // Zipf-like word ids, many ties among the rare ones.
    const int id = static_cast<int>(std::pow(2.0, (rng() % 1400) / 100.0));
    text += 'w';
    text += std::to_string(id);
    text += rng() % 9 == 0 ? "\n" : " ";
  }
  write_file(dir.file("c.txt"), text);
  const Vocab v1 = build(dir.file("c.txt"), 2, 0, 1);
  REQUIRE(v1.size() > 100);
  for (int threads : {2, 3, 5}) {
    CAPTURE(threads);
    VocabStats st;
    const Vocab vn = build(dir.file("c.txt"), 2, 0, threads, &st);
    CHECK(entries(vn) == entries(v1));
    CHECK(vn.train_words() == v1.train_words());
  }
  // Counts add up to the tokens read, plus one </s> per line.
  std::uint64_t tokens = 0, lines = 0;
  for (char c : text) lines += c == '\n';
  VocabStats st;
  build(dir.file("c.txt"), 1, 0, 3, &st);
  tokens = st.tokens;
  const Vocab all = build(dir.file("c.txt"), 1, 0, 3);
  CHECK(all.count(0) == lines);
  CHECK(all.train_words() == tokens + lines);
}

TEST_CASE("save() then read() round trip, with filtering on read") {
  TempDir dir;
  write_file(dir.file("c.txt"), kSmall);
  const Vocab v = build(dir.file("c.txt"), 1);
  v.save(dir.file("vocab.txt"));
  CHECK(testutil::read_file(dir.file("vocab.txt")) == "</s> 4\na 5\ne 5\nb 3\nc 3\n\xC3\xA9 2\nd 1\n");
  CHECK(dir.entries() == std::set<std::string>{"c.txt", "vocab.txt"});  // no temporary left
  const Vocab r = Vocab::read(dir.file("vocab.txt"), VocabOptions{1, 0, 1});
  CHECK(entries(r) == entries(v));
  CHECK(r.train_words() == v.train_words());
  VocabStats st;
  const Vocab r3 = Vocab::read(dir.file("vocab.txt"), VocabOptions{3, 4, 1}, &st);
  CHECK(entries(r3) == Entries{{"</s>", 4}, {"a", 5}, {"e", 5}, {"b", 3}});
  CHECK(st.below_min == 2);
  CHECK(st.cut_by_max == 1);
}

TEST_CASE("read() of a malformed vocabulary file is a FormatError naming file:line") {
  TempDir dir;
  const auto f = dir.file("vocab.txt");
  write_file(f, "</s> 4\na 5\nb\nc 3\n");
  auto msg = thrown<common::FormatError>([&] { Vocab::read(f, VocabOptions{1, 0, 1}); });
  CHECK(contains(msg, f + ":3:"));
  write_file(f, "a 5\nb 3\nc three\n");
  msg = thrown<common::FormatError>([&] { Vocab::read(f, VocabOptions{1, 0, 1}); });
  CHECK(contains(msg, f + ":3:"));
  write_file(f, "a 5\n 3\n");
  msg = thrown<common::FormatError>([&] { Vocab::read(f, VocabOptions{1, 0, 1}); });
  CHECK(contains(msg, f + ":2:"));
  CHECK_THROWS_AS(Vocab::read(dir.file("missing.txt"), VocabOptions{1, 0, 1}), common::InputError);
}
