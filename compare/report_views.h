// The "looking inside" sections of the compare report: attention maps,
// static vs contextual neighbours and feed-forward memories of an example
// sentence, from the encoder being compared.
#pragma once

#include <string>
#include <vector>

#include "compare/report_writer.h"
#include "compare/comparison.h"

namespace cmp {

std::vector<cmp::ReportSection> inspection_sections(cmp::Comparison& study, const std::string& example);

}  // namespace cmp
