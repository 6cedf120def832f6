#include "compare/tokenization_chart.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "compare/svg_chart.h"

namespace cmp {

namespace {

constexpr int kPanelWidth = 460, kPanelHeight = 380;

// An svg_chart chart placed at x in the outer chart.
std::string placed(const std::string& svg, int x) {
  const auto at = svg.find("<svg");
  if (at == std::string::npos) return svg;
  std::string out = svg;
  out.insert(at + 4, " x=\"" + std::to_string(x) + "\" y=\"0\"");
  return out;
}

}  // namespace

std::string tokenization_chart(const tok::TokenizationReport& r) {
  std::vector<std::string> names;
  std::vector<ScatterPoint> points;
  std::vector<BarGroup> cost, table;
  for (std::size_t i = 0; i < r.schemes.size(); ++i) {
    const auto& s = r.schemes[i];
    names.push_back(s.label());
    const double vocab = static_cast<double>(s.vocab_size);
    char label[160];
    std::snprintf(label, sizeof label, "%s: vocabulary %zu, %.1f tokens per sentence", s.label().c_str(), s.vocab_size,
                  s.lengths.mean);
    points.push_back({vocab > 0 ? std::log10(vocab) : NAN, s.lengths.mean, static_cast<int>(i), label});
    cost.push_back({s.label(), {s.lengths.sum_sq_per_sentence()}});
    table.push_back({s.label(), {vocab * static_cast<double>(r.dim) / 1e6}});
  }
  const std::string d = std::to_string(r.dim);
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(3 * kPanelWidth) + "\" height=\"" +
                    std::to_string(kPanelHeight) + "\" viewBox=\"0 0 " + std::to_string(3 * kPanelWidth) + " " +
                    std::to_string(kPanelHeight) + "\">\n";
  out += placed(svg_scatter("tokens per sentence (y) vs log10 vocabulary (x)", names, points, kPanelWidth, kPanelHeight), 0);
  out += "\n";
  out += placed(svg_bar_chart("attention cost: mean T² per sentence", "Σ T² / sentences", {"held-out"}, cost, kPanelWidth,
                              kPanelHeight),
                kPanelWidth);
  out += "\n";
  out += placed(svg_bar_chart("embedding table: vocabulary × " + d, "million parameters", {"d = " + d}, table,
                              kPanelWidth, kPanelHeight),
                2 * kPanelWidth);
  out += "\n</svg>\n";
  return out;
}

}  // namespace cmp
