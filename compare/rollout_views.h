// Pictures of an attention rollout (compare/attention_rollout.h): one
// heatmap of R_l per layer and a chart of how far information reaches
// with depth, for `wordlens attention --rollout`.
#pragma once

#include <string>
#include <vector>

#include "compare/attention_rollout.h"
#include "compare/report_writer.h"

namespace cmp {

// One heatmap per layer: file {prefix}_L{l}.svg, rows the tokens after layer
// l, columns the input positions, on a 0..1 scale; `what` starts the caption.
std::vector<ReportImage> rollout_heatmaps(const Rollout& r, const std::vector<std::string>& labels, const std::string& prefix,
                                          const std::string& what);

// reach.svg: per layer (1..L) the rollout-weighted mean distance of the
// model's attention and of the windowed one, the windowed maximum reach and
// the structural bound min(T-1, l·W).
ReportImage reach_chart(const std::vector<Reach>& model, const std::vector<Reach>& windowed, std::size_t window,
                        std::size_t seq, const std::string& model_name);

}  // namespace cmp
