// "Did you mean ...?" for a query word that is not in a vocabulary: the most
// frequent vocabulary word that differs from it only by case, accents or
// compatibility forms (ＷＨＡＬＥ, Whale, whalé -> whale), else the most
// frequent word within a small edit distance of it (whael -> whale).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tok {

// The form two spellings are compared in: NFKD, combining marks removed,
// full case folding, NFC ("Éclair" -> "eclair"). Invalid UTF-8 is compared
// as it is.
std::string loose_key(std::string_view word);

// Code-point Levenshtein distance of two UTF-8 strings (invalid bytes count
// as one code point each).
std::size_t edit_distance(std::string_view a, std::string_view b);

// A vocabulary word to suggest for `query` (words in frequency order, most
// frequent first), or none: first the most frequent word with query's
// loose_key among the first `scan_same` words, then the most frequent of
// the first `scan_near` words whose loose_key is at most 1 edit (keys of 4
// to 6 code points) or 2 edits (7 or more) from query's; keys of 3 code
// points or fewer get no edit-distance suggestion. Never query itself.
std::optional<std::string> suggest_word(std::string_view query, const std::vector<std::string>& words,
                                        std::size_t scan_same = 500000, std::size_t scan_near = 50000);

}  // namespace tok
