// common/line_reader.h, common/buffered_writer.h and common/text_fields.h:
// the one way wordlens reads lines, splits them and writes buffered output.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "common/atomic_file.h"
#include "common/buffered_writer.h"
#include "common/errors.h"
#include "common/line_reader.h"
#include "common/text_fields.h"
#include "test_util.h"

using common::BufferedWriter;
using common::LineReader;
using testutil::contains;
using testutil::TempDir;
using testutil::thrown;
using testutil::write_file;

namespace {

using Lines = std::vector<std::string>;

Lines all_lines(LineReader& in) {
  Lines out;
  for (std::string line; in.next(line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("LineReader drops CR from CRLF lines and reads a last line without newline") {
  TempDir dir;
  write_file(dir.file("crlf.txt"), "one\r\ntwo\r\n\r\nthree");
  LineReader in(dir.file("crlf.txt"), "test file");
  CHECK(all_lines(in) == Lines{"one", "two", "", "three"});
  CHECK(in.line_number() == 4);
  // Only one trailing CR goes; a CR inside the line stays.
  std::istringstream s("a\rb\r\r\n");
  LineReader ss(s, "stream");
  CHECK(all_lines(ss) == Lines{"a\rb\r"});
}

TEST_CASE("LineReader counts lines from 1, blank lines included") {
  std::istringstream s("\nfirst\n\n  \nsecond\n\n");
  LineReader in(s, "input.txt");
  CHECK(in.line_number() == 0);
  CHECK(in.where() == "input.txt:0");
  std::string line;
  REQUIRE(in.next_nonempty(line));
  CHECK(line == "first");
  CHECK(in.line_number() == 2);
  REQUIRE(in.next_nonempty(line));
  CHECK(line == "  ");  // whitespace is not blank: the caller decides
  CHECK(in.where() == "input.txt:4");
  REQUIRE(in.next_nonempty(line));
  CHECK(line == "second");
  CHECK(in.where() == "input.txt:5");
  CHECK_FALSE(in.next_nonempty(line));
  CHECK(in.line_number() == 6);
  CHECK_FALSE(in.next(line));
  CHECK(in.name() == "input.txt");
}

TEST_CASE("LineReader on an empty file reads nothing") {
  TempDir dir;
  write_file(dir.file("empty.txt"), "");
  LineReader in(dir.file("empty.txt"), "test file");
  std::string line;
  CHECK_FALSE(in.next(line));
  CHECK(in.line_number() == 0);
  CHECK(in.where() == dir.file("empty.txt") + ":0");
}

TEST_CASE("LineReader refuses a directory and a missing file, naming the path and its role") {
  TempDir dir;
  const auto msg = thrown<common::InputError>([&] { LineReader in(dir.path().string(), "STS file"); });
  CHECK(contains(msg, "cannot read STS file '" + dir.path().string() + "'"));
  CHECK(contains(msg, "is a directory, not a file"));
  const auto missing = thrown<common::InputError>([&] { LineReader in(dir.file("nope.txt"), "vocabulary file"); });
  CHECK(contains(missing, "cannot open vocabulary file '" + dir.file("nope.txt") + "'"));
  CHECK(contains(missing, "No such file"));
}

TEST_CASE("split_fields keeps empty fields, split_ws drops every run of whitespace") {
  using common::split_fields;
  using common::split_ws;
  CHECK(split_fields("a\tb\tc", '\t') == Lines{"a", "b", "c"});
  CHECK(split_fields("a,,b,", ',') == Lines{"a", "", "b", ""});
  CHECK(split_fields("", ',') == Lines{""});
  CHECK(split_fields(",", ',') == Lines{"", ""});
  CHECK(split_fields("no separator", '\t') == Lines{"no separator"});
  CHECK(split_ws("  a \t b\r\n c  ") == Lines{"a", "b", "c"});
  CHECK(split_ws("one") == Lines{"one"});
  CHECK(split_ws(" \t\v\f\r ").empty());
  CHECK(split_ws("").empty());
}

TEST_CASE("split_csv: quoted fields, doubled quotes, blanks around fields, malformed lines") {
  using common::split_csv;
  CHECK(split_csv("петух,петушок,0.95").fields == Lines{"петух", "петушок", "0.95"});
  CHECK(split_csv("\"a,b\",c,1").fields == Lines{"a,b", "c", "1"});
  CHECK(split_csv("\"say \"\"hi\"\"\",x").fields == Lines{"say \"hi\"", "x"});
  CHECK(split_csv(" a , \"b c\" ,\t3 ").fields == Lines{"a", "b c", "3"});
  CHECK(split_csv("a,,").fields == Lines{"a", "", ""});
  CHECK(split_csv("\"\",b").fields == Lines{"", "b"});
  CHECK(split_csv("").fields == Lines{""});
  CHECK(split_csv("a;b", ';').fields == Lines{"a", "b"});
  CHECK(split_csv("a,b").error.empty());

  auto open = split_csv("a,\"b,c");
  CHECK(open.fields.empty());
  CHECK(contains(open.error, "not closed"));
  CHECK(open.error_byte == 3);
  auto after = split_csv("\"a\"x,b");
  CHECK(contains(after.error, "after a closing quote"));
  CHECK(after.error_byte == 4);
  auto inside = split_csv("ab\"c,d");
  CHECK(contains(inside.error, "quote inside an unquoted field"));
  CHECK(inside.error_byte == 3);
}

TEST_CASE("BufferedWriter hands whole blocks to the sink once kFlushBytes are buffered") {
  std::vector<std::size_t> blocks;
  std::string out;
  BufferedWriter w([&](std::string_view s) {
    blocks.push_back(s.size());
    out.append(s);
  });
  const std::size_t k = BufferedWriter::kFlushBytes;
  w.append(std::string(k - 1, 'a'));
  CHECK(blocks.empty());
  CHECK(w.buffered() == k - 1);
  w.push_back('b');  // exactly kFlushBytes: handed over
  CHECK(blocks == std::vector<std::size_t>{k});
  CHECK(w.buffered() == 0);
  w.append("xyz", 2);
  w.append(std::string(k + 10, 'c'));  // one append is never split
  CHECK(blocks == std::vector<std::size_t>{k, k + 12});
  w.append("tail\n");
  CHECK(blocks.size() == 2);
  w.flush();
  w.flush();  // nothing left: the sink is not called with an empty block
  CHECK(blocks == std::vector<std::size_t>{k, k + 12, 5});
  CHECK(out == std::string(k - 1, 'a') + "b" + "xy" + std::string(k + 10, 'c') + "tail\n");
}

TEST_CASE("BufferedWriter writes nothing unless flushed") {
  std::string out;
  {
    BufferedWriter w([&](std::string_view s) { out.append(s); });
    w.append("partial");
  }
  CHECK(out.empty());
}

TEST_CASE("BufferedWriter into an AtomicFile gives exactly the bytes appended") {
  TempDir dir;
  const std::string path = dir.file("out.txt");
  std::string expect;
  {
    common::AtomicFile f(path);
    BufferedWriter w(f);
    for (int i = 0; i < 300000; ++i) {  // about 2.2 MB: several blocks
      const std::string piece = "word" + std::to_string(i) + ' ';
      w.append(piece);
      w.push_back(i % 10 == 9 ? '\n' : '\t');
      expect += piece;
      expect += i % 10 == 9 ? '\n' : '\t';
    }
    w.flush();
    f.commit();
  }
  CHECK(testutil::read_file(path) == expect);
  CHECK(dir.entries() == std::set<std::string>{"out.txt"});
}
