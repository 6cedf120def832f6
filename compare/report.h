// The report of `wordlens compare --report DIR`: the score tables and bar
// charts, the model's training curves (from its CSV log), the embedding map
// of STS sentences by genre (averaged vs encoder vectors), and any further
// sections the caller adds (attention maps, contextual neighbours, ...).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compare/report_writer.h"
#include "compare/comparison.h"

namespace cmp {

struct CompareReportInput {
  const CompareOptions* options = nullptr;
  nlohmann::ordered_json scores;          // compare --json
  nlohmann::ordered_json wic_thresholds;  // Comparison::run_wic
  const StsVectors* sts_vectors = nullptr;
  const enc::Encoder* model = nullptr;
  std::size_t vocab_size = 0, dim = 0;
  std::string training_log;               // CSV of encoder train (empty: none found)
  std::vector<cmp::ReportSection> extra;
};

cmp::Report build_compare_report(const CompareReportInput& in);

// Fraction of points whose k nearest neighbours (cosine, leave-one-out)
// mostly share their group: how well a vector space separates the genres.
double knn_group_agreement(const common::Matrix& v, const std::vector<int>& group, std::size_t k);

// Loss and accuracy curves from an encoder training log (step, loss,
// valid_loss, valid_acc columns). Throws FormatError for a log without a
// step column.
std::vector<cmp::ReportImage> training_curves(const std::string& csv_path);

}  // namespace cmp
