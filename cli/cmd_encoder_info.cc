// wordlens encoder info: where an encoder's parameters are (per part, per
// layer, in total), the feed-forward share of a layer for this model's
// width and for K = 2, 4, 8, its configuration and its metadata.
#include <cstdio>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_util.h"
#include "cli/cmd_encoder.h"
#include "common/errors.h"
#include "encoder/model.h"
#include "encoder/model_vocab.h"
#include "encoder/param_count.h"
#include "encoder/settings.h"
#include "encoder/text_normalizer.h"

namespace po = boost::program_options;

namespace cli {

namespace {

constexpr std::size_t kFfnMults[] = {2, 4, 8};

struct InfoOptions {
  std::string model;
  bool json = false;
  void validate() const {
    if (model.empty()) throw common::OptionError("give the encoder weights: wordlens encoder info MODEL.safetensors");
  }
};

double share(std::size_t part, std::size_t whole) {
  return whole ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

// Metadata beyond the configuration, the embedded BPE model's text left out (its size instead).
nlohmann::ordered_json metadata_json(const enc::Encoder& model) {
  nlohmann::ordered_json m = nlohmann::ordered_json::object();
  for (const auto& [k, v] : model.extra_metadata()) {
    if (k == enc::kBpeModelKey) m[k] = std::to_string(v.size()) + " bytes (stored)";
    else m[k] = v;
  }
  return m;
}

nlohmann::ordered_json config_json(const enc::EncoderConfig& c) {
  return {{"d_model", c.d_model},
          {"n_heads", c.n_heads},
          {"head_dim", c.head_dim()},
          {"n_layers", c.n_layers},
          {"d_ff", c.d_ff},
          {"ffn_mult", static_cast<double>(c.d_ff) / static_cast<double>(c.d_model)},
          {"max_len", c.max_len},
          {"vocab_size", c.vocab_size},
          {"attention_window", c.attention_window},
          {"activation", enc::to_string(c.activation)},
          {"norm", c.norm_first ? "pre" : "post"},
          {"positional", enc::to_string(c.positional)},
          {"final_norm", c.final_norm}};
}

nlohmann::ordered_json info_json(const InfoOptions& o, const enc::Encoder& model, const enc::ParamCounts& pc,
                                 const std::string& normalizer) {
  const auto& c = model.config();
  nlohmann::ordered_json parts = nlohmann::ordered_json::array();
  for (std::size_t p = 0; p < enc::kParamParts; ++p) {
    const auto part = static_cast<enc::ParamPart>(p);
    nlohmann::ordered_json j = {{"part", enc::to_string(part)}};
    j["per_layer"] = enc::in_layer(part) ? nlohmann::ordered_json(pc.layer[p]) : nlohmann::ordered_json(nullptr);
    j["share_of_layer"] = enc::in_layer(part) ? nlohmann::ordered_json(share(pc.layer[p], pc.layer_all())) : nlohmann::ordered_json(nullptr);
    j["total"] = pc.total[p];
    j["share_of_model"] = share(pc.total[p], pc.all());
    parts.push_back(std::move(j));
  }
  nlohmann::ordered_json k = nlohmann::ordered_json::object();
  for (auto m : kFfnMults) k[std::to_string(m)] = enc::ffn_share(c.d_model, m * c.d_model);
  nlohmann::ordered_json j;
  j["model"] = o.model;
  j["config"] = config_json(c);
  j["normalizer"] = normalizer.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(normalizer);
  j["bpe_model_stored"] = model.extra_metadata().count(enc::kBpeModelKey) > 0;
  j["metadata"] = metadata_json(model);
  j["parameters"] = {{"total", pc.all()}, {"per_layer", pc.layer_all()}, {"layers", pc.n_layers}, {"parts", parts}};
  j["ffn_share_of_layer"] = {{"this_model", pc.ffn_share_of_layer()}, {"by_ffn_mult", k}};
  return j;
}

void print_config(const enc::EncoderConfig& c) {
  std::printf("config     d_model %zu, %zu heads of %zu, %zu layers, d_ff %zu (K = %.3g x d_model), max_len %zu, vocab %zu\n",
              c.d_model, c.n_heads, c.head_dim(), c.n_layers, c.d_ff,
              static_cast<double>(c.d_ff) / static_cast<double>(c.d_model), c.max_len, c.vocab_size);
  std::printf("           attention %s, %s, %s, %s positions, %s\n",
              c.attention_window ? ("window +-" + std::to_string(c.attention_window)).c_str() : "full",
              std::string(enc::to_string(c.activation)).c_str(), c.norm_first ? "pre-norm" : "post-norm",
              std::string(enc::to_string(c.positional)).c_str(), c.final_norm ? "final LayerNorm" : "no final LayerNorm");
}

void print_metadata(const enc::Encoder& model, const std::string& normalizer) {
  const auto& m = model.extra_metadata();
  auto get = [&](const char* k) { auto it = m.find(k); return it == m.end() ? std::string("-") : it->second; };
  if (m.count("vocab_source"))
    std::printf("vocabulary %s (fingerprint %s)\n", get("vocab_source").c_str(), get("vocab_fingerprint").c_str());
  else
    std::printf("vocabulary not recorded (not trained: encoder init)\n");
  std::printf("normaliser %s\n", normalizer.empty() ? "none recorded" : normalizer.c_str());
  std::printf("BPE model  %s\n", m.count(enc::kBpeModelKey) ? ("stored (fingerprint " + get(enc::kBpeFingerprintKey) + ")").c_str()
                                                            : "not stored");
}

void print_counts(const enc::EncoderConfig& c, const enc::ParamCounts& pc) {
  std::printf("\n%-14s %12s %9s %14s %9s\n", "part", "per layer", "of layer", "model", "of model");
  for (std::size_t p = 0; p < enc::kParamParts; ++p) {
    const auto part = static_cast<enc::ParamPart>(p);
    const std::string name(enc::to_string(part));
    if (enc::in_layer(part))
      std::printf("%-14s %12zu %8.1f%% %14zu %8.1f%%\n", name.c_str(), pc.layer[p], 100 * share(pc.layer[p], pc.layer_all()),
                  pc.total[p], 100 * share(pc.total[p], pc.all()));
    else
      std::printf("%-14s %12s %9s %14zu %8.1f%%%s\n", name.c_str(), "-", "-", pc.total[p], 100 * share(pc.total[p], pc.all()),
                  part == enc::ParamPart::kPositions && c.positional == enc::Positional::kSinusoidal ? "  (sinusoidal: computed)" : "");
  }
  std::printf("%-14s %12zu %8.1f%% %14zu %8.1f%%  (%zu layers: %zu)\n", "total", pc.layer_all(), 100.0, pc.all(), 100.0,
              pc.n_layers, pc.layer_all() * pc.n_layers);
  std::printf("\nfeed-forward share of a layer (d_model %zu): this model (d_ff %zu) %.1f%%;", c.d_model, c.d_ff,
              100 * pc.ffn_share_of_layer());
  for (auto m : kFfnMults) std::printf(" K = %zu %.1f%%%s", m, 100 * enc::ffn_share(c.d_model, m * c.d_model), m == 8 ? "\n" : ";");
}

}  // namespace

int encoder_info(int argc, char** argv) {
  InfoOptions o;
  po::options_description desc(
      "usage: wordlens encoder info MODEL.safetensors [--json]\n\n"
      "Where the parameters are: per part (token embeddings, learned positions, attention WQ, WK,\n"
      "WV, WO with their biases, the feed-forward block, the LayerNorms), per layer and in total,\n"
      "computed from the configuration and checked against the file's tensors; the feed-forward\n"
      "share of a layer for this model and for d_ff = K x d_model, K = 2, 4, 8; the configuration\n"
      "and the metadata (vocabulary, normaliser, stored BPE model).\n\noptions");
  desc.add_options()("help,h", "show this help")("model", po::value(&o.model), "encoder weights (safetensors)")(
      "json", po::bool_switch(&o.json), "one JSON object on stdout");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm, &pos)) return 0;
  o.validate();
  const auto model = enc::Encoder::load(o.model);
  const enc::ParamCounts pc = enc::checked_param_counts(model.config(), model.params(), o.model);
  const auto record = enc::model_normalizer_record(model.extra_metadata(), o.model);
  const std::string normalizer = record.options ? record.options->spec() : "";
  if (o.json) {
    std::printf("%s\n", info_json(o, model, pc, normalizer).dump().c_str());
    return 0;
  }
  std::printf("model      %s: %zu parameters (checked against its %zu tensors)\n", o.model.c_str(), pc.all(),
              model.params().slots().size());
  print_config(model.config());
  print_metadata(model, normalizer);
  print_counts(model.config(), pc);
  return 0;
}

}  // namespace cli
