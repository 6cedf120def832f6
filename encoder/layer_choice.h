// Which of the encoder's hidden states a sentence vector is pooled from:
// the final ones (the forward's output), those after one layer, or the mean
// of every layer's output. A layer's output is read as the MLM head reads
// the last one: through the final LayerNorm when the model has one (as
// `context --layer` reads it, cmp::layer_states), so the last layer's is
// the final hidden state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "encoder/model.h"

namespace enc {

struct LayerChoice {
  enum class Kind { kFinal, kOne, kAllMean };
  Kind kind = Kind::kFinal;
  std::size_t layer = 0;  // kOne: 0-based
  static LayerChoice final_states() { return {}; }
  static LayerChoice one(std::size_t l) { return {Kind::kOne, l}; }
  static LayerChoice all_mean() { return {Kind::kAllMean, 0}; }
};

// "last", "all-mean", or the layer number ("0", "1", ...).
std::string to_string(const LayerChoice& c);
// Parses those spellings (once, at the edge); anything else throws
// OptionError "WHAT: 'x' is not a layer number (from 0), last or all-mean".
LayerChoice parse_layer_choice(std::string_view text, std::string_view what);
// OptionError when c names a layer the model does not have.
void check_layer_choice(const Encoder& model, const LayerChoice& c);

// The chosen states [rows, d] of the model's last forward (rows = its
// batch · seq): the forward's output itself for kFinal; otherwise computed
// into *scratch and returned from there.
const float* chosen_states(const Encoder& model, const LayerChoice& c, const float* final_out, std::size_t rows,
                           std::vector<float>* scratch);

}  // namespace enc
