// common/utf8.h: decoding with validation, Unicode whitespace, and cutting
// a string at a character boundary.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "common/utf8.h"

using common::is_unicode_space;
using common::utf8_decode;
using common::utf8_prefix_len;
using common::utf8_valid;

namespace {

std::size_t decode(std::string_view s, char32_t* cp) {
  return utf8_decode(reinterpret_cast<const unsigned char*>(s.data()), s.size(), cp);
}

std::string encode(char32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

// A random scalar value, spread over the 1-, 2-, 3- and 4-byte ranges.
char32_t random_code_point(std::mt19937& rng) {
  switch (rng() % 4) {
    case 0: return 0x21 + rng() % (0x7F - 0x21);
    case 1: return 0x80 + rng() % (0x800 - 0x80);
    case 2: {
      char32_t cp;
      do cp = 0x800 + rng() % (0x10000 - 0x800);
      while (cp >= 0xD800 && cp <= 0xDFFF);
      return cp;
    }
    default: return 0x10000 + rng() % (0x110000 - 0x10000);
  }
}

}  // namespace

TEST_CASE("utf8_decode accepts valid sequences of every length") {
  char32_t cp = 0;
  CHECK(decode("a", &cp) == 1);
  CHECK(cp == U'a');
  CHECK(decode("\xC3\xA9", &cp) == 2);  // é
  CHECK(cp == 0xE9);
  CHECK(decode("\xE2\x82\xAC", &cp) == 3);  // €
  CHECK(cp == 0x20AC);
  CHECK(decode("\xF0\x9F\x98\x80", &cp) == 4);  // 😀
  CHECK(cp == 0x1F600);
  CHECK(decode("\xF4\x8F\xBF\xBF", &cp) == 4);  // U+10FFFF, the largest
  CHECK(cp == 0x10FFFF);
  CHECK(decode("\xED\x9F\xBF", &cp) == 3);  // U+D7FF, just below the surrogates
  CHECK(cp == 0xD7FF);
  // Only the first sequence is decoded.
  CHECK(decode("\xC3\xA9xyz", &cp) == 2);
  CHECK(cp == 0xE9);
  // Round trip over random scalar values.
  std::mt19937 rng(7);
  int bad = 0;
  for (int i = 0; i < 5000; ++i) {
    char32_t want = random_code_point(rng);
    std::string s = encode(want);
    bad += decode(s, &cp) != s.size() || cp != want;
  }
  CHECK(bad == 0);
}

TEST_CASE("utf8_decode rejects invalid sequences") {
  char32_t cp;
  CHECK(decode("\xC0\x80", &cp) == 0);           // overlong NUL
  CHECK(decode("\xC1\xBF", &cp) == 0);           // overlong 2-byte
  CHECK(decode("\xE0\x80\xAF", &cp) == 0);       // overlong 3-byte
  CHECK(decode("\xF0\x8F\xBF\xBF", &cp) == 0);   // overlong 4-byte
  CHECK(decode("\xED\xA0\x80", &cp) == 0);       // surrogate U+D800
  CHECK(decode("\xED\xBF\xBF", &cp) == 0);       // surrogate U+DFFF
  CHECK(decode("\xF4\x90\x80\x80", &cp) == 0);   // U+110000
  CHECK(decode("\xF7\xBF\xBF\xBF", &cp) == 0);   // far above U+10FFFF
  CHECK(decode("\xF8\x88\x80\x80\x80", &cp) == 0);  // 5-byte form
  CHECK(decode("\xFF", &cp) == 0);
  CHECK(decode("\x80", &cp) == 0);               // stray continuation
  CHECK(decode("\xBF", &cp) == 0);
  CHECK(decode("\xC3", &cp) == 0);               // truncated
  CHECK(decode("\xE2\x82", &cp) == 0);
  CHECK(decode("\xF0\x9F\x98", &cp) == 0);
  CHECK(decode("\xC3x", &cp) == 0);              // bad continuation
  CHECK(decode("\xE2\x82x", &cp) == 0);
  CHECK(utf8_decode(reinterpret_cast<const unsigned char*>("a"), 0, &cp) == 0);  // nothing available
  // A valid sequence that `avail` cuts short.
  CHECK(utf8_decode(reinterpret_cast<const unsigned char*>("\xE2\x82\xAC"), 2, &cp) == 0);
}

TEST_CASE("utf8_valid over whole strings") {
  CHECK(utf8_valid(""));
  CHECK(utf8_valid("plain ascii"));
  CHECK(utf8_valid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  CHECK_FALSE(utf8_valid("caf\xC3"));
  CHECK_FALSE(utf8_valid("a\x80z"));
  CHECK_FALSE(utf8_valid("x\xED\xA0\x80"));
}

TEST_CASE("is_unicode_space") {
  CHECK(is_unicode_space(0x00A0));  // no-break space
  CHECK(is_unicode_space(0x3000));  // ideographic space
  CHECK(is_unicode_space(0x2003));  // em space
  CHECK(is_unicode_space(0x2000));
  CHECK(is_unicode_space(0x200A));
  CHECK(is_unicode_space(0x2028));  // line separator
  CHECK(is_unicode_space(0x0085));  // NEL
  CHECK_FALSE(is_unicode_space(U'a'));
  CHECK_FALSE(is_unicode_space(0x00E9));
  CHECK_FALSE(is_unicode_space(0x200B));  // zero-width space is not White_Space
  CHECK_FALSE(is_unicode_space(0x3001));
  CHECK_FALSE(is_unicode_space(0x1F600));
}

TEST_CASE("utf8_prefix_len never cuts inside a character") {
  // Fixed cases.
  CHECK(utf8_prefix_len("abc", 10) == 3);
  CHECK(utf8_prefix_len("abc", 3) == 3);
  CHECK(utf8_prefix_len("abc", 2) == 2);
  CHECK(utf8_prefix_len("\xC3\xA9\xC3\xA9", 3) == 2);
  CHECK(utf8_prefix_len("\xE2\x82\xAC", 2) == 0);
  CHECK(utf8_prefix_len("a\xF0\x9F\x98\x80", 4) == 1);
  CHECK(utf8_prefix_len("a\xF0\x9F\x98\x80", 5) == 5);

  // Property: over random valid strings and every cut point, the prefix is
  // valid UTF-8, at most max bytes, and the longest such prefix.
  std::mt19937 rng(12345);
  int failures = 0;
  for (int iter = 0; iter < 2000 && failures < 5; ++iter) {
    std::string s;
    std::vector<std::size_t> boundaries{0};
    const int chars = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < chars; ++i) {
      s += encode(random_code_point(rng));
      boundaries.push_back(s.size());
    }
    for (std::size_t max = 0; max <= s.size() + 1; ++max) {
      const std::size_t n = utf8_prefix_len(s, max);
      // The longest boundary <= max.
      std::size_t best = 0;
      for (std::size_t b : boundaries)
        if (b <= max) best = b;
      if (n > max || n > s.size() || !utf8_valid(std::string_view(s).substr(0, n)) || n != best) {
        CAPTURE(max);
        CAPTURE(n);
        CAPTURE(best);
        FAIL_CHECK("bad prefix of a " << s.size() << "-byte string");
        ++failures;
      }
    }
  }
}
