#include "compare/report_supervised.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>

#include "compare/comparison.h"
#include "compare/svg_chart.h"

namespace cmp {

namespace {

using Json = nlohmann::ordered_json;
using Methods = std::vector<std::pair<std::string, std::string>>;  // (JSON key, shown name)

double num(const Json& v) { return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN(); }

std::string fmt(double v, const char* spec = "%.2f") {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, spec, v);
  return buf;
}

// One table and one chart per row of `sup` ({row: {method: x}}): unsupervised
// (from `unsup`) and supervised bars side by side for every method scored.
// A fine-tuned encoder's "unsupervised" rows are supervised already: then
// the first series is named "without this step".
void side_by_side(ReportSection& s, const std::string& chart_stem, const std::string& y_label, const Json& unsup,
                  const Json& sup, const Methods& methods, const std::string& sup_name, bool finetuned) {
  const std::string base = finetuned ? "without this step" : "unsupervised";
  std::size_t k = 0;
  for (const auto& [row, scores] : sup.items()) {
    ReportTable t;
    t.header = {"method", base, sup_name, "difference"};
    t.numeric = {false, true, true, true};
    std::vector<BarGroup> groups;
    for (const auto& [key, name] : methods) {
      const double u = unsup.contains(row) && unsup[row].contains(key) ? num(unsup[row][key]) : NAN;
      const double v = scores.contains(key) ? num(scores[key]) : NAN;
      if (!std::isfinite(u) && !std::isfinite(v)) continue;  // a row without its inputs
      t.rows.push_back({name, fmt(u), fmt(v), fmt(v - u, "%+.2f")});
      groups.push_back({name, {u, v}});
    }
    s.tables.push_back(t);
    const std::string file = chart_stem + (k++ ? "_" + std::to_string(k) : std::string()) + ".svg";
    s.images.push_back({file, row + ": " + base + " vs " + sup_name + " (" + y_label + ")",
                        svg_bar_chart(s.title + ": " + row, y_label, {base, sup_name}, groups, 720, 380)});
  }
}

ReportSection sts_section(const Json& scores, const Json& sup, const std::string& encoder_label) {
  ReportSection s;
  s.title = "STS-Benchmark, supervised: a linear map per row";
  Methods methods(kSentenceRows.begin(), kSentenceRows.end());
  side_by_side(s, "chart_sts_supervised", "Spearman x100", scores["sts"], scores["sts_supervised"], methods, "+ linear map",
               !encoder_label.empty());
  const Json& map = sup["map"];
  s.paragraphs.push_back(
      "Every row's sentence vectors x get a linear map W (d x d, from the identity) trained on `" +
      sup["sts_train"].get<std::string>() + "` (" + std::to_string(sup["sts_train_pairs"].get<std::size_t>()) +
      " pairs) with the CoSENT loss the encoder is fine-tuned with (scale " + fmt(map["scale"].get<double>(), "%g") +
      "), Adam (step " + fmt(map["lr"].get<double>(), "%g") + ", minibatches of " + std::to_string(map["batch"].get<std::size_t>()) +
      " pairs); the weight decay toward the identity and the number of epochs (up to " +
      std::to_string(map["max_epochs"].get<std::size_t>()) + ") were chosen on " +
      std::to_string(map["held_out_pairs"].get<std::size_t>()) +
      " held-out pairs of the train file, never on dev. The score is the Spearman correlation x100 of cos(W x1, W x2). "
      "The same procedure for the static and the encoder rows." + encoder_label);
  ReportTable t;
  t.header = {"row", "weight decay", "epochs", "held-out Spearman", "held-out, no map"};
  t.numeric = {false, true, true, true, true};
  for (const auto& [row, c] : sup["sts_maps"].items())
    t.rows.push_back({row, fmt(c["weight_decay"].get<double>(), "%g"), std::to_string(c["epochs"].get<std::size_t>()),
                      fmt(num(c["held_out"])), fmt(num(c["held_out_identity"]))});
  s.tables.push_back(t);
  return s;
}

ReportSection wic_section(const Json& scores, const Json& sup, std::size_t window, const std::string& encoder_label) {
  ReportSection s;
  s.title = "Word-in-Context, supervised: a classifier on the target vectors";
  const std::string w = std::to_string(window);
  side_by_side(s, "chart_wic_supervised", "accuracy %", scores["wic"], scores["wic_supervised"],
               {{"static_window", "static ±" + w}, {"encoder", "encoder"}}, "classifier", !encoder_label.empty());
  const Json& c = sup["wic_classifier"];
  s.paragraphs.push_back(
      "Logistic regression on [u⊙v, |u−v|, cos(u, v)] of the target's two vectors u, v (static ±" + w +
      ": the mean word vector of the window; encoder: the target's contextual vector), standardised on the train split; "
      "the L2 penalty chosen by " + std::to_string(c["folds"].get<std::size_t>()) +
      "-fold cross-validation on train, the model fitted on all of train by L-BFGS. The unsupervised column is the "
      "cosine threshold chosen on train." + encoder_label);
  ReportTable t;
  t.header = {"method", "features", "L2 penalty", "cross-validated accuracy %", "train accuracy %"};
  t.numeric = {false, true, true, true, true};
  for (const auto& [m, r] : c["methods"].items())
    t.rows.push_back({m, std::to_string(r["features"].get<std::size_t>()), fmt(r["lambda"].get<double>(), "%g"),
                      fmt(num(r["cv_accuracy"])), fmt(num(r["train_accuracy"]))});
  s.tables.push_back(t);
  return s;
}

}  // namespace

std::vector<ReportSection> supervised_sections(const Json& scores, std::size_t wic_window) {
  std::vector<ReportSection> out;
  if (!scores.contains("supervision")) return out;
  const Json& sup = scores["supervision"];
  const std::string label = sup.contains("encoder_finetuned") && sup["encoder_finetuned"].is_string()
                                ? " The encoder was itself fine-tuned (" + sup["encoder_finetuned"].get<std::string>() +
                                      "): its unsupervised bars are the fine-tuned encoder, its supervised bars fine-tuned + this step."
                                : std::string();
  if (scores.contains("sts_supervised") && scores.contains("sts")) out.push_back(sts_section(scores, sup, label));
  if (scores.contains("wic_supervised") && scores.contains("wic")) out.push_back(wic_section(scores, sup, wic_window, label));
  return out;
}

}  // namespace cmp
