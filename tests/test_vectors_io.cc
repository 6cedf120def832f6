// word2vec/vectors_io.h: word2vec.c binary/text vectors, written atomically
// and read back (including gensim-style binary and errors).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "common/aligned.h"
#include "common/errors.h"
#include "test_util.h"
#include "word2vec/vectors_io.h"

using testutil::contains;
using testutil::read_file;
using testutil::TempDir;
using testutil::thrown;
using testutil::write_file;

namespace {

const std::vector<std::string_view> kWords = {"</s>", "hello", "caf\xC3\xA9", "x", "\xE2\x82\xAC", "longer_word_42"};

common::Matrix random_matrix(std::size_t rows, std::size_t cols, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-3.f, 3.f);
  common::Matrix m(rows, cols);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) m.at(r, c) = u(rng);
  return m;
}

std::string floats(std::initializer_list<float> v) {
  std::string s;
  for (float x : v) s.append(reinterpret_cast<const char*>(&x), sizeof x);
  return s;
}

}  // namespace

TEST_CASE("binary vectors round trip exactly, in word2vec.c's layout") {
  TempDir dir;
  const auto f = dir.file("v.bin");
  const auto m = random_matrix(kWords.size(), 10, 1);
  w2v::write_vectors(f, kWords, m, true);
  CHECK(dir.entries() == std::set<std::string>{"v.bin"});  // no temporary left
  const std::string bytes = read_file(f);
  CHECK(bytes.substr(0, 5) == "6 10\n");
  CHECK(bytes.substr(5, 5) == "</s> ");
  std::size_t expect_size = 5;
  for (auto w : kWords) expect_size += w.size() + 1 + 10 * sizeof(float) + 1;
  CHECK(bytes.size() == expect_size);
  CHECK(bytes.back() == '\n');

  const auto e = w2v::read_vectors(f);
  REQUIRE(e.words.size() == kWords.size());
  REQUIRE(e.vectors.rows() == kWords.size());
  REQUIRE(e.vectors.cols() == 10);
  for (std::size_t r = 0; r < kWords.size(); ++r) {
    CHECK(e.words[r] == kWords[r]);
    CHECK(std::memcmp(e.vectors.row(r), m.row(r), 10 * sizeof(float)) == 0);
  }

  // The exact bytes of a tiny file.
  common::Matrix t(2, 2);
  t.at(0, 0) = 1.f, t.at(0, 1) = -2.f, t.at(1, 0) = 0.5f, t.at(1, 1) = 0.f;
  w2v::write_vectors(f, {"a", "bc"}, t, true);
  CHECK(read_file(f) == "2 2\na " + floats({1.f, -2.f}) + "\nbc " + floats({0.5f, 0.f}) + "\n");
}

TEST_CASE("text vectors round trip within the 6 printed decimals") {
  TempDir dir;
  const auto f = dir.file("v.txt");
  const auto m = random_matrix(kWords.size(), 7, 2);
  w2v::write_vectors(f, kWords, m, false);
  const std::string text = read_file(f);
  CHECK(text.substr(0, 4) == "6 7\n");
  // Every row: word, then 7 "%lf " numbers, then '\n' (so rows end in " \n").
  std::size_t lines = 0, start = 4;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    REQUIRE(end != std::string::npos);
    const std::string line = text.substr(start, end - start);
    CHECK(line.back() == ' ');
    CHECK(std::count(line.begin(), line.end(), ' ') == 8);
    CHECK(line.substr(0, line.find(' ')) == kWords[lines]);
    ++lines;
    start = end + 1;
  }
  CHECK(lines == kWords.size());

  const auto e = w2v::read_vectors(f);
  REQUIRE(e.words.size() == kWords.size());
  REQUIRE(e.vectors.cols() == 7);
  for (std::size_t r = 0; r < kWords.size(); ++r) {
    CHECK(e.words[r] == kWords[r]);
    for (std::size_t c = 0; c < 7; ++c) CHECK(std::abs(e.vectors.at(r, c) - m.at(r, c)) <= 1e-6f);
  }
  common::Matrix t(1, 3);
  t.at(0, 0) = 0.25f, t.at(0, 1) = -1.f, t.at(0, 2) = 1e-7f;
  w2v::write_vectors(f, {"w"}, t, false);
  CHECK(read_file(f) == "1 3\nw 0.250000 -1.000000 0.000000 \n");
}

TEST_CASE("words that cannot be written are a FormatError and leave no file") {
  TempDir dir;
  const auto f = dir.file("v.bin");
  common::Matrix m(2, 4);
  for (std::string_view bad : {"has space", "", "tab\tbed", "new\nline", "nb\xC2\xA0sp", "ideo\xE3\x80\x80sp"}) {
    CAPTURE(bad);
    for (bool binary : {true, false}) {
      const auto msg = thrown<common::FormatError>([&] { w2v::write_vectors(f, {"ok", bad}, m, binary); });
      CHECK(contains(msg, "cannot write the word"));
      CHECK(dir.entries().empty());
    }
  }
  // An existing file is left alone by a failed write.
  write_file(f, "keep me");
  CHECK_THROWS_AS(w2v::write_vectors(f, {"ok", ""}, m, true), common::FormatError);
  CHECK(read_file(f) == "keep me");
  CHECK(dir.entries() == std::set<std::string>{"v.bin"});
}

TEST_CASE("a truncated binary file is a FormatError") {
  TempDir dir;
  const auto f = dir.file("v.bin");
  const auto m = random_matrix(kWords.size(), 8, 3);
  w2v::write_vectors(f, kWords, m, true);
  const std::string full = read_file(f);
  // Cut in the middle of the third row's floats, then after whole rows.
  const std::size_t row3 = full.find("caf\xC3\xA9 ");
  REQUIRE(row3 != std::string::npos);
  write_file(f, full.substr(0, row3 + 6 + 13));
  CHECK(contains(thrown<common::FormatError>([&] { w2v::read_vectors(f); }), "truncated"));
  write_file(f, full.substr(0, row3));
  CHECK(contains(thrown<common::FormatError>([&] { w2v::read_vectors(f); }), "truncated"));
  write_file(f, full.substr(0, full.find('\n') + 1));  // only the header
  CHECK(contains(thrown<common::FormatError>([&] { w2v::read_vectors(f); }), "truncated"));
  // ... but reading fewer rows than are present is fine.
  write_file(f, full.substr(0, row3));
  const auto e = w2v::read_vectors(f, 2);
  CHECK(e.words.size() == 2);
}

TEST_CASE("gensim-style binary rows without a newline read fine") {
  TempDir dir;
  const auto f = dir.file("g.bin");
  write_file(f, "3 2\nthe " + floats({0.5f, -0.25f}) + "cat " + floats({1.5f, 2.f}) + "\xC3\xA9t\xC3\xA9 " +
                    floats({-3.f, 0.125f}));
  const auto e = w2v::read_vectors(f);
  REQUIRE(e.words == std::vector<std::string>{"the", "cat", "\xC3\xA9t\xC3\xA9"});
  CHECK(e.vectors.at(0, 0) == 0.5f);
  CHECK(e.vectors.at(0, 1) == -0.25f);
  CHECK(e.vectors.at(1, 0) == 1.5f);
  CHECK(e.vectors.at(1, 1) == 2.f);
  CHECK(e.vectors.at(2, 0) == -3.f);
  CHECK(e.vectors.at(2, 1) == 0.125f);
}

TEST_CASE("bad headers and bad text rows are FormatErrors") {
  TempDir dir;
  const auto f = dir.file("v.txt");
  for (const char* bad : {"", "hello world\n", "3\nw 1 2 3\n", "0 3\n", "2 -1\n", "2 3 4\nw 1 2 3\n", "x y z\n"}) {
    CAPTURE(bad);
    write_file(f, bad);
    CHECK_THROWS_AS(w2v::read_vectors(f), common::FormatError);
  }
  write_file(f, "2 3\na 1 2 3 \nb 4 5 6 7 \n");
  auto msg = thrown<common::FormatError>([&] { w2v::read_vectors(f); });
  CHECK(contains(msg, "dimension"));
  CHECK(contains(msg, "row 2"));
  write_file(f, "2 3\na 1 2 3\nb 4 5 six\n");
  CHECK(contains(thrown<common::FormatError>([&] { w2v::read_vectors(f); }), "not a number"));
  write_file(f, "2 3\na 1 2 3\nb 4 5");
  CHECK(contains(thrown<common::FormatError>([&] { w2v::read_vectors(f); }), "truncated"));
  CHECK_THROWS_AS(w2v::read_vectors(dir.file("missing.txt")), common::InputError);
}

TEST_CASE("text variants: CRLF, fastText .vec without trailing spaces") {
  TempDir dir;
  const auto f = dir.file("v.vec");
  write_file(f, "2 3\r\nfoo 0.1 -0.2 3\r\nbar 1e-3 2.5 -7\r\n");
  const auto e = w2v::read_vectors(f);
  REQUIRE(e.words == std::vector<std::string>{"foo", "bar"});
  CHECK(e.vectors.at(0, 1) == doctest::Approx(-0.2f));
  CHECK(e.vectors.at(1, 0) == doctest::Approx(1e-3f));
  CHECK(e.vectors.at(1, 2) == -7.f);
}

TEST_CASE("limit reads only the first N rows") {
  TempDir dir;
  const auto m = random_matrix(kWords.size(), 5, 4);
  for (bool binary : {true, false}) {
    CAPTURE(binary);
    const auto f = dir.file(binary ? "v.bin" : "v.txt");
    w2v::write_vectors(f, kWords, m, binary);
    const auto e = w2v::read_vectors(f, 3);
    REQUIRE(e.words.size() == 3);
    CHECK(e.vectors.rows() == 3);
    CHECK(e.words[2] == kWords[2]);
    CHECK(e.vectors.at(2, 4) == doctest::Approx(m.at(2, 4)).epsilon(1e-5));
    CHECK(w2v::read_vectors(f, 100).words.size() == kWords.size());  // a limit above V reads all
  }
}

TEST_CASE("a header claiming more rows than the file can hold is refused before allocating") {
  // "100000000 16" allocated 6 GB and took 13 s before "truncated"; larger
  // counts ran out of memory. The file's size bounds the row count.
  testutil::TempDir dir;
  const std::string f = dir.file("liar.txt");
  testutil::write_file(f, "100000000 16\nw 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n");
  const auto msg = thrown<common::FormatError>([&] { w2v::read_vectors(f); });
  CHECK(contains(msg, "claims 100000000 rows of 16 values, but the file has room for at most 1"));
  CHECK(contains(msg, "liar.txt"));
  testutil::write_file(f, "4611686018427387904 100000\nw 1\n");
  CHECK(contains(thrown<common::FormatError>([&] { w2v::read_vectors(f); }), "room for at most 0"));
  // --limit asks for fewer rows: those must fit, the rest need not exist.
  testutil::write_file(f, "1000 2\na 1 2\nb 3 4\n");
  CHECK(w2v::read_vectors(f, 2).vectors.rows() == 2);
}

TEST_CASE("non-finite values in text vectors are refused, naming row and word") {
  testutil::TempDir dir;
  const std::string f = dir.file("nan.txt");
  for (const char* bad : {"nan", "inf", "-inf", "NaN"}) {
    testutil::write_file(f, std::string("2 3\na 0.1 0.2 0.3\nb 1 ") + bad + " 3\n");
    const auto msg = thrown<common::FormatError>([&] { w2v::read_vectors(f); });
    CHECK(contains(msg, std::string("row 2 ('b'): '") + bad + "' is not a finite number"));
  }
}

TEST_CASE("a directory given as vectors is an InputError") {
  testutil::TempDir dir;
  CHECK(contains(thrown<common::InputError>([&] { w2v::read_vectors(dir.path().string()); }), "is a directory"));
}
