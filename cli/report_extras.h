// The "looking inside" sections of the compare report: attention maps,
// static vs contextual neighbours and feed-forward memories of an example
// sentence, from the encoder being compared.
#pragma once

#include <string>
#include <vector>

#include "common/report_writer.h"
#include "encoder/comparison.h"

namespace cli {

std::vector<common::ReportSection> report_extras(enc::Comparison& cmp, const std::string& example);

}  // namespace cli
