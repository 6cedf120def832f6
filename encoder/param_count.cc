#include "encoder/param_count.h"

#include <charconv>

#include "common/enum_names.h"
#include "common/errors.h"

namespace enc {

namespace {

constexpr common::EnumNames<ParamPart, kParamParts> kPartNames{{{ParamPart::kEmbeddings, "embeddings"},
                                                                 {ParamPart::kPositions, "positions"},
                                                                 {ParamPart::kQuery, "attention WQ"},
                                                                 {ParamPart::kKey, "attention WK"},
                                                                 {ParamPart::kValue, "attention WV"},
                                                                 {ParamPart::kAttentionOut, "attention WO"},
                                                                 {ParamPart::kFeedForward, "feed-forward"},
                                                                 {ParamPart::kLayerNorms, "layer norms"},
                                                                 {ParamPart::kFinalNorm, "final norm"}}};

std::size_t at(ParamPart p) { return static_cast<std::size_t>(p); }

// Layer index and the name within the layer of "layers.{i}.REST"; false for other names.
bool split_layer_name(const std::string& name, std::size_t* layer, std::string* rest) {
  static const std::string kPrefix = "layers.";
  if (name.compare(0, kPrefix.size(), kPrefix) != 0) return false;
  const char* begin = name.data() + kPrefix.size();
  const char* end = name.data() + name.size();
  auto r = std::from_chars(begin, end, *layer);
  if (r.ec != std::errc() || r.ptr == end || *r.ptr != '.') return false;
  *rest = std::string(r.ptr + 1, end);
  return true;
}

void add_layer_tensor(const std::string& rest, std::size_t n, const std::string& where,
                      std::array<std::size_t, kParamParts>& c) {
  if (rest == "self_attn.in_proj_weight" || rest == "self_attn.in_proj_bias") {
    if (n % 3 != 0) throw common::FormatError(where + " has " + std::to_string(n) + " values, not three equal blocks (Q, K, V)");
    for (auto p : {ParamPart::kQuery, ParamPart::kKey, ParamPart::kValue}) c[at(p)] += n / 3;
  } else if (rest == "self_attn.out_proj.weight" || rest == "self_attn.out_proj.bias") {
    c[at(ParamPart::kAttentionOut)] += n;
  } else if (rest == "linear1.weight" || rest == "linear1.bias" || rest == "linear2.weight" || rest == "linear2.bias") {
    c[at(ParamPart::kFeedForward)] += n;
  } else if (rest == "norm1.weight" || rest == "norm1.bias" || rest == "norm2.weight" || rest == "norm2.bias") {
    c[at(ParamPart::kLayerNorms)] += n;
  } else {
    throw common::FormatError(where + " belongs to no known part of an encoder layer");
  }
}

}  // namespace

std::string_view to_string(ParamPart p) { return common::enum_name(kPartNames, p); }

bool in_layer(ParamPart p) { return p != ParamPart::kEmbeddings && p != ParamPart::kPositions && p != ParamPart::kFinalNorm; }

std::size_t ParamCounts::all() const {
  std::size_t n = 0;
  for (auto c : total) n += c;
  return n;
}

std::size_t ParamCounts::layer_all() const {
  std::size_t n = 0;
  for (auto c : layer) n += c;
  return n;
}

double ParamCounts::ffn_share_of_layer() const {
  const std::size_t n = layer_all();
  return n ? static_cast<double>(layer[at(ParamPart::kFeedForward)]) / static_cast<double>(n) : 0.0;
}

ParamCounts param_counts(const EncoderConfig& cfg) {
  cfg.validate();  // bounded sizes: the products below cannot overflow
  const std::size_t d = cfg.d_model, f = cfg.d_ff;
  ParamCounts c;
  c.n_layers = cfg.n_layers;
  for (auto p : {ParamPart::kQuery, ParamPart::kKey, ParamPart::kValue, ParamPart::kAttentionOut}) c.layer[at(p)] = d * d + d;
  c.layer[at(ParamPart::kFeedForward)] = f * d + f + d * f + d;  // linear1 [f, d] + [f], linear2 [d, f] + [d]
  c.layer[at(ParamPart::kLayerNorms)] = 4 * d;                    // norm1, norm2: weight and bias [d]
  for (std::size_t p = 0; p < kParamParts; ++p) c.total[p] = c.layer[p] * cfg.n_layers;
  c.total[at(ParamPart::kEmbeddings)] = cfg.vocab_size * d;
  c.total[at(ParamPart::kPositions)] = cfg.positional == Positional::kLearned ? cfg.max_len * d : 0;
  c.total[at(ParamPart::kFinalNorm)] = cfg.final_norm ? 2 * d : 0;
  return c;
}

ParamCounts measured_param_counts(const std::vector<std::pair<std::string, std::size_t>>& tensors, std::size_t n_layers,
                                  const std::string& source) {
  ParamCounts c;
  c.n_layers = n_layers;
  std::vector<std::array<std::size_t, kParamParts>> layers(n_layers);
  for (const auto& [name, n] : tensors) {
    const std::string where = source + ": tensor '" + name + "'";
    std::size_t layer = 0;
    std::string rest;
    if (name == "embedding.weight") c.total[at(ParamPart::kEmbeddings)] += n;
    else if (name == "pos_embedding") c.total[at(ParamPart::kPositions)] += n;
    else if (name == "norm.weight" || name == "norm.bias") c.total[at(ParamPart::kFinalNorm)] += n;
    else if (split_layer_name(name, &layer, &rest) && layer < n_layers) add_layer_tensor(rest, n, where, layers[layer]);
    else throw common::FormatError(where + " belongs to no known part of the encoder (" + std::to_string(n_layers) + " layers)");
  }
  for (std::size_t l = 0; l < n_layers; ++l) {
    if (layers[l] != layers[0])
      throw common::FormatError(source + ": layer " + std::to_string(l) + " has other tensors than layer 0");
    for (std::size_t p = 0; p < kParamParts; ++p) c.total[p] += layers[l][p];
  }
  if (n_layers > 0) c.layer = layers[0];
  return c;
}

ParamCounts measured_param_counts(const ParamSet& params, std::size_t n_layers, const std::string& source) {
  std::vector<std::pair<std::string, std::size_t>> tensors;
  for (const auto& s : params.slots()) tensors.emplace_back(s.name, s.size);
  return measured_param_counts(tensors, n_layers, source);
}

ParamCounts checked_param_counts(const EncoderConfig& cfg, const ParamSet& params, const std::string& source) {
  const ParamCounts want = param_counts(cfg);
  const ParamCounts got = measured_param_counts(params, cfg.n_layers, source);
  for (std::size_t p = 0; p < kParamParts; ++p)
    if (want.total[p] != got.total[p] || want.layer[p] != got.layer[p])
      throw common::FormatError(source + ": " + std::string(to_string(static_cast<ParamPart>(p))) + " has " +
                                std::to_string(got.total[p]) + " parameters, its configuration implies " +
                                std::to_string(want.total[p]));
  return got;
}

double ffn_share(std::size_t d_model, std::size_t d_ff) {
  const double d = static_cast<double>(d_model), f = static_cast<double>(d_ff);
  const double ffn = 2 * f * d + f + d;
  return ffn / (ffn + 4 * (d * d + d) + 4 * d);
}

}  // namespace enc
