#include "compare/rollout_views.h"

#include "compare/svg_chart.h"

namespace cmp {

std::vector<ReportImage> rollout_heatmaps(const Rollout& r, const std::vector<std::string>& labels, const std::string& prefix,
                                          const std::string& what) {
  std::vector<ReportImage> images;
  const std::size_t tt = r.seq * r.seq;
  for (std::size_t l = 0; l < r.layers; ++l) {
    const std::string caption = what + ", after layer " + std::to_string(l);
    const std::vector<float> values(r.at(l), r.at(l) + tt);  // [T, T]
    images.push_back({prefix + "_L" + std::to_string(l) + ".svg", caption, svg_heatmap(caption, labels, labels, values, 0.0, 1.0)});
  }
  return images;
}

ReportImage reach_chart(const std::vector<Reach>& model, const std::vector<Reach>& windowed, std::size_t window,
                        std::size_t seq, const std::string& model_name) {
  const std::string w = "window \xC2\xB1" + std::to_string(window);
  LineSeries m{model_name + ": mean distance", {}, {}}, wd{w + ": mean distance", {}, {}}, wr{w + ": max reach", {}, {}},
      bound{"bound min(T-1, l\xC2\xB7W)", {}, {}};
  for (const auto& x : model) m.x.push_back(static_cast<double>(x.layer + 1)), m.y.push_back(x.mean_distance);
  for (const auto& x : windowed) {
    const double depth = static_cast<double>(x.layer + 1);
    wd.x.push_back(depth), wd.y.push_back(x.mean_distance);
    wr.x.push_back(depth), wr.y.push_back(static_cast<double>(x.max_reach));
    bound.x.push_back(depth), bound.y.push_back(static_cast<double>(structural_reach(seq, window, x.layer + 1)));
  }
  const std::string title = "How far information reaches with depth (" + std::to_string(seq) + " tokens)";
  return {"reach.svg", title, svg_line_chart(title, "layers", "tokens", {m, wd, wr, bound})};
}

}  // namespace cmp
