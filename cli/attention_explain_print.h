// Printing of `wordlens attention --explain`: one head step by step, as
// text (the first few components of each vector) or as one JSON object
// (every number).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compare/attention_explain.h"

namespace cli {

// The explanation as text: shapes, then values, each vector cut to its first
// `dims` components ("…" for the rest).
std::string explain_text(const cmp::HeadExplanation& e, const std::vector<std::string>& tokens, std::size_t n_heads,
                         std::size_t dims);

// The explanation as one JSON object, every component; masked scaled scores
// are null.
nlohmann::ordered_json explain_json(const cmp::HeadExplanation& e, const std::vector<std::string>& tokens,
                                    const std::vector<std::int32_t>& ids);

}  // namespace cli
