// common/svg_chart.h: XML escaping, well-formed standalone SVG output, nice
// ticks, element counts, degenerate inputs and input validation.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <regex>
#include <string>
#include <vector>

#include "common/errors.h"
#include "compare/svg_chart.h"

using cmp::BarGroup;
using cmp::LineSeries;
using cmp::ScatterPoint;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Empty when every <tag ...> is closed by a matching </tag> or self-closed,
// the root is one <svg> element, attribute quotes pair up and every '&'
// starts an entity; otherwise a description of the first problem.
std::string tag_balance_error(const std::string& s) {
  std::vector<std::string> stack;
  std::size_t i = 0, roots = 0;
  while (i < s.size()) {
    if (s[i] == '&') {
      static const char* kEntities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
      bool ok = std::any_of(std::begin(kEntities), std::end(kEntities),
                            [&](const char* e) { return s.compare(i, std::string(e).size(), e) == 0; });
      if (!ok) return "bare & at " + std::to_string(i);
      ++i;
      continue;
    }
    if (s[i] == '>') return "stray > at " + std::to_string(i);
    if (s[i] != '<') {
      if (stack.empty() && !std::isspace(static_cast<unsigned char>(s[i]))) return "text outside the root";
      ++i;
      continue;
    }
    std::size_t end = s.find('>', i);
    if (end == std::string::npos) return "unterminated tag";
    std::string tag = s.substr(i + 1, end - i - 1);
    if (tag.empty() || tag.find('<') != std::string::npos) return "bad tag: " + tag;
    if (std::count(tag.begin(), tag.end(), '"') % 2 != 0) return "unbalanced quotes: " + tag;
    if (tag[0] == '/') {
      std::string name = tag.substr(1);
      if (stack.empty() || stack.back() != name) return "unexpected </" + name + ">";
      stack.pop_back();
    } else {
      std::string name = tag.substr(0, tag.find_first_of(" /\n"));
      if (stack.empty() && ++roots > 1) return "second root element <" + name + ">";
      if (tag.back() != '/') stack.push_back(name);
    }
    i = end + 1;
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  if (roots != 1) return "no root element";
  return "";
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

// Standalone, well-formed, and free of nan/inf anywhere (test labels avoid
// those letter sequences).
void check_svg(const std::string& svg) {
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(svg.size() >= 6);
  CHECK(svg.compare(svg.size() - 6, 6, "</svg>") == 0);
  CHECK(svg.find("viewBox=\"0 0 ") != std::string::npos);
  CHECK(svg.find("font-family=\"sans-serif\"") != std::string::npos);
  CHECK(tag_balance_error(svg) == "");
  std::string lower = svg;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(lower.find("nan") == std::string::npos);
  CHECK(lower.find("inf") == std::string::npos);
}

// Texts of <text class="tick"> elements with the given text-anchor
// ("end": y-axis ticks, "middle": x-axis ticks).
std::vector<double> tick_values(const std::string& svg, const std::string& anchor) {
  std::vector<double> v;
  std::regex re("<text class=\"tick\"[^>]*text-anchor=\"" + anchor + "\"[^>]*>([^<]*)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it)
    v.push_back(std::stod((*it)[1].str()));
  return v;
}

// Evenly spaced multiples of a 1-2-5 step.
void check_nice(std::vector<double> t) {
  REQUIRE(t.size() >= 2);
  std::sort(t.begin(), t.end());
  double step = t[1] - t[0];
  REQUIRE(step > 0);
  double mag = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  double m = step / mag;
  CHECK((std::fabs(m - 1) < 1e-6 || std::fabs(m - 2) < 1e-6 || std::fabs(m - 5) < 1e-6));
  for (std::size_t i = 1; i < t.size(); ++i) CHECK(t[i] - t[i - 1] == doctest::Approx(step).epsilon(1e-6));
  for (double x : t) CHECK(std::fabs(x / step - std::round(x / step)) < 1e-6);
}

}  // namespace

TEST_CASE("svg xml_escape escapes the five XML characters") {
  CHECK(cmp::xml_escape("<b>&\"'x") == "&lt;b&gt;&amp;&quot;&apos;x");
  CHECK(cmp::xml_escape("plain text \xE2\x86\x92") == "plain text \xE2\x86\x92");
  CHECK(cmp::xml_escape("") == "");
}

TEST_CASE("svg tag balance checker rejects malformed markup") {
  CHECK(tag_balance_error("<svg><g><rect/></g></svg>") == "");
  CHECK(tag_balance_error("<svg><g></svg>") != "");
  CHECK(tag_balance_error("<svg><text>a</g></svg>") != "");
  CHECK(tag_balance_error("<svg><text>a & b</text></svg>") != "");
  CHECK(tag_balance_error("<svg><text>a > b</text></svg>") != "");
  CHECK(tag_balance_error("<svg></svg><svg></svg>") != "");
  CHECK(tag_balance_error("<svg><rect x=\"1/></svg>") != "");
}

TEST_CASE("svg line chart draws one path per series with nice ticks and a legend") {
  std::vector<LineSeries> series = {
      {"train", {0, 1, 2, 3, 4}, {0.9, 0.7, 0.55, 0.5, 0.45}},
      {"<b>&\"", {0, 1, 2, 3, 4}, {0.95, 0.8, kNaN, 0.6, 0.58}},  // NaN breaks the line
      {"dev", {0, 2, 4}, {1.0, 0.75, 0.6}},
  };
  std::string svg = cmp::svg_line_chart("Loss <per> epoch", "epoch", "loss", series);
  check_svg(svg);
  CHECK(count(svg, "<path class=\"series\"") == 3);
  CHECK(svg.find("&lt;b&gt;&amp;&quot;") != std::string::npos);
  CHECK(svg.find("<b>") == std::string::npos);
  CHECK(svg.find("Loss &lt;per&gt; epoch") != std::string::npos);
  // The NaN splits the second series into two runs: two move-to commands.
  std::vector<std::string> paths;
  std::regex re("<path class=\"series\" d=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it)
    paths.push_back((*it)[1].str());
  REQUIRE(paths.size() == 3);
  CHECK(count(paths[0], "M") == 1);
  CHECK(count(paths[1], "M") == 2);
  CHECK(count(paths[1], "L") == 2);
  check_nice(tick_values(svg, "end"));
  check_nice(tick_values(svg, "middle"));
  auto y = tick_values(svg, "end");
  CHECK(*std::min_element(y.begin(), y.end()) <= 0.45);
  CHECK(*std::max_element(y.begin(), y.end()) >= 1.0);
  CHECK(count(svg, "<rect class=\"legend\"") == 3);
}

TEST_CASE("svg line chart with log y skips non-positive values and ticks at powers of ten") {
  std::vector<LineSeries> series = {{"loss", {1, 2, 3, 4, 5}, {10.0, 1.0, 0.0, -1.0, 0.01}}};
  std::string svg = cmp::svg_line_chart("log", "step", "loss", series, true);
  check_svg(svg);
  auto y = tick_values(svg, "end");
  REQUIRE(y.size() >= 3);
  for (double v : y) CHECK(std::fabs(std::log10(v) - std::round(std::log10(v))) < 1e-9);
  CHECK(*std::min_element(y.begin(), y.end()) <= 0.01);
  CHECK(*std::max_element(y.begin(), y.end()) >= 10.0);
  CHECK(count(svg, "<path class=\"series\"") == 1);
}

TEST_CASE("svg line chart handles degenerate input without nan or inf") {
  check_svg(cmp::svg_line_chart("", "", "", {}));
  check_svg(cmp::svg_line_chart("t", "x", "y", {{"empty", {}, {}}}));
  check_svg(cmp::svg_line_chart("t", "x", "y", {{"flat", {1, 1, 1}, {5, 5, 5}}}));
  check_svg(cmp::svg_line_chart("t", "x", "y", {{"zero", {0, 0}, {0, 0}}}));
  check_svg(cmp::svg_line_chart("t", "x", "y", {{"bad", {kNaN, kInf, 1}, {kNaN, 1, -kInf}}}));
  check_svg(cmp::svg_line_chart("t", "x", "y", {{"neg", {1, 2}, {-1, 0}}}, true));
  check_svg(cmp::svg_line_chart("t", "x", "y", {{"huge", {0, 1}, {-1e308, 1e308}}}));
  std::string one = cmp::svg_line_chart("t", "x", "y", {{"one", {3}, {7}}});
  check_svg(one);
  CHECK(count(one, "<circle") == 1);  // an isolated point stays visible
  check_nice(tick_values(one, "end"));
}

TEST_CASE("svg line chart rejects x and y of different sizes") {
  CHECK_THROWS_AS(cmp::svg_line_chart("t", "x", "y", {{"s", {1, 2, 3}, {1, 2}}}), common::InputError);
}

TEST_CASE("svg bar chart draws one bar per finite value with labels and a legend") {
  std::vector<std::string> methods = {"avg", "sif", "encoder-mean"};
  std::vector<BarGroup> groups = {
      {"STS-B", {0.61, 0.672, 0.7}},
      {"<b>&\"", {0.4, kNaN, -0.25}},
      {"SICK-R", {kInf, 0.5, 0.55}},
  };
  std::string svg = cmp::svg_bar_chart("Spearman", "rho", methods, groups);
  check_svg(svg);
  CHECK(count(svg, "<rect class=\"bar\"") == 7);
  CHECK(count(svg, ">n/a</text>") == 2);
  CHECK(count(svg, "<rect class=\"legend\"") == 3);
  CHECK(svg.find(">0.67</text>") != std::string::npos);
  CHECK(svg.find(">-0.25</text>") != std::string::npos);
  CHECK(svg.find("&lt;b&gt;&amp;&quot;") != std::string::npos);
  CHECK(svg.find("<b>") == std::string::npos);
  auto y = tick_values(svg, "end");
  check_nice(y);
  CHECK(*std::min_element(y.begin(), y.end()) <= -0.25);
  CHECK(*std::max_element(y.begin(), y.end()) >= 0.7);
  // Every bar height is non-negative.
  std::regex re("<rect class=\"bar\"[^>]*height=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it)
    CHECK(std::stod((*it)[1].str()) >= 0);
}

TEST_CASE("svg bar chart handles degenerate input and long group labels") {
  check_svg(cmp::svg_bar_chart("", "", {}, {}));
  check_svg(cmp::svg_bar_chart("t", "y", {"a"}, {}));
  std::string zeros = cmp::svg_bar_chart("t", "y", {"a", "b"}, {{"g", {0, 0}}});
  check_svg(zeros);
  CHECK(count(zeros, "<rect class=\"bar\"") == 2);
  std::string all_missing = cmp::svg_bar_chart("t", "y", {"a"}, {{"g1", {kNaN}}, {"g2", {kNaN}}});
  check_svg(all_missing);
  CHECK(count(all_missing, "<rect class=\"bar\"") == 0);
  CHECK(count(all_missing, ">n/a</text>") == 2);
  std::vector<BarGroup> many;
  for (int i = 0; i < 12; ++i) many.push_back({"a rather long benchmark name " + std::to_string(i), {1.0 * i}});
  std::string rotated = cmp::svg_bar_chart("t", "y", {"only"}, many);
  check_svg(rotated);
  CHECK(count(rotated, "rotate(-35") == 12);
  CHECK(count(rotated, "<rect class=\"bar\"") == 12);
}

TEST_CASE("svg bar chart rejects a group with the wrong number of values") {
  CHECK_THROWS_AS(cmp::svg_bar_chart("t", "y", {"a", "b"}, {{"g", {1.0}}}), common::InputError);
  CHECK_THROWS_AS(cmp::svg_bar_chart("t", "y", {"a"}, {{"g", {1.0}}, {"h", {1.0, 2.0}}}), common::InputError);
}

TEST_CASE("svg heatmap has one cell per value with tooltips and rotated column labels") {
  std::vector<std::string> rows = {"the", "<b>&\"", "sat"};
  std::vector<std::string> cols = {"the", "cat", "sat", "down"};
  std::vector<float> values(12);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i) / 11.0f;
  std::string svg = cmp::svg_heatmap("attention head 0", rows, cols, values);
  check_svg(svg);
  CHECK(count(svg, "<rect class=\"cell\"") == 12);
  CHECK(count(svg, "rotate(-60") == 4);
  CHECK(svg.find("<title>the \xE2\x86\x92 cat: ") != std::string::npos);
  CHECK(svg.find("&lt;b&gt;&amp;&quot; \xE2\x86\x92 down: ") != std::string::npos);
  CHECK(svg.find("<b>") == std::string::npos);
  CHECK(svg.find("fill=\"#ffffff\" stroke") != std::string::npos);  // vmin is white
  CHECK(svg.find("fill=\"#08306b\" stroke") != std::string::npos);  // vmax is dark blue
  // The declared size holds every cell.
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, std::regex("width=\"([0-9.]+)\" height=\"([0-9.]+)\"")));
  double w = std::stod(m[1].str()), h = std::stod(m[2].str());
  std::regex cell("<rect class=\"cell\" x=\"([0-9.]+)\" y=\"([0-9.]+)\" width=\"([0-9.]+)\" height=\"([0-9.]+)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), cell); it != std::sregex_iterator(); ++it) {
    CHECK(std::stod((*it)[1].str()) + std::stod((*it)[3].str()) <= w);
    CHECK(std::stod((*it)[2].str()) + std::stod((*it)[4].str()) <= h);
  }
}

TEST_CASE("svg heatmap handles equal values, NaN cells, explicit range and empty input") {
  std::string flat = cmp::svg_heatmap("t", {"a", "b"}, {"c", "d"}, {0.5f, 0.5f, 0.5f, 0.5f});
  check_svg(flat);
  CHECK(count(flat, "<rect class=\"cell\"") == 4);
  float nan = std::numeric_limits<float>::quiet_NaN();
  std::string holes = cmp::svg_heatmap("t", {"a"}, {"b", "c"}, {nan, 1.0f});
  check_svg(holes);
  CHECK(holes.find("b: n/a</title>") != std::string::npos);
  std::string all_nan = cmp::svg_heatmap("t", {"a"}, {"b"}, {nan});
  check_svg(all_nan);
  std::string ranged = cmp::svg_heatmap("t", {"a"}, {"b", "c"}, {-5.0f, 5.0f}, 0.0, 1.0);
  check_svg(ranged);
  CHECK(ranged.find("fill=\"#ffffff\" stroke") != std::string::npos);  // clamped below
  CHECK(ranged.find("fill=\"#08306b\" stroke") != std::string::npos);  // clamped above
  check_svg(cmp::svg_heatmap("", {}, {}, {}));
}

TEST_CASE("svg heatmap rejects a values size that is not rows times cols") {
  CHECK_THROWS_AS(cmp::svg_heatmap("t", {"a", "b"}, {"c"}, {1.0f}), common::InputError);
  CHECK_THROWS_AS(cmp::svg_heatmap("t", {}, {"c"}, {1.0f}), common::InputError);
}

TEST_CASE("svg scatter colours points by group and adds hover text") {
  std::vector<std::string> groups = {"nouns", "<b>&\"", "verbs"};
  std::vector<ScatterPoint> points = {
      {0.1, 0.2, 0, "cat"}, {0.3, -0.4, 0, "dog"}, {1.5, 2.0, 1, "a<b"}, {-1.0, 0.7, 2, ""}, {kNaN, 1.0, 2, "x"},
  };
  std::string svg = cmp::svg_scatter("PCA", groups, points);
  check_svg(svg);
  CHECK(count(svg, "<circle class=\"point\"") == 4);
  CHECK(count(svg, "<rect class=\"legend\"") == 3);
  CHECK(svg.find("<title>a&lt;b</title>") != std::string::npos);
  CHECK(svg.find("&lt;b&gt;&amp;&quot;") != std::string::npos);
  CHECK(count(svg, "fill=\"#1f77b4\" fill-opacity") == 2);  // group 0
  check_nice(tick_values(svg, "end"));
  check_nice(tick_values(svg, "middle"));
  check_svg(cmp::svg_scatter("", {}, {}));
  check_svg(cmp::svg_scatter("same", {"g"}, {{1, 1, 0, ""}, {1, 1, 0, ""}}));
}

TEST_CASE("svg scatter rejects a group index out of range") {
  CHECK_THROWS_AS(cmp::svg_scatter("t", {"g"}, {{0, 0, 1, ""}}), common::InputError);
  CHECK_THROWS_AS(cmp::svg_scatter("t", {"g"}, {{0, 0, -1, ""}}), common::InputError);
  CHECK_THROWS_AS(cmp::svg_scatter("t", {}, {{0, 0, 0, ""}}), common::InputError);
}
