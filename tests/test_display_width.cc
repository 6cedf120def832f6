// common/display_width.h: terminal columns of UTF-8 text (ASCII, Cyrillic,
// CJK, combining marks, emoji, invalid bytes) and padding to a width.
#include <doctest/doctest.h>

#include <string>

#include "common/display_width.h"

using common::display_width;
using common::pad_left;
using common::pad_right;

TEST_CASE("display width: one column per ASCII or Cyrillic character, two per CJK or emoji, none for marks") {
  CHECK(display_width("") == 0);
  CHECK(display_width("bank") == 4);
  CHECK(display_width("\xD1\x80\xD0\xB0\xD0\xBC\xD0\xB0") == 4);   // рама: 8 bytes, 4 columns
  CHECK(display_width("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E") == 6);  // 日本語
  CHECK(display_width("\xEF\xBC\xA1") == 2);                        // fullwidth A
  CHECK(display_width("e\xCC\x81") == 1);                           // e + combining acute
  CHECK(display_width("\xD0\xB7\xD0\xB0\xCC\x81\xD0\xBC\xD0\xBE\xD0\xBA") == 5);  // за́мок: stress mark takes no column
  CHECK(display_width("\xF0\x9F\x98\x80") == 2);                    // 😀
  CHECK(display_width("a\xE2\x80\x8B" "b") == 2);                   // zero-width space (a format character)
  CHECK(display_width("\xC2\xAD") == 1);                            // soft hyphen is drawn
  CHECK(common::codepoint_width(U'\u4E2D') == 2);
  CHECK(common::codepoint_width(U'\u0301') == 0);
  CHECK(common::codepoint_width(U'\u0416') == 1);
}

TEST_CASE("display width: bytes that are not valid UTF-8 count one column each") {
  CHECK(display_width("\xFF") == 1);
  CHECK(display_width("a\xD1") == 2);                // a cut character
  CHECK(display_width("\xC3\x28") == 2);             // bad continuation: both bytes count
  CHECK(display_width("\xED\xA0\x80") == 3);         // a surrogate is invalid UTF-8
  CHECK(display_width("\xE6\x97\xA5\xFF") == 3);
}

TEST_CASE("display width: padding to a column width, never cutting") {
  const std::string ru = "\xD1\x80\xD0\xB0\xD0\xBC\xD0\xB0";  // рама
  CHECK(pad_right(ru, 6) == ru + "  ");
  CHECK(pad_left(ru, 6) == "  " + ru);
  CHECK(display_width(pad_right("\xE6\x97\xA5", 5)) == 5);
  CHECK(pad_right("\xE6\x97\xA5", 5) == "\xE6\x97\xA5   ");
  CHECK(pad_right("abcdef", 3) == "abcdef");
  CHECK(pad_left("abcdef", 3) == "abcdef");
  CHECK(common::max_display_width({"ab", ru, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"}) == 6);
  CHECK(common::max_display_width({}) == 0);
}
