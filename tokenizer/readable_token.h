// Byte-level BPE tokens as a reader wants to see them. The shown form
// (byte_unicode.h) maps every byte >= 0x80 to a Latin-1 lookalike, so
// Cyrillic "рам" is shown as "ÑĢÐ°Ð¼"; the readable form keeps each valid,
// printable UTF-8 character as itself and uses the byte-to-unicode glyph
// only for the bytes that are not: a space ("Ġ"), newline ("Ċ"), tab,
// another control or invalid byte, a character cut by a token boundary
// (a lone 0xD1 is "Ñ"), whitespace and invisible format characters. So
// " рама" reads "Ġрама". Like the shown form it never contains whitespace
// (it can stand in a space-separated list), but it is for display only: a
// lone byte 0xE9 and the character é (0xC3 0xA9) both read "é" (and the
// glyphs of U+0100..U+0143 are also letters: ł is U+0142), so files keep
// the shown form and readable text is never mapped back to bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tok {

// The readable form of a token's bytes.
std::string readable_token(std::string_view bytes);

// True if words look like the shown form of BPE tokens (Word2Vec vectors
// trained with --tokenizer): every word is a valid shown form and at least
// one starts with the space glyph "Ġ". Plain word vectors fail one of the
// two (a non-Latin letter is not a shown form; words do not start with Ġ).
bool looks_like_shown_tokens(const std::vector<std::string>& words);

}  // namespace tok
