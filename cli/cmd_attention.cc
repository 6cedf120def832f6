// wordlens attention: one sentence through an encoder — a heatmap per layer
// and head and where each token attends most; one head worked through step
// by step (--explain); attention rollout through the layers (--rollout).
#include <cstdio>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "cli/attention_explain_print.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/inspect_args.h"
#include "cli/normalizer_options.h"
#include "common/display_width.h"
#include "common/errors.h"
#include "compare/attention_explain.h"
#include "compare/attention_rollout.h"
#include "compare/inspect.h"
#include "compare/report_views.h"
#include "compare/rollout_views.h"

namespace po = boost::program_options;

namespace cli {

namespace {

// Appends "label  tok -> tok weight" lines, one per query token, to out,
// columns aligned by display width.
void summarise(std::string& out, const std::string& label, const float* map, const std::vector<std::string>& tok) {
  const auto top = cmp::top_attended(map, tok.size());
  const std::size_t w = common::max_display_width(tok);
  char weight[32];
  for (std::size_t q = 0; q < tok.size(); ++q) {
    std::snprintf(weight, sizeof weight, " %.2f\n", static_cast<double>(top[q].weight));
    out += common::pad_right(label, 8) + " " + common::pad_right(tok[q], w) + " -> " + common::pad_right(tok[top[q].key], w) +
           weight;
  }
}

std::string layer_head(std::size_t l, const char* sep, std::size_t h) {
  std::string s = "L";
  s += std::to_string(l);
  s += sep;
  s += std::to_string(h);
  return s;
}

// For each layer/head (and each layer's mean over heads): every token, the
// token it attends to most, and the weight.
std::string attention_summary(const cmp::AttentionMaps& maps, long long layer, long long head) {
  const auto& tok = maps.tokens.display;
  std::string summary;
  for (std::size_t li = 0; li < maps.layers; ++li) {
    if (layer >= 0 && li != static_cast<std::size_t>(layer)) continue;
    for (std::size_t hi = 0; hi < maps.heads; ++hi)
      if (head < 0 || hi == static_cast<std::size_t>(head)) summarise(summary, layer_head(li, " H", hi), maps.map(li, hi), tok);
    const auto mean = maps.head_mean(li);  // [T, T]
    summarise(summary, "L" + std::to_string(li) + " mean", mean.data(), tok);
  }
  return summary;
}

// The maps of the layers/heads shown, as one JSON object: every weight, and
// each query's most attended key.
nlohmann::ordered_json attention_json(const cmp::AttentionMaps& maps, long long layer, long long head) {
  const std::size_t T = maps.seq;
  auto entry = [&](std::size_t l, nlohmann::ordered_json h, const float* map) {
    nlohmann::ordered_json e;
    e["layer"] = l;
    e["head"] = std::move(h);
    auto rows = nlohmann::ordered_json::array();
    for (std::size_t q = 0; q < T; ++q) rows.push_back(std::vector<float>(map + q * T, map + (q + 1) * T));
    e["weights"] = std::move(rows);
    auto top = nlohmann::ordered_json::array();
    for (const auto& a : cmp::top_attended(map, T)) top.push_back({{"key", a.key}, {"weight", a.weight}});
    e["top"] = std::move(top);
    return e;
  };
  nlohmann::ordered_json out;
  out["tokens"] = maps.tokens.display;
  out["layers"] = maps.layers;
  out["heads"] = maps.heads;
  auto shown = nlohmann::ordered_json::array();
  for (std::size_t l = 0; l < maps.layers; ++l) {
    if (layer >= 0 && l != static_cast<std::size_t>(layer)) continue;
    for (std::size_t h = 0; h < maps.heads; ++h)
      if (head < 0 || h == static_cast<std::size_t>(head)) shown.push_back(entry(l, h, maps.map(l, h)));
    const auto mean = maps.head_mean(l);  // [T, T]
    shown.push_back(entry(l, "mean", mean.data()));
  }
  out["maps"] = std::move(shown);
  return out;
}

struct AttentionOptions {
  std::string out_dir = "attention", format = "svg";
  long long layer = -1, head = -1;
  bool explain = false, rollout = false, json = false;
  std::size_t dims = 8;
  long long window = -1;  // --rollout: -1 = the model's window, else 2
  // OptionError for a bad combination; vm tells what was given.
  void validate(const po::variables_map& vm) const;
};

void AttentionOptions::validate(const po::variables_map& vm) const {
  if (format != "svg")
    throw common::OptionError("--format must be svg (got '" + format + "'); PNG would need a font rasteriser");
  if (out_dir.empty()) throw common::OptionError("--out must name a directory");
  if (explain && rollout) throw common::OptionError("--explain and --rollout are two different views: give one");
  if (!vm["dims"].defaulted() && !explain) throw common::OptionError("--dims goes with --explain");
  if (dims < 1) throw common::OptionError("--dims must be at least 1");
  if (vm.count("window") && !rollout) throw common::OptionError("--window goes with --rollout");
  if (window < -1 || window == 0) throw common::OptionError("--window must be at least 1 (tokens each side)");
  if (explain && !vm["out"].defaulted()) throw common::OptionError("--explain writes no files: --out goes without it");
}

void run_explain(Loaded& l, const AttentionOptions& o) {
  const std::size_t layer = o.layer < 0 ? 0 : static_cast<std::size_t>(o.layer);
  const std::size_t head = o.head < 0 ? 0 : static_cast<std::size_t>(o.head);
  const auto e = cmp::explain_head(*l.model, l.tokens, layer, head);
  if (o.json)
    std::printf("%s\n", explain_json(e, l.tokens.display, l.tokens.ids).dump().c_str());
  else
    std::fputs(explain_text(e, l.tokens.display, l.model->config().n_heads, o.dims).c_str(), stdout);
}

// The rollout of the model's own attention and of another window (the
// same weights), as a table or one JSON object; the heatmaps and the reach
// chart go to out_dir.
void run_rollout(Loaded& l, const AttentionOptions& o) {
  const std::size_t own = l.model->config().attention_window;
  const std::size_t w = o.window > 0 ? static_cast<std::size_t>(o.window) : own > 0 ? own : 2;
  const std::size_t other = w == own ? 0 : w;  // the comparison: window w, or full attention for a model windowed at w
  const auto own_rollout = cmp::rollout(cmp::attention_maps(*l.model, l.tokens));
  enc::Encoder windowed = cmp::with_window(*l.model, other);
  const auto other_rollout = cmp::rollout(cmp::attention_maps(windowed, l.tokens));
  const auto a = cmp::rollout_reach(own_rollout, w), b = cmp::rollout_reach(other_rollout, w);
  const auto name = [](std::size_t win) { return win == 0 ? std::string("full attention") : "window \xC2\xB1" + std::to_string(win); };
  const std::string own_name = name(own) + " (the model's)", other_name = name(other) + " (applied at inference)";
  const std::size_t T = own_rollout.seq;
  auto files = cmp::rollout_heatmaps(own_rollout, l.tokens.display, "rollout", "rollout of " + own_name);
  for (auto& f : cmp::rollout_heatmaps(other_rollout, l.tokens.display, other == 0 ? "rollout_full" : "rollout_window",
                                       "rollout of " + other_name))
    files.push_back(std::move(f));
  files.push_back(other == 0 ? cmp::reach_chart(b, a, w, T, name(0)) : cmp::reach_chart(a, b, w, T, name(own)));
  write_files(o.out_dir, files);
  if (o.json) {
    auto stats = [](const cmp::Reach& r) {
      return nlohmann::ordered_json{{"mean_reach", r.mean_reach}, {"max_reach", r.max_reach},
                                    {"mean_distance", r.mean_distance}, {"mass_beyond", r.mass_beyond}};
    };
    nlohmann::ordered_json out{{"tokens", l.tokens.display}, {"model_window", own}, {"window", w}, {"compared_window", other}};
    auto rows = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < a.size(); ++i)
      rows.push_back({{"layer", i}, {"model", stats(a[i])}, {"compared", stats(b[i])},
                      {"bound", cmp::structural_reach(T, w, i + 1)}});
    out["layers"] = std::move(rows);
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("attention rollout of %zu tokens through %zu layers: A_l = 0.5 mean over heads + 0.5 I, rows renormalised,\n"
                "R_l = A_l R_{l-1}. reach: the farthest position with a non-zero share (mean and max over the tokens);\n"
                "distance: the share-weighted mean distance; beyond: the share from further than %zu tokens.\n",
                T, own_rollout.layers, w);
    std::printf("model: %s; compared: %s, the same weights%s\n", name(own).c_str(), name(other).c_str(),
                own == 0 ? " (trained with full attention)" : "");
    const std::string h1 = common::pad_right(name(own) + " (the model's)", 28), h2 = name(other) + " (at inference)";
    std::printf("%-6s| %s| %s\n%-6s| %5s %4s %8s %7s | %5s %4s %8s %7s %5s\n", "", h1.c_str(), h2.c_str(), "layer", "reach",
                "max", "distance", "beyond", "reach", "max", "distance", "beyond", "bound");
    for (std::size_t i = 0; i < a.size(); ++i)
      std::printf("%-6zu| %5.1f %4zu %8.2f %7.3f | %5.1f %4zu %8.2f %7.3f %5zu\n", i, a[i].mean_reach, a[i].max_reach,
                  a[i].mean_distance, a[i].mass_beyond, b[i].mean_reach, b[i].max_reach, b[i].mean_distance,
                  b[i].mass_beyond, cmp::structural_reach(T, w, i + 1));
  }
  std::fprintf(stderr, "wrote %zu SVG files (rollout_L*.svg, %s_L*.svg, reach.svg) to %s\n", files.size(),
               other == 0 ? "rollout_full" : "rollout_window", o.out_dir.c_str());
}

}  // namespace

int cmd_attention(int argc, char** argv) {
  ModelArgs m;
  std::string sentence;
  AttentionOptions o;
  po::options_description desc(
      "usage: wordlens attention --model M.safetensors [--vectors V.bin] \"SENTENCE\" [--layer L] [--head H]\n"
      "                          [--out DIR] [--json]\n"
      "       wordlens attention ... \"SENTENCE\" --explain [--layer 0] [--head 0] [--dims 8] [--json]\n"
      "       wordlens attention ... \"SENTENCE\" --rollout [--window W] [--out DIR] [--json]\n\n"
      "Runs the sentence through an encoder and writes one heatmap per layer and head,\n"
      "DIR/attention_L{l}_H{h}.svg: rows are the queries, columns the keys, a cell the attention\n"
      "probability (each row sums to 1). Prints for every layer/head and token the token it attends\n"
      "to most and the weight, then the same for the mean over each layer's heads (--json: every weight).\n"
      "--explain works one head through step by step (no files): the input x (LN1 of the residual\n"
      "stream entering the layer for a pre-norm model), q, k, v of each token, the raw scores q.k, the\n"
      "scores divided by sqrt(d_head), the window mask, the softmax rows, the weighted sum of the values\n"
      "and the head's share of the output through W_O; vectors show their first --dims components.\n"
      "--rollout multiplies the layers' attention (mean over heads, plus the residual) through the\n"
      "layers and tells how far each token's information reaches after each layer, for the model's\n"
      "own attention and for a sliding window of +-W applied to the same weights (default: the model's\n"
      "window, then full attention for the comparison; else 2); writes rollout_L{l}.svg,\n"
      "rollout_window_L{l}.svg (or rollout_full_L{l}.svg) and reach.svg to DIR.\n"
      "An encoder trained by `wordlens encoder train --vectors V.bin` reads the sentence normalised as its\n"
      "text was ([CLS] first, unknown words shown as [UNK]:word) and needs the same V.bin; one trained with\n"
      "--tokenizer (BPE) reads the raw sentence as BPE pieces, shown readable (\xC4\xA0 marks a word start).\n"
      "Layers and heads are counted from 0. SVG is the only format: PNG would need a font rasteriser\n"
      "for the token labels (convert with e.g. rsvg-convert, or open the SVG in a browser).\n\noptions");
  NormalizerFlags nf;
  add_inspect_options(desc, m, nf);
  // clang-format off
  desc.add_options()
    ("sentence", po::value(&sentence), "the sentence (also the positional argument)")
    ("layer", po::value(&o.layer), "only this layer (default: all; --explain: 0)")
    ("head", po::value(&o.head), "only this head (default: all; --explain: 0)")
    ("explain", po::bool_switch(&o.explain), "one head step by step: q, k, v, scores, softmax, weighted values")
    ("dims", po::value(&o.dims)->default_value(o.dims), "--explain: components of each vector shown (all are computed)")
    ("rollout", po::bool_switch(&o.rollout), "attention rollout through the layers, full vs sliding window")
    ("window", po::value(&o.window), "--rollout: the sliding window +-W to compare (default: the model's, else 2)")
    ("out", po::value(&o.out_dir)->default_value(o.out_dir), "directory for the SVG files (created if missing)")
    ("format", po::value(&o.format)->default_value(o.format), "svg (the only format)")
    ("json", po::bool_switch(&o.json), "print one JSON object instead of the text");
  // clang-format on
  po::positional_options_description pos;
  pos.add("sentence", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm, &pos)) return 0;
  o.validate(vm);
  auto l = load(m, sentence, normalizer_request(nf, vm));
  const auto& cfg = l.model->config();
  check_index(o.layer, cfg.n_layers, "--layer", "layers");
  check_index(o.head, cfg.n_heads, "--head", "heads");
  warn_if_unknown(l, m.vectors);
  if (o.explain) return run_explain(l, o), 0;
  if (o.rollout) return run_rollout(l, o), 0;
  const auto maps = cmp::attention_maps(*l.model, std::move(l.tokens));
  const auto files = cmp::attention_heatmaps(maps, o.layer, o.head);
  const std::string summary = o.json ? attention_json(maps, o.layer, o.head).dump() + "\n" : attention_summary(maps, o.layer, o.head);
  write_files(o.out_dir, files);
  std::fputs(summary.c_str(), stdout);
  std::fflush(stdout);
  std::fprintf(stderr, "wrote %zu heatmap%s of %zu tokens to %s\n", files.size(), files.size() == 1 ? "" : "s",
               maps.seq, o.out_dir.c_str());
  return 0;
}

}  // namespace cli
