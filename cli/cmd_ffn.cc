// wordlens ffn: a layer's feed-forward neurons read as key-value memories.
#include <cstdio>
#include <string>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/inspect_args.h"
#include "cli/normalizer_options.h"
#include "common/display_width.h"
#include "common/enum_names.h"
#include "common/errors.h"
#include "compare/inspect.h"

namespace po = boost::program_options;

namespace cli {

namespace {

constexpr common::EnumNames<cmp::NeuronScore, 2> kNeuronScores{
    {{cmp::NeuronScore::kSum, "sum"}, {cmp::NeuronScore::kMax, "max"}}};

// The reading as one JSON object: the neurons, best first, each with the
// tokens nearest to what it writes.
nlohmann::ordered_json ffn_json(const Loaded& l, const cmp::FfnReading& r, std::size_t layer, const std::string& score,
                                std::size_t top) {
  nlohmann::ordered_json out{{"layer", layer}, {"d_ff", l.model->config().d_ff}, {"score", score},
                             {"tokens", r.tokens.display}};
  auto neurons = nlohmann::ordered_json::array();
  for (const auto& n : r.neurons) {
    auto words = nlohmann::ordered_json::array();
    for (const auto& h : cmp::ffn_value_neighbours(*l.model, l.vocab, layer, n.neuron, top))
      words.push_back({{"word", l.vocab.display(h.id)}, {"cosine", h.score}});
    neurons.push_back({{"neuron", n.neuron}, {"score", n.score}, {"peak", n.peak}, {"peak_token", r.tokens.display[n.peak]},
                       {"peak_value", n.peak_value}, {"words", std::move(words)}});
  }
  out["neurons"] = std::move(neurons);
  return out;
}

}  // namespace

int cmd_ffn(int argc, char** argv) {
  ModelArgs m;
  std::string sentence, score = "sum";
  long long layer = -1;
  std::size_t top = 10, neurons = 5;
  bool json = false;
  po::options_description desc(
      "usage: wordlens ffn --model M.safetensors [--vectors V.bin] \"SENTENCE\" [--layer L] [--top 10]\n"
      "                    [--neurons 5] [--score sum|max] [--json]\n\n"
      "A feed-forward block read as a key-value memory: runs the sentence, takes layer L's activations\n"
      "act(linear1(x)) [tokens, d_ff], and picks the --neurons neurons with the highest activation\n"
      "summed (--score sum, default) or maximal (--score max) over the sentence's tokens ([CLS] left\n"
      "out); 'peak' is the token where the neuron fires most. For each, the --top vocabulary tokens\n"
      "whose input-embedding rows (embedding.weight) have the highest cosine with what the neuron writes\n"
      "into the residual stream: column n of layers.L.linear2.weight. </s> (the padding id) and the\n"
      "specials are left out. L counts from 0; the default is the last layer. An encoder trained with\n"
      "--tokenizer (BPE) needs no V.bin and shows its tokens readable.\n\noptions");
  NormalizerFlags nf;
  add_inspect_options(desc, m, nf);
  // clang-format off
  desc.add_options()
    ("sentence", po::value(&sentence), "the sentence (also the positional argument)")
    ("layer", po::value(&layer), "layer (default: the last)")
    ("top,k", po::value(&top)->default_value(top), "tokens per neuron")
    ("neurons", po::value(&neurons)->default_value(neurons), "neurons to show")
    ("score", po::value(&score)->default_value(score), "rank neurons by the sum or the max of their activations")
    ("json", po::bool_switch(&json), "print one JSON object");
  // clang-format on
  po::positional_options_description pos;
  pos.add("sentence", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm, &pos)) return 0;
  const auto ranking = common::parse_enum(kNeuronScores, score, "--score");
  if (top < 1 || neurons < 1) throw common::OptionError("--top and --neurons must be at least 1");
  auto l = load(m, sentence, normalizer_request(nf, vm));
  const auto& cfg = l.model->config();
  check_index(layer, cfg.n_layers, "--layer", "layers");
  if (neurons > cfg.d_ff) {
    std::string msg = "--neurons ";
    msg += std::to_string(neurons);
    msg += " is more than the model's d_ff ";
    msg += std::to_string(cfg.d_ff);
    throw common::OptionError(msg);
  }
  const std::size_t li = layer < 0 ? cfg.n_layers - 1 : static_cast<std::size_t>(layer);
  warn_if_unknown(l, m.vectors);
  const auto r = cmp::top_ffn_neurons(*l.model, std::move(l.tokens), li, neurons, ranking);
  if (json) {
    std::printf("%s\n", ffn_json(l, r, li, score, top).dump().c_str());
    return 0;
  }
  std::printf("layer %zu feed-forward (d_ff %zu): top %zu neurons by %s activation over %zu tokens\n", li, cfg.d_ff,
              r.neurons.size(), score.c_str(), r.tokens.ids.size() - 1);
  const std::size_t tw = common::max_display_width(r.tokens.display);
  for (const auto& n : r.neurons) {
    const auto hits = cmp::ffn_value_neighbours(*l.model, l.vocab, li, n.neuron, top);
    std::printf("neuron %5zu  %s %8.3f  peak %s %7.3f  ->", n.neuron, score.c_str(), static_cast<double>(n.score),
                common::pad_right(r.tokens.display[n.peak], tw).c_str(), static_cast<double>(n.peak_value));
    for (const auto& h : hits) std::printf("  %s %.3f", l.vocab.display(h.id).c_str(), static_cast<double>(h.score));
    std::printf("\n");
  }
  return 0;
}

}  // namespace cli
