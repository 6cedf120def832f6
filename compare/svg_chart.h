// A small self-contained SVG chart writer (line, grouped bar, heatmap and
// scatter charts) for the HTML report and the `wordlens attention` heatmap.
// Every function returns one standalone <svg xmlns=...> element, usable
// inline in HTML or written as a .svg file. All text is XML-escaped, all
// coordinates are finite (never "nan"/"inf"), and no element ids are used,
// so several charts can share one HTML page.
#pragma once

#include <cmath>
#include <string>
#include <vector>

namespace cmp {

// Escapes & < > " ' for XML (SVG) and HTML text and attribute values.
std::string xml_escape(const std::string& s);

// One line of a line chart; x.size() must equal y.size(). Points with a
// non-finite x or y are skipped and break the line.
struct LineSeries {
  std::string name;
  std::vector<double> x, y;
};

// Line chart with axes, 1-2-5 ticks and a legend. With log_y the y axis is
// logarithmic (for loss curves) and points with y <= 0 are skipped.
// Throws InputError when a series has x/y of different sizes.
std::string svg_line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                           const std::vector<LineSeries>& series, bool log_y = false, int width = 640,
                           int height = 360);

// One group of bars; values.size() must equal the number of series.
struct BarGroup {
  std::string label;
  std::vector<double> values;
};

// Grouped vertical bar chart: groups along x, one bar per series in each
// group, legend with the series names, the value (2 decimals) above each bar.
// Non-finite values draw no bar and the label "n/a". The y range includes 0.
// Throws InputError when a group's values do not match series_names.
std::string svg_bar_chart(const std::string& title, const std::string& y_label,
                          const std::vector<std::string>& series_names, const std::vector<BarGroup>& groups,
                          int width = 640, int height = 360);

// Heatmap of values[rows * cols] (row-major) with row labels on the left and
// column labels rotated -60° at the top; white → dark blue from vmin to vmax
// (NaN: min/max of the finite values). Each cell is a <rect class="cell">
// with a "row → col: value" tooltip. The size follows from the labels.
// Throws InputError when values.size() != rows * cols.
std::string svg_heatmap(const std::string& title, const std::vector<std::string>& row_labels,
                        const std::vector<std::string>& col_labels, const std::vector<float>& values,
                        double vmin = NAN, double vmax = NAN);

// One scatter point; group indexes group_names, label is the hover text
// (none when empty).
struct ScatterPoint {
  double x, y;
  int group;
  std::string label;
};

// Scatter plot coloured by group with a legend. Non-finite points are
// skipped. Throws InputError when a group index is out of range.
std::string svg_scatter(const std::string& title, const std::vector<std::string>& group_names,
                        const std::vector<ScatterPoint>& points, int width = 480, int height = 420);

}  // namespace cmp
