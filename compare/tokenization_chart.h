// The chart of `wordlens tokenize --compare`: one SVG with three panels —
// tokens per sentence against the vocabulary size (log10) per scheme, the
// attention cost Σ T² per sentence, and the embedding table (vocabulary × d).
#pragma once

#include <string>

#include "tokenizer/tokenization_stats.h"

namespace cmp {

// A standalone <svg> element (panels side by side, each an svg_chart chart).
std::string tokenization_chart(const tok::TokenizationReport& r);

}  // namespace cmp
