// tokenizer/normalizing_reader.h: raw text normalised word by word gives the
// tokens of whole lines, long words without spaces are read whole, and
// seek(position(), skip()) continues exactly, also inside a word.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "common/corpus_files.h"
#include "common/errors.h"
#include "test_util.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/normalizing_reader.h"

using common::CorpusFiles;
using testutil::contains;
using testutil::TempDir;
using testutil::thrown;
using testutil::write_file;
using V = std::vector<std::string>;

namespace {

// Tokens, "<NL>" and "<BREAK>" until the end (or max events).
V events(tok::TokenSource& r, std::size_t max = SIZE_MAX) {
  V out;
  std::string_view t;
  while (out.size() < max) {
    const auto k = r.next(&t);
    if (k == tok::TokenKind::kEnd) break;
    out.emplace_back(k == tok::TokenKind::kToken ? std::string(t) : k == tok::TokenKind::kNewline ? "<NL>" : "<BREAK>");
  }
  return out;
}

std::string raw_text(std::mt19937& rng, int lines) {
  const V words = {"Кошка,", "«сидит»", "на—окне…", "Don’t", "STOP!", "x½y", "我们学习中文", "ＡＢＣ", "—", "naïve-café",
                   "plain", "ещё", "ra\xCC\x81ma", "e.g.", "80's"};
  std::string s;
  for (int l = 0; l < lines; ++l) {
    const int n = static_cast<int>(rng() % 9);
    for (int i = 0; i < n; ++i) s += (i ? (rng() % 5 ? " " : "\t ") : "") + words[rng() % words.size()];
    s += '\n';
  }
  return s;
}

}  // namespace

TEST_CASE("normalising reader: the tokens of each line, as the Normalizer gives them") {
  TempDir dir;
  std::mt19937 rng(3);
  const std::string text = raw_text(rng, 400);
  write_file(dir.file("a.txt"), text);
  CorpusFiles files({dir.file("a.txt")});
  tok::NormalizerOptions o;
  o.yo_to_e = true;
  tok::NormalizingReader r(files, 0, files.total_bytes(), o);
  V want;
  tok::Normalizer n(o);
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    for (auto& t : n.tokens(std::string_view(text).substr(start, nl - start))) want.push_back(t);
    want.push_back("<NL>");
  }
  want.push_back("<BREAK>");
  CHECK(events(r) == want);
}

TEST_CASE("normalising reader: a long line without spaces is read whole, tokens cut to 100 bytes") {
  TempDir dir;
  std::string zh;
  for (int i = 0; i < 300; ++i) zh += "我们学习中文";  // 5400 bytes, no space
  write_file(dir.file("zh.txt"), zh + "\n" + std::string(150, 'a') + " " + std::string(120, 'b') + "-" + "c\n");
  CorpusFiles files({dir.file("zh.txt")});
  tok::NormalizingReader r(files, 0, files.total_bytes(), {});
  const V ev = events(r);
  std::size_t zh_tokens = 0;
  std::string joined;
  for (const auto& t : ev) {
    if (t == "<NL>") break;
    ++zh_tokens;
    joined += t;
  }
  CHECK(zh_tokens > 300);
  CHECK(joined == zh);
  const V tail(ev.end() - 5, ev.end());
  CHECK(tail == V{std::string(100, 'a'), std::string(100, 'b'), "c", "<NL>", "<BREAK>"});
}

TEST_CASE("normalising reader: seek(position(), skip()) continues exactly, inside a word too") {
  TempDir dir;
  std::mt19937 rng(8);
  write_file(dir.file("a.txt"), raw_text(rng, 300));
  write_file(dir.file("b.txt"), "\xEF\xBB\xBF" + raw_text(rng, 200));
  CorpusFiles files({dir.file("a.txt"), dir.file("b.txt")});
  tok::NormalizingReader whole(files, 0, files.total_bytes(), {});
  const V all = events(whole);
  REQUIRE(all.size() > 1000);
  bool inside_word = false;
  for (std::size_t k = 0; k < all.size(); k += 13) {
    CAPTURE(k);
    tok::NormalizingReader r(files, 0, files.total_bytes(), {});
    REQUIRE(events(r, k).size() == k);
    inside_word = inside_word || r.skip() > 1;
    tok::NormalizingReader fresh(files, 0, files.total_bytes(), {});
    fresh.seek(r.position(), r.skip());
    V rest = events(fresh), want(all.begin() + static_cast<long>(k), all.end());
    std::erase(rest, "<BREAK>");
    std::erase(want, "<BREAK>");
    CHECK(rest == want);
  }
  CHECK(inside_word);  // some resume points fell after the 2nd token of one word
}
