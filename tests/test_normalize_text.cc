// `wordlens normalize` as a library: paragraphs (blank / line mode, the size
// cap, where each byte came from), sentences out, errors that name the line
// and byte, and the same output for any thread count.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "common/errors.h"
#include "test_util.h"
#include "tokenizer/normalize_text.h"
#include "tokenizer/paragraph_reader.h"

using testutil::contains;
using testutil::TempDir;
using testutil::thrown;
using testutil::write_file;

namespace {

std::vector<std::string> paragraphs(const std::string& path, tok::ParagraphMode mode, std::size_t max = 1 << 20) {
  tok::ParagraphReader r(path, mode, max);
  std::vector<std::string> out;
  for (tok::Paragraph p; r.next(&p);) out.push_back(p.text);
  return out;
}

std::string run(const tok::NormalizeTextOptions& o, tok::NormalizeTextStats* st = nullptr) {
  std::string out;
  const auto s = tok::normalize_text(o, [&](std::string_view x) { out.append(x); });
  if (st) *st = s;
  return out;
}

}  // namespace

TEST_CASE("paragraphs: blank lines separate, or every line is one") {
  TempDir dir;
  write_file(dir.file("in.txt"), "\xEF\xBB\xBF" "a b\nc d\n\n  \t\ne f\r\ng\n\nlast");
  CHECK(paragraphs(dir.file("in.txt"), tok::ParagraphMode::kBlank) == std::vector<std::string>{"a b c d", "e f g", "last"});
  CHECK(paragraphs(dir.file("in.txt"), tok::ParagraphMode::kLine) ==
        std::vector<std::string>{"a b", "c d", "e f", "g", "last"});
  tok::ParagraphReader r(dir.file("in.txt"), tok::ParagraphMode::kBlank);
  tok::Paragraph p;
  REQUIRE(r.next(&p));
  CHECK(p.locate(0) == std::pair<std::uint64_t, std::uint64_t>{1, 3});  // after the byte order mark
  CHECK(p.locate(6) == std::pair<std::uint64_t, std::uint64_t>{2, 2});  // 'd'
  REQUIRE(r.next(&p));
  CHECK(p.locate(4) == std::pair<std::uint64_t, std::uint64_t>{6, 0});  // 'g'
  CHECK(r.next(&p));
  CHECK(!r.next(&p));
  CHECK(r.lines_read() == 8);
  CHECK(contains(thrown<common::InputError>([&] { tok::ParagraphReader x(dir.file("missing.txt"), tok::ParagraphMode::kLine); }),
                 "cannot open input"));
  CHECK(contains(thrown<common::InputError>([&] { tok::ParagraphReader x(dir.path().string(), tok::ParagraphMode::kLine); }),
                 "is a directory"));
}

TEST_CASE("paragraphs: the size cap ends a paragraph at a line end and cuts an over-long line at a space") {
  TempDir dir;
  write_file(dir.file("in.txt"), "one two\nthree four\nfive\n\naaaa bbbb cccc dddd eeee ffff\nxyz");
  const auto p = paragraphs(dir.file("in.txt"), tok::ParagraphMode::kBlank, 16);
  REQUIRE(p.size() == 4);
  CHECK(p[0] == "one two three four");  // reached 16 bytes at the end of line 2
  CHECK(p[1] == "five");
  CHECK(p[2] == "aaaa bbbb cccc ");     // the first 16 bytes of a 29-byte line, cut after a space
  CHECK(p[3] == "dddd eeee ffff xyz");  // the rest, then the next line
  write_file(dir.file("long.txt"), std::string(40, 'q') + "\n");  // no space: cut at a character boundary
  CHECK(paragraphs(dir.file("long.txt"), tok::ParagraphMode::kLine, 16) ==
        std::vector<std::string>{std::string(16, 'q'), std::string(16, 'q'), std::string(8, 'q')});
}

TEST_CASE("normalize text: sentences per line, tokens, counts") {
  TempDir dir;
  write_file(dir.file("in.txt"), "Hello World. It\xE2\x80\x99s fine\n...\n\n\xC2\xAB\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82, "
                                 "\xD0\xBC\xD0\xB8\xD1\x80!\xC2\xBB\n!!!\n");
  tok::NormalizeTextOptions o;
  o.input = dir.file("in.txt");
  tok::NormalizeTextStats st;
  CHECK(run(o, &st) == "hello world\nit's fine\nпривет мир\n");
  CHECK(st.lines == 5);
  CHECK(st.paragraphs == 2);
  CHECK(st.sentences == 3);
  CHECK(st.tokens == 6);
  o.paragraphs = tok::ParagraphMode::kLine;
  o.normalizer.case_mode = tok::CaseMode::kKeep;
  CHECK(run(o) == "Hello World\nIt's fine\nПривет мир\n");
}

TEST_CASE("normalize text: invalid UTF-8 names the file, line and byte") {
  TempDir dir;
  write_file(dir.file("in.txt"), "fine line\nsecond line\nab\xFF" "cd\n");
  tok::NormalizeTextOptions o;
  o.input = dir.file("in.txt");
  CHECK(thrown<common::InputError>([&] { run(o); }) == dir.file("in.txt") + ":3: byte 2: invalid UTF-8 (convert the text first, e.g. iconv -f LATIN1 -t UTF-8)");
  write_file(dir.file("nul.txt"), std::string("x\n\nok yes\nz\0", 12));
  o.input = dir.file("nul.txt");
  CHECK(contains(thrown<common::InputError>([&] { run(o); }), "nul.txt:4: byte 1: NUL byte"));
}

TEST_CASE("normalize text: the same output for any thread count and block size") {
  std::mt19937 rng(5);
  const std::vector<std::string> words = {"The", "cat", "Кошка", "сидит", "на", "окне", "我们", "学习", "don't", "¿Qué?",
                                          "hello,", "world.", "Ёлка!", "\xC2\xBD", "—", "42", "naïve", "ภาษาไทย"};
  std::string text;
  for (int line = 0; line < 3000; ++line) {
    const int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) text += (i ? " " : "") + words[rng() % words.size()];
    text += '\n';
  }
  TempDir dir;
  write_file(dir.file("in.txt"), text);
  tok::NormalizeTextOptions o;
  o.input = dir.file("in.txt");
  o.threads = 1;
  tok::NormalizeTextStats one;
  const std::string expected = run(o, &one);
  CHECK(one.sentences > 1000);
  CHECK(expected.find("  ") == std::string::npos);
  CHECK(expected.find("\n\n") == std::string::npos);
  for (int threads : {2, 3, 4})
    for (std::size_t block : {std::size_t(64), std::size_t(5000), std::size_t(8) << 20}) {
      o.threads = threads;
      o.block_bytes = block;
      tok::NormalizeTextStats st;
      CHECK(run(o, &st) == expected);
      CHECK(st.tokens == one.tokens);
      CHECK(st.sentences == one.sentences);
    }
}
