// The ICU normaliser: scripts with and without spaces, case, accents, ё,
// hyphens, NFKC, invalid input, offsets, sentences, the spec line, and its
// agreement with the benchmark corpus' ASCII rule.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "common/errors.h"
#include "test_util.h"
#include "tokenizer/normalizer.h"

using testutil::contains;
using testutil::thrown;
using tok::CaseMode;
using tok::Normalizer;
using tok::NormalizerOptions;
using Tokens = std::vector<std::string>;

namespace {

Tokens norm(std::string_view s, NormalizerOptions o = {}) { return Normalizer(o).tokens(s); }

// The benchmark corpus' rule written out plainly (scripts/normalize_text.py):
// ’ and ʼ -> ', ASCII lowercase, tokens [a-z0-9]+('[a-z]+)?.
Tokens old_rule(std::string_view raw) {
  std::string s;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw.substr(i, 3) == "\xE2\x80\x99") s += '\'', i += 2;
    else if (raw.substr(i, 2) == "\xCA\xBC") s += '\'', i += 1;
    else s += static_cast<char>(raw[i] >= 'A' && raw[i] <= 'Z' ? raw[i] - 'A' + 'a' : raw[i]);
  }
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  auto alpha = [](char c) { return c >= 'a' && c <= 'z'; };
  Tokens out;
  for (std::size_t i = 0; i < s.size();) {
    if (!alnum(s[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && alnum(s[j])) ++j;
    if (j + 1 < s.size() && s[j] == '\'' && alpha(s[j + 1])) {
      ++j;
      while (j < s.size() && alpha(s[j])) ++j;
    }
    out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string random_ascii(std::mt19937& rng, bool curly) {
  static const std::string kCommon = "aAbzZ09' -.,'x'y";
  std::string s;
  const int n = static_cast<int>(rng() % 40);
  for (int i = 0; i < n; ++i) {
    const unsigned r = rng() % 10;
    if (curly && r == 0) s += (rng() % 2) ? "\xE2\x80\x99" : "\xCA\xBC";
    else if (r < 5) s += kCommon[rng() % kCommon.size()];
    else s += static_cast<char>(1 + rng() % 127);  // any ASCII but NUL
  }
  return s;
}

std::vector<NormalizerOptions> all_options() {
  std::vector<NormalizerOptions> v;
  for (CaseMode c : {CaseMode::kLower, CaseMode::kFold, CaseMode::kKeep})
    for (int bits = 0; bits < 8; ++bits) v.push_back({c, (bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0});
  return v;
}

}  // namespace

TEST_CASE("normaliser: Russian punctuation, stress accents and ё") {
  const std::string s = "\xC2\xAB\xD0\x97\xD0\xB0\xCC\x81\xD0\xBC\xD0\xBE\xD0\xBA\xC2\xBB \xE2\x80\x94 "  // «За́мок» —
                        "\xD1\x8D\xD1\x82\xD0\xBE\xE2\x80\xA6 \xD0\x81\xD0\xBB\xD0\xBA\xD0\xB0!";      // это… Ёлка!
  CHECK(norm(s) == Tokens{"замок", "это", "ёлка"});
  NormalizerOptions yo;
  yo.yo_to_e = true;
  CHECK(norm(s, yo) == Tokens{"замок", "это", "елка"});
  yo.case_mode = CaseMode::kKeep;
  CHECK(norm(s, yo) == Tokens{"Замок", "это", "Елка"});  // Ё -> Е before case
  NormalizerOptions accents;
  accents.strip_accents = false;
  CHECK(norm(s, accents)[0] == "за\xCC\x81мок");
  // Precomposed letters are kept: é, Macedonian ќ (к + U+0301 composes).
  CHECK(norm("caf\xC3\xA9 \xD0\xBA\xCC\x81") == Tokens{"café", "ќ"});
  CHECK(norm("cafe\xCC\x81") == Tokens{"café"});  // decomposed é composes first
}

TEST_CASE("normaliser: case folding against lowercasing") {
  NormalizerOptions fold;
  fold.case_mode = CaseMode::kFold;
  NormalizerOptions keep;
  keep.case_mode = CaseMode::kKeep;
  CHECK(norm("Stra\xC3\x9F" "e") == Tokens{"straße"});
  CHECK(norm("Stra\xC3\x9F" "e", fold) == Tokens{"strasse"});
  CHECK(norm("Stra\xC3\x9F" "e", keep) == Tokens{"Straße"});
  CHECK(norm("\xCE\xA3\xCE\x99\xCE\xA3", fold) == Tokens{"σισ"});
  CHECK(norm("MiXeD", keep) == Tokens{"MiXeD"});
}

TEST_CASE("normaliser: scripts without spaces are segmented (UAX #29)") {
  const std::string zh = "我喜欢学习中文";
  const auto t = norm(zh);
  CHECK(t.size() > 1);
  std::string joined;
  for (const auto& x : t) joined += x;
  CHECK(joined == zh);
  CHECK(norm("東京に行きました").size() > 1);
  CHECK(norm("ภาษาไทยง่ายนิดเดียว").size() > 1);
  // Punctuation of those scripts separates too.
  CHECK(norm("你好。再见！").size() >= 2);
}

TEST_CASE("normaliser: emoji, right-to-left scripts and mixed scripts") {
  CHECK(norm("I \xE2\x9D\xA4\xEF\xB8\x8F NY \xF0\x9F\x98\x80!") == Tokens{"i", "ny"});
  // Hebrew with niqqud (marks stay in the word), Arabic.
  const auto he = norm("שָׁלוֹם עוֹלָם");
  CHECK(he.size() == 2);
  CHECK(he[0] == "שָׁלוֹם");
  CHECK(norm("مرحبا بالعالم") == Tokens{"مرحبا", "بالعالم"});
  // Bidi marks (format characters) around and inside a word vanish.
  CHECK(norm("\xE2\x80\x8Fשל\xE2\x80\x8Eום\xE2\x80\x8F") == Tokens{"שלום"});
  // A soft hyphen inside a word does not split it.
  CHECK(norm("hy\xC2\xADphen") == Tokens{"hyphen"});
  const auto mixed = norm("Hello мир, 123 Ωmega naïve");
  CHECK(mixed == Tokens{"hello", "мир", "123", "ωmega", "naïve"});
  const auto han = norm("Hello世界");
  CHECK(han.size() == 2);
  CHECK(han[0] == "hello");
}

TEST_CASE("normaliser: hyphens split unless kept") {
  const std::string s = "из-за well\xE2\x80\x90known non\xE2\x80\x91stop a - b x--y 3-4 rock-n'roll";
  CHECK(norm(s) == Tokens{"из", "за", "well", "known", "non", "stop", "a", "b", "x", "y", "3", "4", "rock", "n'roll"});
  NormalizerOptions keep;
  keep.keep_hyphens = true;
  CHECK(norm(s, keep) == Tokens{"из-за", "well-known", "non-stop", "a", "b", "x", "y", "3", "4", "rock-n'roll"});
}

TEST_CASE("normaliser: NFKC forms and apostrophes") {
  CHECK(norm("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3") == Tokens{"abc"});  // full-width ＡＢＣ
  CHECK(norm("\xEF\xAC\x81ne") == Tokens{"fine"});                      // ﬁ ligature
  Normalizer n;
  const auto half = n.tokens_with_offsets("x \xC2\xBD y");  // ½ -> 1⁄2: scanned again
  REQUIRE(half.size() == 4);
  CHECK(half[1].text == "1");
  CHECK(half[2].text == "2");
  CHECK(half[1].begin == 2);
  CHECK(half[1].end == 4);  // both share the raw range of ½
  CHECK(half[2].begin == 2);
  CHECK(half[2].end == 4);
  CHECK(norm("don\xE2\x80\x99t Ahab\xCA\xBCs rock'n'roll") == Tokens{"don't", "ahab's", "rock'n", "roll"});
  CHECK(norm("l'\xC3\xA9t\xC3\xA9 80's") == Tokens{"l'été", "80's"});
}

TEST_CASE("normaliser: offsets point into the raw text") {
  Normalizer n;
  const std::string raw = "Hello, \xC2\xAB\xD0\x9C\xD0\xB8\xD1\x80\xC2\xBB! DON'T";
  const auto t = n.tokens_with_offsets(raw);
  REQUIRE(t.size() == 3);
  CHECK(raw.substr(t[0].begin, t[0].end - t[0].begin) == "Hello");
  CHECK(raw.substr(t[1].begin, t[1].end - t[1].begin) == "Мир");
  CHECK(t[1].text == "мир");
  CHECK(raw.substr(t[2].begin, t[2].end - t[2].begin) == "DON'T");
}

TEST_CASE("normaliser: invalid UTF-8 and NUL bytes name the byte") {
  Normalizer n;
  CHECK(thrown<tok::TextError>([&] { n.tokens("ab\xFF" "cd"); }).rfind("byte 2: invalid UTF-8", 0) == 0);
  CHECK(thrown<tok::TextError>([&] { n.tokens("\xD0\x96\xD0"); }).rfind("byte 2: invalid UTF-8", 0) == 0);  // cut short
  CHECK(thrown<tok::TextError>([&] { n.tokens("\xED\xA0\x80"); }).rfind("byte 0:", 0) == 0);  // a surrogate
  CHECK(thrown<tok::TextError>([&] { n.tokens(std::string("abc\0d", 5)); }).rfind("byte 3: NUL byte", 0) == 0);
  CHECK_THROWS_AS(n.sentences("x\xC0\xAF"), common::InputError);
  try {
    n.tokens("\xE2\x80\x99ok\xFE");
    FAIL("no exception");
  } catch (const tok::TextError& e) {
    CHECK(e.byte == 5);
    CHECK(contains(e.problem, "invalid UTF-8"));
  }
}

TEST_CASE("normaliser: text without a letter or digit gives no token") {
  CHECK(norm("... \xE2\x80\x94 !!! ??? \xC2\xAB\xC2\xBB \xF0\x9F\x98\x80").empty());
  CHECK(norm("").empty());
  CHECK(norm("\xCC\x81").empty());  // a stray accent alone is stripped to nothing
}

TEST_CASE("normaliser: sentences of a paragraph") {
  Normalizer n;
  const std::string p = "Hello world. How are you? Fine!";
  const auto s = n.sentences(p);
  REQUIRE(s.size() == 3);
  CHECK(p.substr(s[1].first, s[1].second - s[1].first) == "How are you? ");
  CHECK(s.back().second == p.size());
  CHECK(n.sentences("Привет. Как дела?").size() == 2);
  CHECK(n.sentences("你好。再见。").size() == 2);
  CHECK(n.sentences("").empty());
}

TEST_CASE("normaliser: spec round trip and refusal of a bad spec") {
  for (const auto& o : all_options()) {
    const std::string s = o.spec();
    CHECK(NormalizerOptions::from_spec(s, "x") == o);
  }
  CHECK(NormalizerOptions{}.spec() == "wordlens-normalizer 1 case=lower accents=strip yo=keep hyphens=split");
  auto bad = [](const std::string& s) {
    return thrown<common::FormatError>([&] { NormalizerOptions::from_spec(s, "model.safetensors"); });
  };
  CHECK(contains(bad("wordlens-normalizer 2 case=lower accents=strip yo=keep hyphens=split"), "version '2'"));
  CHECK(contains(bad("wordlens-normalizer 1 case=lower accents=strip yo=keep"), "lacks 'hyphens'"));
  CHECK(contains(bad("wordlens-normalizer 1 case=upper accents=strip yo=keep hyphens=split"), "'upper'"));
  CHECK(contains(bad("wordlens-normalizer 1 case=lower case=lower accents=strip yo=keep hyphens=split"), "twice"));
  CHECK(contains(bad("wordlens-normalizer 1 case=lower accents=strip yo=keep hyphens=split color=red"), "unknown field"));
  CHECK(contains(bad("something else"), "model.safetensors: normaliser 'something else' is not a wordlens normaliser"));
  CHECK(tok::parse_case_mode("fold", "--case") == CaseMode::kFold);
  CHECK(contains(thrown<common::OptionError>([] { tok::parse_case_mode("upper", "--case"); }), "--case: 'upper'"));
}

TEST_CASE("normaliser: the ASCII fast path gives what the ICU path gives") {
  std::mt19937 rng(7);
  for (const auto& o : all_options()) {
    Normalizer fast(o), slow(o);
    slow.set_ascii_fast_path(false);
    for (int i = 0; i < 400; ++i) {
      const std::string s = random_ascii(rng, true);
      const auto a = fast.tokens_with_offsets(s), b = slow.tokens_with_offsets(s);
      REQUIRE(a.size() == b.size());
      for (std::size_t k = 0; k < a.size(); ++k) {
        CHECK(a[k].text == b[k].text);
        CHECK(a[k].begin == b[k].begin);
        CHECK(a[k].end == b[k].end);
      }
    }
  }
}

TEST_CASE("normaliser: ASCII text gives the benchmark corpus' tokens") {
  std::mt19937 rng(11);
  Normalizer n;
  for (int i = 0; i < 5000; ++i) {
    const std::string s = random_ascii(rng, true);
    INFO("text: " << s);
    REQUIRE(n.tokens(s) == old_rule(s));
  }
  // A copy normalises the same way (its own ICU objects).
  Normalizer copy = n;
  CHECK(copy.tokens("Привет, МИР") == Tokens{"привет", "мир"});
  CHECK(n.tokens("Привет, МИР") == Tokens{"привет", "мир"});
}

TEST_CASE("normaliser: the benchmark corpus is already normal (shared data)") {
  const std::string found = testutil::shared_data("corpus/bench.txt");
  if (found.empty()) {
    MESSAGE("skipping: ../shared/data/corpus/bench.txt not found (the shared data is absent)");
    return;
  }
  std::ifstream in(found, std::ios::binary);
  Normalizer n;
  std::string line;
  std::size_t lines = 0, changed = 0;
  std::string first_changed;
  while (lines < 20000 && std::getline(in, line)) {
    ++lines;
    std::string joined;
    for (const auto& t : n.tokens(line)) joined += (joined.empty() ? "" : " ") + t;
    if (joined != line && changed++ == 0) first_changed = line;
  }
  INFO("first changed line: " << first_changed);
  CHECK(lines == 20000);
  CHECK(changed == 0);
}

TEST_CASE("normaliser: benchmark lines with stray Latin-1 bytes are repaired, NUL is refused") {
  std::string s = "his \xA3" "3,000 \xFF\xD0\x96";
  std::size_t first = 0;
  CHECK(tok::repair_utf8(s, &first) == 2);
  CHECK(first == 4);
  CHECK(s == "his \xEF\xBF\xBD" "3,000 \xEF\xBF\xBD\xD0\x96");
  CHECK(norm(s) == Tokens{"his", "3", "000", "ж"});
  std::string fine = "ok \xD0\x96";
  CHECK(tok::repair_utf8(fine, &first) == 0);
  CHECK(fine == "ok \xD0\x96");
  std::string nul("a\xA3\0b", 4);
  CHECK(thrown<common::InputError>([&] { tok::repair_line(nul, "lee.cor:3"); }) ==
        "lee.cor:3: byte 4: NUL byte (this looks like binary data, not text)");
}
