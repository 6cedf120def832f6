#include "compare/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "common/display_width.h"
#include "common/errors.h"

namespace cmp {
namespace {

// tab10: a categorical palette that stays readable on white.
constexpr const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
constexpr std::size_t kPaletteSize = sizeof(kPalette) / sizeof(kPalette[0]);
constexpr double kFont = 12;        // legend and axis-label font size (px)
constexpr double kTickFont = 11;    // tick and heatmap-label font size
constexpr double kTitleFont = 14;
constexpr double kCharWidth = 0.6;  // estimated glyph width per font px
constexpr double kLimit = 1e300;    // data beyond ±kLimit is clamped
constexpr double kCell = 22;        // heatmap cell size
constexpr const char* kAxisColour = "#333333";
constexpr const char* kGridColour = "#e6e6e6";
constexpr const char* kMissingColour = "#eeeeee";

const char* colour(std::size_t i) { return kPalette[i % kPaletteSize]; }

template <class... Parts>
void put(std::string& out, const Parts&... parts) {
  ((out += parts), ...);
}

// A coordinate: at most 2 decimals, no trailing zeros, never nan/inf.
std::string num(double v) {
  if (!std::isfinite(v)) v = 0;
  v = std::clamp(v, -1e9, 1e9);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

// printf-style formatting of one double; non-finite values give "n/a".
std::string fmt(const char* format, double v) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  std::string s = buf;
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // "-0.00"
  return s;
}

// A tick label for a multiple of step, with as many decimals as step needs.
std::string tick_label(double v, double step) {
  if (std::fabs(v) < step * 1e-6) v = 0;
  if (std::fabs(v) >= 1e7 || step < 1e-5) return fmt("%.6g", v);
  int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  char format[16];
  std::snprintf(format, sizeof format, "%%.%df", decimals);
  return fmt(format, v);
}

// Estimated rendered width of UTF-8 text: wide (CJK) characters count twice,
// combining marks not at all.
double text_width(const std::string& s, double font) {
  return static_cast<double>(common::display_width(s)) * font * kCharWidth;
}

double max_width(const std::vector<std::string>& texts, double font) {
  double w = 0;
  for (const auto& t : texts) w = std::max(w, text_width(t, font));
  return w;
}

// A numeric axis: drawn range [lo, hi] (log10 units when log) and ticks.
struct Axis {
  double lo = 0, hi = 1;
  bool log = false;
  std::vector<double> ticks;  // data units
  std::vector<std::string> labels;
  double frac(double v) const {
    double t = log ? std::log10(v) : v;
    return (t - lo) / (hi - lo);
  }
};

// The 1-2-5 step nearest above raw.
double nice_step(double raw) {
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double n = raw / mag;
  return (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * mag;
}

Axis linear_axis(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) lo = 0, hi = 1;
  lo = std::clamp(lo, -kLimit, kLimit);
  hi = std::clamp(hi, -kLimit, kLimit);
  if (hi - lo <= 1e-12 * std::max(std::fabs(lo), std::fabs(hi))) {  // degenerate, also 0..0
    double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= pad, hi += pad;
  }
  Axis a;
  double step = nice_step((hi - lo) / std::max(target, 1));
  double k0 = std::floor(lo / step + 1e-9), k1 = std::ceil(hi / step - 1e-9);
  a.lo = k0 * step;
  a.hi = k1 * step;
  long n = std::min(100L, std::lround(k1 - k0));
  for (long i = 0; i <= n; ++i) {
    double t = (k0 + static_cast<double>(i)) * step;
    a.ticks.push_back(t);
    a.labels.push_back(tick_label(t, step));
  }
  return a;
}

// Decade ticks (plus 2× and 5× over short ranges); lo, hi > 0.
Axis log_axis(double lo, double hi) {
  if (!(lo > 0) || !(hi >= lo) || !std::isfinite(hi)) lo = 1, hi = 10;
  Axis a;
  a.log = true;
  a.lo = std::floor(std::log10(lo) + 1e-9);
  a.hi = std::max(std::ceil(std::log10(hi) - 1e-9), a.lo + 1);
  double stride = std::max(1.0, std::ceil((a.hi - a.lo) / 8));
  for (double k = a.lo; k <= a.hi + 1e-9; k += stride) {
    for (double m : {1.0, 2.0, 5.0}) {
      if (m > 1 && (a.hi - a.lo > 2 || k >= a.hi)) break;
      double v = m * std::pow(10.0, k);
      a.ticks.push_back(v);
      a.labels.push_back(fmt("%g", v));
    }
  }
  return a;
}

// Plot area in px (y0 is the top).
struct Frame {
  double x0, y0, x1, y1;
  double px(const Axis& a, double v) const { return x0 + a.frac(v) * (x1 - x0); }
  double py(const Axis& a, double v) const { return y1 - a.frac(v) * (y1 - y0); }
};

void open_svg(std::string& out, double w, double h, const std::string& title) {
  put(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", num(w), "\" height=\"", num(h),
      "\" viewBox=\"0 0 ", num(w), " ", num(h), "\" font-family=\"sans-serif\" font-size=\"", num(kFont),
      "\">\n<rect width=\"", num(w), "\" height=\"", num(h), "\" fill=\"#ffffff\"/>\n");
  if (!title.empty())
    put(out, "<text class=\"title\" x=\"", num(w / 2), "\" y=\"22\" text-anchor=\"middle\" font-size=\"",
        num(kTitleFont), "\" font-weight=\"bold\">", xml_escape(title), "</text>\n");
}

void text(std::string& out, double x, double y, const std::string& s, const char* anchor, double font,
          const char* cls = nullptr) {
  out += "<text";
  if (cls) put(out, " class=\"", cls, "\"");
  put(out, " x=\"", num(x), "\" y=\"", num(y), "\" text-anchor=\"", anchor, "\" font-size=\"", num(font), "\">",
      xml_escape(s), "</text>\n");
}

// Text rotated by deg around its anchor point.
void rotated_text(std::string& out, double x, double y, double deg, const std::string& s, const char* anchor,
                  double font) {
  put(out, "<text x=\"", num(x), "\" y=\"", num(y), "\" transform=\"rotate(", num(deg), " ", num(x), " ", num(y),
      ")\" text-anchor=\"", anchor, "\" font-size=\"", num(font), "\">", xml_escape(s), "</text>\n");
}

void line(std::string& out, double x1, double y1, double x2, double y2, const char* stroke) {
  put(out, "<line x1=\"", num(x1), "\" y1=\"", num(y1), "\" x2=\"", num(x2), "\" y2=\"", num(y2), "\" stroke=\"",
      stroke, "\"/>\n");
}

void draw_y_axis(std::string& out, const Frame& f, const Axis& a, const std::string& label) {
  for (std::size_t i = 0; i < a.ticks.size(); ++i) {
    double y = f.py(a, a.ticks[i]);
    line(out, f.x0, y, f.x1, y, kGridColour);
    line(out, f.x0 - 4, y, f.x0, y, kAxisColour);
    text(out, f.x0 - 6, y + 4, a.labels[i], "end", kTickFont, "tick");
  }
  line(out, f.x0, f.y0, f.x0, f.y1, kAxisColour);
  if (!label.empty()) rotated_text(out, 16, (f.y0 + f.y1) / 2, -90, label, "middle", kFont);
}

void draw_x_axis(std::string& out, const Frame& f, const Axis& a, const std::string& label) {
  for (std::size_t i = 0; i < a.ticks.size(); ++i) {
    double x = f.px(a, a.ticks[i]);
    line(out, x, f.y0, x, f.y1, kGridColour);
    line(out, x, f.y1, x, f.y1 + 4, kAxisColour);
    text(out, x, f.y1 + 16, a.labels[i], "middle", kTickFont, "tick");
  }
  line(out, f.x0, f.y1, f.x1, f.y1, kAxisColour);
  if (!label.empty()) text(out, (f.x0 + f.x1) / 2, f.y1 + 34, label, "middle", kFont);
}

double legend_width(const std::vector<std::string>& names) {
  return names.empty() ? 0 : 30 + max_width(names, kFont);
}

// One entry per name: a colour swatch and the name.
void draw_legend(std::string& out, double x, double y, const std::vector<std::string>& names) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    double yi = y + 18 * static_cast<double>(i);
    put(out, "<rect class=\"legend\" x=\"", num(x), "\" y=\"", num(yi), "\" width=\"10\" height=\"10\" fill=\"",
        colour(i), "\"/>\n");
    text(out, x + 16, yi + 9.5, names[i], "start", kFont);
  }
}

// Header, title, axes and legend of a chart with two numeric axes.
Frame begin_xy_chart(std::string& out, const std::string& title, const std::string& x_label,
                     const std::string& y_label, double xlo, double xhi, double ylo, double yhi, bool log_y,
                     int width, int height, const std::vector<std::string>& legend, Axis& xa, Axis& ya) {
  double w = std::max(width, 120), h = std::max(height, 100);
  ya = log_y ? log_axis(ylo, yhi) : linear_axis(ylo, yhi, 5);
  Frame f;
  f.x0 = (y_label.empty() ? 8 : 26) + max_width(ya.labels, kTickFont) + 8;
  f.y0 = title.empty() ? 14 : 38;
  double lw = legend_width(legend);
  f.x1 = std::max(w - 14 - (lw > 0 ? lw + 12 : 0), f.x0 + 20);
  f.y1 = std::max(h - (x_label.empty() ? 26 : 44), f.y0 + 20);
  xa = linear_axis(xlo, xhi, std::max(2, static_cast<int>((f.x1 - f.x0) / 90)));
  open_svg(out, std::max(w, f.x1 + 14 + (lw > 0 ? lw + 12 : 0)), std::max(h, f.y1 + 26), title);
  draw_y_axis(out, f, ya, y_label);
  draw_x_axis(out, f, xa, x_label);
  if (lw > 0) draw_legend(out, f.x1 + 16, f.y0, legend);
  return f;
}

// Range of the finite values, widened to include v.
struct Range {
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
};

// White → light blue → dark blue ("Blues"), t in [0, 1].
std::string blues(double t) {
  static const double kStops[3][3] = {{255, 255, 255}, {107, 174, 214}, {8, 48, 107}};
  t = std::clamp(std::isfinite(t) ? t : 0.5, 0.0, 1.0);
  int seg = t < 0.5 ? 0 : 1;
  double u = (t - 0.5 * seg) * 2;
  int c[3];
  for (int k = 0; k < 3; ++k)
    c[k] = static_cast<int>(std::lround(kStops[seg][k] + (kStops[seg + 1][k] - kStops[seg][k]) * u));
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c[0] & 0xFF, c[1] & 0xFF, c[2] & 0xFF);
  return buf;
}

}  // namespace

std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string svg_line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                           const std::vector<LineSeries>& series, bool log_y, int width, int height) {
  auto valid = [&](double x, double y) { return std::isfinite(x) && std::isfinite(y) && (!log_y || y > 0); };
  Range xr, yr;
  std::vector<std::string> names;
  for (const auto& s : series) {
    if (s.x.size() != s.y.size()) {
      std::string msg = "svg_line_chart: series '";
      put(msg, s.name, "' has ", std::to_string(s.x.size()), " x but ", std::to_string(s.y.size()), " y values");
      throw common::InputError(msg);
    }
    for (std::size_t i = 0; i < s.x.size(); ++i)
      if (valid(s.x[i], s.y[i])) xr.add(s.x[i]), yr.add(s.y[i]);
    names.push_back(s.name);
  }
  std::string out;
  Axis xa, ya;
  Frame f = begin_xy_chart(out, title, x_label, y_label, xr.lo, xr.hi, yr.lo, yr.hi, log_y, width, height, names,
                           xa, ya);
  for (std::size_t si = 0; si < series.size(); ++si) {
    const auto& s = series[si];
    std::string d, dots;
    std::size_t run = 0;  // points in the current unbroken run
    double last_x = 0, last_y = 0;
    auto end_run = [&] {
      if (run == 1)  // an isolated point: a line of one point would be invisible
        put(dots, "<circle cx=\"", num(last_x), "\" cy=\"", num(last_y), "\" r=\"2.5\" fill=\"", colour(si), "\"/>\n");
      run = 0;
    };
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!valid(s.x[i], s.y[i])) {
        end_run();
        continue;
      }
      last_x = f.px(xa, s.x[i]);
      last_y = f.py(ya, s.y[i]);
      if (!d.empty()) d += ' ';
      put(d, run == 0 ? "M" : "L", num(last_x), " ", num(last_y));
      ++run;
    }
    end_run();
    if (d.empty()) continue;
    put(out, "<path class=\"series\" d=\"", d, "\" fill=\"none\" stroke=\"", colour(si),
        "\" stroke-width=\"1.8\" stroke-linejoin=\"round\"><title>", xml_escape(s.name), "</title></path>\n", dots);
  }
  out += "</svg>";
  return out;
}

std::string svg_bar_chart(const std::string& title, const std::string& y_label,
                          const std::vector<std::string>& series_names, const std::vector<BarGroup>& groups,
                          int width, int height) {
  Range r;
  r.add(0);
  for (const auto& g : groups) {
    if (g.values.size() != series_names.size()) {
      std::string msg = "svg_bar_chart: group '";
      put(msg, g.label, "' has ", std::to_string(g.values.size()), " values for ",
          std::to_string(series_names.size()), " series");
      throw common::InputError(msg);
    }
    for (double v : g.values)
      if (std::isfinite(v)) r.add(std::clamp(v, -kLimit, kLimit));
  }
  if (r.hi == r.lo) r.hi = 1;  // all zero or no values
  double span = r.hi - r.lo;   // headroom for the value labels
  Axis ya = linear_axis(r.lo < 0 ? r.lo - 0.08 * span : 0, r.hi > 0 ? r.hi + 0.08 * span : 0, 5);

  double w = std::max(width, 120), h = std::max(height, 100);
  Frame f;
  f.x0 = (y_label.empty() ? 8 : 26) + max_width(ya.labels, kTickFont) + 8;
  f.y0 = title.empty() ? 14 : 38;
  double lw = legend_width(series_names);
  f.x1 = std::max(w - 14 - (lw > 0 ? lw + 12 : 0), f.x0 + 20);
  std::size_t ng = groups.size(), ns = series_names.size();
  double label_w = 0;
  for (const auto& g : groups) label_w = std::max(label_w, text_width(g.label, kTickFont));
  double group_w = (f.x1 - f.x0) / static_cast<double>(std::max<std::size_t>(ng, 1));
  bool rotate = label_w > group_w - 4;
  constexpr double kAngle = 35 * 3.14159265358979 / 180;
  if (rotate) {  // rotated labels reach left of their group; keep the first one inside
    f.x0 = std::max(f.x0, label_w * std::cos(kAngle) - group_w / 2 + 6);
    f.x1 = std::max(f.x1, f.x0 + 20);
    group_w = (f.x1 - f.x0) / static_cast<double>(std::max<std::size_t>(ng, 1));
  }
  double bottom = rotate ? 22 + label_w * std::sin(kAngle) : 26;
  f.y1 = std::max(h - bottom, f.y0 + 40);
  w = std::max(w, f.x1 + 14 + (lw > 0 ? lw + 12 : 0));
  h = std::max(h, f.y1 + bottom);

  std::string out;
  open_svg(out, w, h, title);
  draw_y_axis(out, f, ya, y_label);
  line(out, f.x0, f.y1, f.x1, f.y1, kAxisColour);
  double zero = f.py(ya, 0);
  if (ya.lo < 0) line(out, f.x0, zero, f.x1, zero, kAxisColour);
  if (lw > 0) draw_legend(out, f.x1 + 16, f.y0, series_names);

  double bar_w = group_w * 0.8 / static_cast<double>(std::max<std::size_t>(ns, 1));
  for (std::size_t gi = 0; gi < ng; ++gi) {
    const auto& g = groups[gi];
    double gx = f.x0 + group_w * static_cast<double>(gi);
    for (std::size_t si = 0; si < ns; ++si) {
      double v = g.values[si];
      double bx = gx + group_w * 0.1 + bar_w * static_cast<double>(si);
      double cx = bx + bar_w / 2;
      std::string label = fmt("%.2f", v);
      double font = std::clamp(bar_w * 1.1 / std::max(1.0, text_width(label, 1)), 6.0, 10.0);
      if (!std::isfinite(v)) {
        put(out, "<text class=\"value\" x=\"", num(cx), "\" y=\"", num(zero - 3),
            "\" text-anchor=\"middle\" font-size=\"", num(font), "\" fill=\"#888888\">n/a</text>\n");
        continue;
      }
      v = std::clamp(v, -kLimit, kLimit);
      double top = f.py(ya, std::max(v, 0.0)), bot = f.py(ya, std::min(v, 0.0));
      put(out, "<rect class=\"bar\" x=\"", num(bx + bar_w * 0.05), "\" y=\"", num(top), "\" width=\"",
          num(bar_w * 0.9), "\" height=\"", num(bot - top), "\" fill=\"", colour(si), "\"><title>",
          xml_escape(g.label), " / ", xml_escape(series_names[si]), ": ", label, "</title></rect>\n");
      put(out, "<text class=\"value\" x=\"", num(cx), "\" y=\"", num(v >= 0 ? top - 3 : bot + font + 1),
          "\" text-anchor=\"middle\" font-size=\"", num(font), "\">", label, "</text>\n");
    }
    double lx = gx + group_w / 2;
    if (rotate)
      rotated_text(out, lx, f.y1 + 14, -35, g.label, "end", kTickFont);
    else
      text(out, lx, f.y1 + 16, g.label, "middle", kTickFont, "group");
  }
  out += "</svg>";
  return out;
}

std::string svg_heatmap(const std::string& title, const std::vector<std::string>& row_labels,
                        const std::vector<std::string>& col_labels, const std::vector<float>& values, double vmin,
                        double vmax) {
  std::size_t rows = row_labels.size(), cols = col_labels.size();
  if (values.size() != rows * cols) {
    std::string msg = "svg_heatmap: ";
    put(msg, std::to_string(values.size()), " values for ", std::to_string(rows), " x ", std::to_string(cols),
        " cells");
    throw common::InputError(msg);
  }
  Range r;
  for (float v : values)
    if (std::isfinite(v)) r.add(v);
  if (!(r.lo <= r.hi)) r.lo = 0, r.hi = 1;  // no finite value
  if (!std::isfinite(vmin)) vmin = r.lo;
  if (!std::isfinite(vmax)) vmax = r.hi;

  constexpr double kSin60 = 0.8660254037844386;
  double row_w = max_width(row_labels, kTickFont), col_w = max_width(col_labels, kTickFont);
  double left = 10 + row_w + 6;
  double top = (title.empty() ? 10 : 34) + col_w * kSin60 + 10;
  double grid_w = kCell * static_cast<double>(cols), grid_h = kCell * static_cast<double>(rows);
  double bar_h = std::max(grid_h, 80.0), bar_x = left + grid_w + 16;
  std::string lmax = fmt("%.3g", vmax), lmid = fmt("%.3g", (vmin + vmax) / 2), lmin = fmt("%.3g", vmin);
  double scale_w = std::max({text_width(lmax, kTickFont), text_width(lmid, kTickFont), text_width(lmin, kTickFont)});
  double w = bar_x + 12 + 6 + scale_w + 10;
  if (cols > 0) w = std::max(w, left + grid_w - kCell / 2 + col_w * 0.5 + 14);  // last column label
  w = std::max(w, text_width(title, kTitleFont) + 20);
  double h = top + bar_h + 14;

  std::string out;
  open_svg(out, w, h, title);
  for (std::size_t i = 0; i < rows; ++i)
    text(out, left - 6, top + kCell * (static_cast<double>(i) + 0.5) + 4, row_labels[i], "end", kTickFont, "row");
  for (std::size_t j = 0; j < cols; ++j)
    rotated_text(out, left + kCell * (static_cast<double>(j) + 0.5) + 4, top - 5, -60, col_labels[j], "start",
                 kTickFont);
  double range = vmax - vmin;
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) {
      double v = values[i * cols + j];
      bool ok = std::isfinite(v);
      std::string fill = !ok ? kMissingColour : range > 0 ? blues((v - vmin) / range) : blues(0.5);
      put(out, "<rect class=\"cell\" x=\"", num(left + kCell * static_cast<double>(j)), "\" y=\"",
          num(top + kCell * static_cast<double>(i)), "\" width=\"", num(kCell), "\" height=\"", num(kCell),
          "\" fill=\"", fill, "\" stroke=\"#ffffff\" stroke-width=\"0.5\"><title>", xml_escape(row_labels[i]),
          " \u2192 ", xml_escape(col_labels[j]), ": ", fmt("%.4g", v), "</title></rect>\n");
    }
  }
  // Colour scale: stacked bands from vmax (top) to vmin (bottom).
  constexpr int kBands = 20;
  for (int b = 0; b < kBands; ++b)
    put(out, "<rect class=\"scale\" x=\"", num(bar_x), "\" y=\"", num(top + bar_h * b / kBands),
        "\" width=\"12\" height=\"", num(bar_h / kBands + 0.5), "\" fill=\"", blues(1 - (b + 0.5) / kBands),
        "\"/>\n");
  put(out, "<rect x=\"", num(bar_x), "\" y=\"", num(top), "\" width=\"12\" height=\"", num(bar_h),
      "\" fill=\"none\" stroke=\"", kAxisColour, "\" stroke-width=\"0.5\"/>\n");
  text(out, bar_x + 18, top + 9, lmax, "start", kTickFont, "tick");
  text(out, bar_x + 18, top + bar_h / 2 + 4, lmid, "start", kTickFont, "tick");
  text(out, bar_x + 18, top + bar_h, lmin, "start", kTickFont, "tick");
  out += "</svg>";
  return out;
}

std::string svg_scatter(const std::string& title, const std::vector<std::string>& group_names,
                        const std::vector<ScatterPoint>& points, int width, int height) {
  Range xr, yr;
  for (const auto& p : points) {
    if (p.group < 0 || static_cast<std::size_t>(p.group) >= group_names.size()) {
      std::string msg = "svg_scatter: group index ";
      put(msg, std::to_string(p.group), " out of range for ", std::to_string(group_names.size()), " groups");
      throw common::InputError(msg);
    }
    if (std::isfinite(p.x) && std::isfinite(p.y)) xr.add(p.x), yr.add(p.y);
  }
  std::string out;
  Axis xa, ya;
  Frame f = begin_xy_chart(out, title, "", "", xr.lo, xr.hi, yr.lo, yr.hi, false, width, height, group_names, xa, ya);
  for (const auto& p : points) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    put(out, "<circle class=\"point\" cx=\"", num(f.px(xa, p.x)), "\" cy=\"", num(f.py(ya, p.y)),
        "\" r=\"3.5\" fill=\"", colour(static_cast<std::size_t>(p.group)), "\" fill-opacity=\"0.8\"");
    if (p.label.empty())
      out += "/>\n";
    else
      put(out, "><title>", xml_escape(p.label), "</title></circle>\n");
  }
  out += "</svg>";
  return out;
}

}  // namespace cmp
