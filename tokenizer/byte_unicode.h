// GPT-2's reversible byte -> printable-character mapping, used to show
// byte-level BPE tokens as text: printable Latin-1 bytes stand for
// themselves, the others (space, control bytes, ...) map to U+0100 and up
// (space = "Ġ", newline = "Ċ", tab = "ĉ"). Shown tokens never contain
// whitespace, so they are safe as word2vec words.
#pragma once

#include <string>
#include <string_view>

namespace tok {

// Bytes -> shown form (UTF-8 text).
std::string bytes_to_shown(std::string_view bytes);
// Shown form -> bytes; false if `shown` uses a character outside the mapping.
bool shown_to_bytes(std::string_view shown, std::string* bytes);
// The character byte b is shown as, and the byte a character stands for (-1
// if it is not one of the 256 glyphs).
char32_t byte_glyph(unsigned char b);
int glyph_byte(char32_t cp);
// Appends the UTF-8 encoding of a glyph (all glyphs are below U+0800).
void append_glyph(std::string& out, char32_t glyph);

}  // namespace tok
