// The supervised sections of `compare --report` (issue 15): per benchmark,
// every row's unsupervised and supervised score side by side (a table and a
// grouped bar chart: one group per method, one bar each), and how the
// supervised rows were obtained on the train splits.
#pragma once

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

#include "compare/report_writer.h"

namespace cmp {

// Sections for the "sts_supervised" and "wic_supervised" blocks of scores
// (compare --json), none when neither is there.
std::vector<ReportSection> supervised_sections(const nlohmann::ordered_json& scores, std::size_t wic_window);

}  // namespace cmp
