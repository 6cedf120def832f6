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

}  // namespace tok
