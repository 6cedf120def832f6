// The WSI scorer's tokenizer callback (cmp::TextTokenizer) on the product's
// current normaliser, tok::normalize_tokens: its tokens, each with the byte
// range of the raw text it came from. ASCII only, as that normaliser: text in
// other scripts gives no tokens. To be replaced by tok::Normalizer's
// tokens_with_offsets() when the Unicode normaliser lands.
#pragma once

#include <string_view>
#include <vector>

#include "compare/wsi.h"

namespace cli {

std::vector<cmp::TextToken> normalized_text_tokens(std::string_view raw);

}  // namespace cli
