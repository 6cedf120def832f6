// The "looking inside" sections of the compare report: attention maps,
// static vs contextual neighbours and feed-forward memories of an example
// sentence, from the encoder being compared.
#pragma once

#include <string>
#include <vector>

#include "compare/inspect.h"
#include "compare/report_writer.h"
#include "compare/comparison.h"

namespace cmp {

// One heatmap per layer and head of `maps` (only `layer` / `head` when
// >= 0): file attention_L{l}_H{h}.svg, caption "layer l, head h", rows the
// queries and columns the keys, on a 0..1 colour scale.
std::vector<ReportImage> attention_heatmaps(const AttentionMaps& maps, long long layer = -1, long long head = -1);

// The example sentence as the compared encoder reads it (normalised words,
// or BPE pieces of the raw text), cut to one sequence. OptionError when
// nothing is left of it.
InspectedTokens example_tokens(Comparison& study, const std::string& example);

std::vector<cmp::ReportSection> inspection_sections(cmp::Comparison& study, const std::string& example);

}  // namespace cmp
