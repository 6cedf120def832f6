// The benchmark corpus' normalisation, for raw sentences (STS, WiC, user
// input): curly apostrophes become ', ASCII letters are lowercased, and the
// tokens are the matches of [a-z0-9]+('[a-z]+)? — everything else (other
// punctuation, non-ASCII letters) separates tokens. scripts/normalize_text.py
// applies the same rule to whole corpora.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tok {

std::vector<std::string> normalize_tokens(std::string_view raw);

}  // namespace tok
