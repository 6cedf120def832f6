// common/corpus_files.h and common/token_reader.h: the tokenizer over one
// or several files, its buffer boundaries, errors, and split ranges.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "common/corpus_files.h"
#include "common/errors.h"
#include "tokenizer/token_reader.h"
#include "common/utf8.h"
#include "test_util.h"

using common::CorpusFiles;
using tok::TokenReader;
using testutil::contains;
using testutil::TempDir;
using testutil::thrown;
using testutil::write_file;

namespace {

constexpr const char* kNl = "<NL>";
constexpr const char* kBrk = "<BREAK>";
constexpr std::size_t kMiB = 1 << 20;

// Every event of reader until kEnd: tokens, "<NL>" and "<BREAK>".
std::vector<std::string> events(TokenReader& r, std::size_t max_events = SIZE_MAX) {
  std::vector<std::string> out;
  std::string_view tok;
  while (out.size() < max_events) {
    auto k = r.next(&tok);
    if (k == TokenReader::Kind::kEnd) break;
    if (k == TokenReader::Kind::kToken) out.emplace_back(tok);
    if (k == TokenReader::Kind::kNewline) out.emplace_back(kNl);
    if (k == TokenReader::Kind::kBreak) out.emplace_back(kBrk);
  }
  return out;
}

std::vector<std::string> read_all(const std::vector<std::string>& inputs) {
  CorpusFiles files(inputs);
  TokenReader r(files, 0, files.total_bytes());
  return events(r);
}

std::vector<std::string> without(std::vector<std::string> v, const std::string& what) {
  v.erase(std::remove(v.begin(), v.end(), what), v.end());
  return v;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("tokens split on ASCII and Unicode spaces, newline and file end events") {
  TempDir dir;
  const auto f = dir.file("a.txt");
  // tab, CR, vertical tab, NBSP (C2 A0), ideographic space (E3 80 80), em space.
  write_file(f, "  one\ttwo\r\nthree\xC2\xA0" "four\xE3\x80\x80" "five\xE2\x80\x83six\x0Bseven\n\ncaf\xC3\xA9 last");
  CHECK(read_all({f}) == V{"one", "two", kNl, "three", "four", "five", "six", "seven", kNl, kNl, "caf\xC3\xA9", "last", kBrk});

  write_file(f, "x y\n");
  CorpusFiles files({f});
  TokenReader r(files, 0, files.total_bytes());
  std::string_view tok;
  CHECK(r.next(&tok) == TokenReader::Kind::kToken);
  CHECK(tok == "x");
  CHECK(r.next(&tok) == TokenReader::Kind::kToken);
  CHECK(tok == "y");
  CHECK(r.next(&tok) == TokenReader::Kind::kNewline);
  CHECK(r.next(&tok) == TokenReader::Kind::kBreak);
  CHECK(r.next(&tok) == TokenReader::Kind::kEnd);
  CHECK(r.next(&tok) == TokenReader::Kind::kEnd);
}

TEST_CASE("several files: a break between them, sentences never merge") {
  TempDir dir;
  write_file(dir.file("1.txt"), "a b");  // no final newline
  write_file(dir.file("2.txt"), "c d\n");
  write_file(dir.file("empty.txt"), "");
  const auto ev = read_all({dir.file("1.txt"), dir.file("empty.txt"), dir.file("2.txt")});
  // The break after "b" ends the first file's sentence.
  REQUIRE(ev.size() >= 3);
  CHECK(ev[0] == "a");
  CHECK(ev[1] == "b");
  CHECK(ev[2] == kBrk);
  CHECK(without(ev, kBrk) == V{"a", "b", "c", "d", kNl});
  CHECK(ev.back() == kBrk);

  CorpusFiles files({dir.file("1.txt"), dir.file("2.txt")});
  REQUIRE(files.files().size() == 2);
  CHECK(files.total_bytes() == 3 + 4);
  CHECK(files.files()[1].offset == 3);
  CHECK(files.file_at(2) == 0);
  CHECK(files.file_at(3) == 1);
}

TEST_CASE("a directory is read recursively in sorted path order") {
  TempDir dir;
  write_file(dir.file("in/b.txt"), "bee\n");
  write_file(dir.file("in/a.txt"), "ay\n");
  write_file(dir.file("in/sub/c.txt"), "sea\n");
  write_file(dir.file("in/sub/deeper/d.txt"), "dee\n");
  write_file(dir.file("in/z.txt"), "zed\n");
  CorpusFiles files({dir.file("in")});
  REQUIRE(files.files().size() == 5);
  CHECK(without(without(read_all({dir.file("in")}), kBrk), kNl) == V{"ay", "bee", "sea", "dee", "zed"});
  for (std::size_t i = 1; i < files.files().size(); ++i) CHECK(files.files()[i - 1].path < files.files()[i].path);
}

TEST_CASE("an over-long token is cut at a character boundary") {
  TempDir dir;
  const auto f = dir.file("long.txt");
  std::string e300;
  for (int i = 0; i < 300; ++i) e300 += "\xC3\xA9";  // 600 bytes
  std::string euro200;
  for (int i = 0; i < 200; ++i) euro200 += "\xE2\x82\xAC";  // 3-byte chars: 100 is not a boundary
  std::string ascii(5000, 'q');
  write_file(f, "before " + e300 + " next " + euro200 + "\xC2\xA0" "after\n" + ascii + "\tend\n");
  const auto ev = read_all({f});
  REQUIRE(ev.size() == 10);
  CHECK(ev[0] == "before");
  CHECK(ev[1] == e300.substr(0, 100));  // 50 é
  CHECK(ev[2] == "next");
  CHECK(ev[3] == euro200.substr(0, 99));  // 33 €
  CHECK(ev[4] == "after");
  CHECK(ev[5] == kNl);
  CHECK(ev[6] == std::string(TokenReader::kMaxTokenBytes, 'q'));
  CHECK(ev[7] == "end");
  CHECK(ev[8] == kNl);
  CHECK(ev[9] == kBrk);
  for (const auto& t : ev) {
    CHECK(t.size() <= TokenReader::kMaxTokenBytes);
    CHECK(common::utf8_valid(t));
  }
}

TEST_CASE("tokens of 100 bytes are kept whole, 101 and more are cut to 100") {
  TempDir dir;
  const auto f = dir.file("t.txt");
  const std::string t100(100, 'a'), t101(101, 'b'), t150(150, 'c'), t200(200, 'd'), t201(201, 'e');
  write_file(f, t100 + " " + t101 + " " + t150 + "\n" + t200 + " " + t201 + " z");
  CHECK(read_all({f}) == V{t100, t101.substr(0, 100), t150.substr(0, 100), kNl, t200.substr(0, 100),
                           t201.substr(0, 100), "z", kBrk});
}

namespace {

// Filler words, then `special` starting exactly at byte `start`, then "tail".
// Returns the expected tokens (without newlines) up to the final break.
std::vector<std::string> crossing_file(const std::string& path, std::size_t start, const std::string& special,
                                       const std::string& special_expected) {
  std::string text;
  std::vector<std::string> want;
  while (text.size() + 7 <= start - 2) {
    text += want.size() % 50 == 49 ? "fill_w\n" : "fill_w ";
    want.push_back("fill_w");
  }
  want.push_back(std::string(start - 1 - text.size(), 'p'));  // 1..8 bytes of padding
  text += want.back() + " ";
  REQUIRE(text.size() == start);
  text += special + "\ttail\n";
  want.push_back(special_expected);
  want.push_back("tail");
  want.push_back(kBrk);
  write_file(path, text);
  return want;
}

}  // namespace

TEST_CASE("tokens crossing the 1 MiB buffer boundary are read intact") {
  TempDir dir;
  const auto f = dir.file("big.txt");
  // Multi-byte characters, so that some cuts fall inside a character.
  const std::string marker = "X\xF0\x9F\x98\x80\xC3\xA9mid\xE2\x82\xAC" "Z";
  for (std::size_t k = 0; k <= marker.size() + 1; ++k) {
    CAPTURE(k);
    const auto want = crossing_file(f, kMiB + 1 - k, marker, marker);
    CHECK(without(read_all({f}), kNl) == want);
  }
}

TEST_CASE("an over-long token crossing the buffer boundary is cut and skipped") {
  TempDir dir;
  const auto f = dir.file("big.txt");
  std::string e300;
  for (int i = 0; i < 300; ++i) e300 += "\xC3\xA9";
  for (std::size_t k : {1, 2, 3, 50, 99, 100, 101, 102, 103, 150, 299, 300, 301, 599, 600}) {
    CAPTURE(k);
    auto want = crossing_file(f, kMiB - k, e300, e300.substr(0, 100));
    CHECK(without(read_all({f}), kNl) == want);
    if (k <= 300) {
      want = crossing_file(f, kMiB - k, std::string(300, 'L'), std::string(100, 'L'));
      CHECK(without(read_all({f}), kNl) == want);
    }
  }
}

TEST_CASE("invalid UTF-8 raises InputError naming the file and line") {
  TempDir dir;
  const auto good = dir.file("good.txt");
  const auto bad = dir.file("bad.txt");
  write_file(good, "fine words\nmore\n");
  write_file(bad, "line one\nline two\n\nlatin1 caf\xE9 here\nafter\n");
  auto msg = thrown<common::InputError>([&] { read_all({good, bad}); });
  CHECK(contains(msg, "bad.txt:4:"));
  CHECK(contains(msg, "UTF-8"));
  // Deep in a file (past the first buffer), and a truncated sequence at EOF.
  std::string big;
  int lines = 0;
  while (big.size() < kMiB + 1000) {
    big += "some ordinary words on a line\n";
    ++lines;
  }
  write_file(bad, big + "oops \xED\xA0\x80 surrogate\n");
  msg = thrown<common::InputError>([&] { read_all({bad}); });
  CHECK(contains(msg, "bad.txt:" + std::to_string(lines + 1) + ":"));
  write_file(bad, "ok\nok\ncut \xE2\x82");
  msg = thrown<common::InputError>([&] { read_all({bad}); });
  CHECK(contains(msg, "bad.txt:3:"));
  write_file(bad, "stray \x80 continuation\n");
  msg = thrown<common::InputError>([&] { read_all({bad}); });
  CHECK(contains(msg, "bad.txt:1:"));
}

TEST_CASE("a NUL byte raises InputError") {
  TempDir dir;
  const auto f = dir.file("nul.txt");
  write_file(f, std::string("text\nwith a nu", 14) + '\0' + "l byte\n");
  auto msg = thrown<common::InputError>([&] { read_all({f}); });
  CHECK(contains(msg, "NUL"));
  CHECK(contains(msg, "nul.txt:2:"));
  write_file(f, std::string("x\n\0\n", 4));  // NUL as a token's first byte
  CHECK(contains(thrown<common::InputError>([&] { read_all({f}); }), "NUL"));
}

TEST_CASE("a UTF-8 BOM at the start of each file is skipped") {
  TempDir dir;
  write_file(dir.file("a.txt"), "\xEF\xBB\xBF" "first word\n");
  write_file(dir.file("b.txt"), "\xEF\xBB\xBF" "second\n");
  CHECK(without(read_all({dir.file("a.txt"), dir.file("b.txt")}), kBrk) == V{"first", "word", kNl, "second", kNl});
  // Only at the start: a BOM later in the file is part of a token (U+FEFF is not a space).
  write_file(dir.file("c.txt"), "x \xEF\xBB\xBFy\n");
  CHECK(without(read_all({dir.file("c.txt")}), kBrk) == V{"x", "\xEF\xBB\xBFy", kNl});
}

TEST_CASE("empty and missing inputs raise InputError") {
  TempDir dir;
  write_file(dir.file("empty.txt"), "");
  CHECK(contains(thrown<common::InputError>([&] { CorpusFiles c({dir.file("empty.txt")}); }), "empty"));
  CHECK_THROWS_AS(CorpusFiles({}), common::InputError);
  const auto missing = dir.file("no/such/file.txt");
  CHECK(contains(thrown<common::InputError>([&] { CorpusFiles c({missing}); }), missing));
  std::filesystem::create_directories(dir.file("emptydir"));
  CHECK_THROWS_AS(CorpusFiles({dir.file("emptydir")}), common::InputError);
}

namespace {

// A corpus of random lines with multi-byte words and Unicode spaces.
std::string random_text(std::mt19937& rng, std::size_t bytes, bool newlines) {
  static const std::vector<std::string> words = {"the", "a", "caf\xC3\xA9", "\xE2\x82\xAC" "uro", "x", "longerword",
                                                 "\xF0\x9F\x98\x80", "na\xC3\xAFve", "z9", "q"};
  static const std::vector<std::string> seps = {" ", " ", " ", "\t", "  ", "\xC2\xA0", "\xE3\x80\x80", "\r"};
  std::string s;
  while (s.size() < bytes) {
    s += words[rng() % words.size()];
    s += (newlines && rng() % 12 == 0) ? "\n" : seps[rng() % seps.size()];
  }
  return s;
}

}  // namespace

TEST_CASE("split_ranges partitions the corpus into ranges that read the same tokens") {
  TempDir dir;
  std::mt19937 rng(99);
  write_file(dir.file("a.txt"), random_text(rng, 300000, true));
  write_file(dir.file("b.txt"), "");
  write_file(dir.file("c.txt"), random_text(rng, 7, false));  // tiny, no newline
  write_file(dir.file("d.txt"), random_text(rng, 200000, true) + "\n");
  // One line of > 3 MiB: no '\n' within 1 MiB, so cuts fall on spaces.
  write_file(dir.file("e.txt"), random_text(rng, 3 * kMiB + 12345, false));
  for (const auto& inputs : {std::vector<std::string>{dir.file("e.txt")},
                             std::vector<std::string>{dir.file("a.txt"), dir.file("b.txt"), dir.file("c.txt"),
                                                      dir.file("d.txt"), dir.file("e.txt")}}) {
    CorpusFiles files(inputs);
    TokenReader whole(files, 0, files.total_bytes());
    const auto all = without(events(whole), kBrk);
    REQUIRE(all.size() > 1000);
    for (int n = 1; n <= 5; ++n) {
      CAPTURE(inputs.size());
      CAPTURE(n);
      auto ranges = tok::split_ranges(files, n);
      REQUIRE(ranges.size() == static_cast<std::size_t>(n));
      CHECK(ranges.front().first == 0);
      CHECK(ranges.back().second == files.total_bytes());
      std::vector<std::string> joined;
      for (std::size_t i = 0; i < ranges.size(); ++i) {
        if (i > 0) CHECK(ranges[i].first == ranges[i - 1].second);
        CHECK(ranges[i].first <= ranges[i].second);
        TokenReader r(files, ranges[i].first, ranges[i].second);
        auto part = without(events(r), kBrk);
        joined.insert(joined.end(), part.begin(), part.end());
      }
      // Contiguous ranges at token boundaries: the same tokens in the same order.
      CHECK(joined.size() == all.size());
      CHECK(joined == all);
    }
    // The long single line is actually split at spaces. (A cut with the end of
    // the file less than 1 MiB ahead goes to the end of the file, like a
    // newline would, so use cuts that are more than 1 MiB from the end.)
    if (inputs.size() == 1) {
      auto ranges = tok::split_ranges(files, 3);
      for (const auto& [b, e] : ranges) CHECK(e - b > 9 * kMiB / 10);
    }
  }
}

TEST_CASE("align_to_boundary: just after the next newline within 1 MiB") {
  TempDir dir;
  // Newlines at 7, 23 and 27; b.txt (no newline) spans [28, 39).
  write_file(dir.file("a.txt"), "one two\nthree four five\nsix\n");
  write_file(dir.file("b.txt"), "seven eight");
  CorpusFiles files({dir.file("a.txt"), dir.file("b.txt")});
  REQUIRE(files.total_bytes() == 39);
  auto want = [](std::uint64_t pos) -> std::uint64_t {
    if (pos == 0) return 0;
    if (pos <= 7) return 8;
    if (pos <= 23) return 24;  // a position at a line start moves to the next line end
    if (pos <= 28) return 28;  // 28: the start of a file is a boundary
    return 39;                 // the end of the file (and of the corpus)
  };
  for (std::uint64_t pos = 0; pos <= 41; ++pos) {
    CAPTURE(pos);
    CHECK(tok::align_to_boundary(files, pos) == want(pos));
  }
}

TEST_CASE("seek(position()) continues exactly where the reader was") {
  TempDir dir;
  std::mt19937 rng(5);
  write_file(dir.file("a.txt"), random_text(rng, 3000, true));
  write_file(dir.file("b.txt"), "\xEF\xBB\xBF" + random_text(rng, 2000, true));
  CorpusFiles files({dir.file("a.txt"), dir.file("b.txt")});
  TokenReader whole(files, 0, files.total_bytes());
  const auto all = events(whole);
  REQUIRE(all.size() > 500);
  for (std::size_t k = 0; k < all.size(); k += 37) {
    CAPTURE(k);
    TokenReader r(files, 0, files.total_bytes());
    auto head = events(r, k);
    REQUIRE(head.size() == k);
    const auto pos = r.position();
    // Seeking the same reader, and a fresh reader, both continue identically
    // (a file-end break right at the seek point may be dropped: ignore breaks).
    r.seek(pos);
    auto rest = events(r);
    TokenReader fresh(files, 0, files.total_bytes());
    fresh.seek(pos);
    auto rest2 = events(fresh);
    std::vector<std::string> want(all.begin() + static_cast<long>(k), all.end());
    CHECK(without(rest, kBrk) == without(want, kBrk));
    CHECK(rest2 == rest);
  }
}

TEST_CASE("the corpus fingerprint identifies contents, not path strings") {
  // Resume compared "path:size" strings: './c.txt' vs 'c.txt' was refused and
  // other text of the same size was accepted.
  testutil::TempDir dir;
  const std::string a = dir.file("c.txt");
  testutil::write_file(a, "the quick brown fox\njumps over the lazy dog\n");
  const std::string fp = CorpusFiles({a}).fingerprint();
  CHECK(CorpusFiles({dir.file("./c.txt")}).fingerprint() == fp);
  std::filesystem::create_directory(dir.file("sub"));
  CHECK(CorpusFiles({dir.file("sub/../c.txt")}).fingerprint() == fp);
  testutil::write_file(dir.file("copy.txt"), testutil::read_file(a));
  CHECK(CorpusFiles({dir.file("copy.txt")}).fingerprint() == fp);  // a copy is the same input
  testutil::write_file(dir.file("same-size.txt"), "the quick brown cat\njumps over the lazy dog\n");
  CHECK(CorpusFiles({dir.file("same-size.txt")}).fingerprint() != fp);
  CHECK(CorpusFiles({a, a}).fingerprint() != fp);  // twice the text
  // A large file: changing one byte in a sampled block changes the fingerprint.
  std::string big(3'000'000, 'x');
  for (std::size_t i = 0; i < big.size(); i += 80) big[i] = '\n';
  testutil::write_file(dir.file("big.txt"), big);
  const std::string fb = CorpusFiles({dir.file("big.txt")}).fingerprint();
  big[1] = 'y';
  testutil::write_file(dir.file("big.txt"), big);
  CHECK(CorpusFiles({dir.file("big.txt")}).fingerprint() != fb);
  CHECK(fp.find("1 file(s), 44 bytes") == 0);
}
