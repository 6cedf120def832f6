// wordlens attention: one sentence through an encoder, a heatmap per layer
// and head, and where each token attends most.
#include <cstdio>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/inspect_args.h"
#include "cli/normalizer_options.h"
#include "common/display_width.h"
#include "common/errors.h"
#include "compare/inspect.h"
#include "compare/report_views.h"

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

}  // namespace

int cmd_attention(int argc, char** argv) {
  ModelArgs m;
  std::string sentence, out_dir = "attention", format = "svg";
  long long layer = -1, head = -1;
  po::options_description desc(
      "usage: wordlens attention --model M.safetensors [--vectors V.bin] \"SENTENCE\" [--layer L] [--head H]\n"
      "                          [--out DIR] [--format svg]\n\n"
      "Runs the sentence through an encoder and writes one heatmap per layer and head,\n"
      "DIR/attention_L{l}_H{h}.svg: rows are the queries, columns the keys, a cell the attention\n"
      "probability (each row sums to 1). Prints for every layer/head and token the token it attends\n"
      "to most and the weight, then the same for the mean over each layer's heads. An encoder trained\n"
      "by `wordlens encoder train --vectors V.bin` reads the sentence normalised as its text was\n"
      "([CLS] first, unknown words shown as [UNK]:word) and needs the same V.bin; one trained with\n"
      "--tokenizer (BPE) reads the raw sentence as BPE pieces, shown readable (\xC4\xA0 marks a word start).\n"
      "Layers and heads are counted from 0. SVG is the only format: PNG would need a font rasteriser\n"
      "for the token labels (convert with e.g. rsvg-convert, or open the SVG in a browser).\n\noptions");
  desc.add_options()("help,h", "show this help");
  add_model_options(desc, m);
  NormalizerFlags nf;
  add_normalizer_options(desc, nf);
  // clang-format off
  desc.add_options()
    ("sentence", po::value(&sentence), "the sentence (also the positional argument)")
    ("layer", po::value(&layer), "only this layer (default: all)")
    ("head", po::value(&head), "only this head (default: all)")
    ("out", po::value(&out_dir)->default_value(out_dir), "directory for the SVG files (created if missing)")
    ("format", po::value(&format)->default_value(format), "svg (the only format)");
  // clang-format on
  po::positional_options_description pos;
  pos.add("sentence", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm, &pos)) return 0;
  if (format != "svg")
    throw common::OptionError("--format must be svg (got '" + format + "'); PNG would need a font rasteriser");
  if (out_dir.empty()) throw common::OptionError("--out must name a directory");
  auto l = load(m, sentence, normalizer_request(nf, vm));
  const auto& cfg = l.model->config();
  check_index(layer, cfg.n_layers, "--layer", "layers");
  check_index(head, cfg.n_heads, "--head", "heads");
  warn_if_unknown(l, m.vectors);
  const auto maps = cmp::attention_maps(*l.model, std::move(l.tokens));
  const auto files = cmp::attention_heatmaps(maps, layer, head);
  const std::string summary = attention_summary(maps, layer, head);
  write_files(out_dir, files);
  std::fputs(summary.c_str(), stdout);
  std::fflush(stdout);
  std::fprintf(stderr, "wrote %zu heatmap%s of %zu tokens to %s/\n", files.size(), files.size() == 1 ? "" : "s",
               maps.seq, out_dir.c_str());
  return 0;
}

}  // namespace cli
