// Where an encoder's parameters are: counts per part (token embeddings,
// learned positions, the attention projections WQ, WK, WV, WO, the
// feed-forward block, the LayerNorms), per layer and in total, computed from
// a configuration and checked against the tensors of a loaded model; and
// the feed-forward block's share of a layer (the lecture's "up to ~75%").
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "encoder/config.h"
#include "encoder/params.h"

namespace enc {

// Weights and biases of each part: WQ, WK and WV are the three row blocks of
// in_proj_weight [3d, d] (and of in_proj_bias [3d]), WO out_proj, the
// feed-forward block linear1 and linear2, layer norms norm1 and norm2 of
// each layer; the final norm ("norm.*") is its own part.
enum class ParamPart { kEmbeddings, kPositions, kQuery, kKey, kValue, kAttentionOut, kFeedForward, kLayerNorms, kFinalNorm };
inline constexpr std::size_t kParamParts = 9;
// "embeddings", "positions", "attention WQ", ..., "feed-forward", "layer norms", "final norm".
std::string_view to_string(ParamPart p);
// True for the parts every layer has.
bool in_layer(ParamPart p);

struct ParamCounts {
  std::array<std::size_t, kParamParts> total{};  // over the whole model, by ParamPart
  std::array<std::size_t, kParamParts> layer{};  // of one layer (all layers are alike); 0 outside layers
  std::size_t n_layers = 0;
  std::size_t all() const;          // parameters of the model
  std::size_t layer_all() const;    // parameters of one layer
  double ffn_share_of_layer() const;  // layer feed-forward / layer_all()
  bool operator==(const ParamCounts&) const = default;
};

// The counts a model of this configuration has.
ParamCounts param_counts(const EncoderConfig& cfg);

// The counts of tensors (name, number of floats) named as PyTorch's state
// dict names them; every layer must hold what layer 0 holds. FormatError
// naming `source` and the tensor for a name of no known part, an in_proj
// tensor not divisible into three, or layers that differ.
ParamCounts measured_param_counts(const std::vector<std::pair<std::string, std::size_t>>& tensors, std::size_t n_layers,
                                  const std::string& source);
ParamCounts measured_param_counts(const ParamSet& params, std::size_t n_layers, const std::string& source);

// measured_param_counts of the model's tensors, which must equal
// param_counts(cfg) (FormatError naming the first part that differs).
ParamCounts checked_param_counts(const EncoderConfig& cfg, const ParamSet& params, const std::string& source);

// The feed-forward share of one layer's parameters for d_model and d_ff
// (weights, biases and the layer's norms counted).
double ffn_share(std::size_t d_model, std::size_t d_ff);

}  // namespace enc
