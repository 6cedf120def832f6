#include "encoder/layer_choice.h"

#include <algorithm>
#include <charconv>

#include "common/errors.h"
#include "encoder/ops.h"

namespace enc {

namespace {

const float* param(const Encoder& model, const char* name) {
  const ParamSet& ps = model.params();
  const TensorSlot* s = ps.find(name);
  if (!s) throw common::FormatError(std::string("the encoder has no tensor ") + name);
  return ps.data(static_cast<std::size_t>(s - ps.slots().data()));
}

// The output of `layer` [rows, d] through the final LayerNorm (if any) into y.
void layer_output(const Encoder& model, std::size_t layer, std::size_t rows, float* y) {
  const auto& cfg = model.config();
  const std::size_t d = cfg.d_model;
  const float* x = model.layer_input(layer + 1);  // [rows, d]
  if (!cfg.final_norm) {
    std::copy(x, x + rows * d, y);
    return;
  }
  std::vector<float> mean(rows), rstd(rows);  // [rows], [rows]
  layernorm_forward(x, rows, d, param(model, "norm.weight"), param(model, "norm.bias"), cfg.layer_norm_eps, y, mean.data(),
                    rstd.data());
}

}  // namespace

std::string to_string(const LayerChoice& c) {
  switch (c.kind) {
    case LayerChoice::Kind::kFinal: return "last";
    case LayerChoice::Kind::kAllMean: return "all-mean";
    case LayerChoice::Kind::kOne: break;
  }
  return std::to_string(c.layer);
}

LayerChoice parse_layer_choice(std::string_view text, std::string_view what) {
  if (text == "last") return LayerChoice::final_states();
  if (text == "all-mean") return LayerChoice::all_mean();
  std::size_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    throw common::OptionError(std::string(what) + ": '" + std::string(text) +
                              "' is not a layer number (from 0), last or all-mean");
  return LayerChoice::one(v);
}

void check_layer_choice(const Encoder& model, const LayerChoice& c) {
  const std::size_t n = model.config().n_layers;
  if (c.kind == LayerChoice::Kind::kOne && c.layer >= n)
    throw common::OptionError("--layer " + std::to_string(c.layer) + " is out of range: the encoder has layers 0.." +
                              std::to_string(n - 1));
}

const float* chosen_states(const Encoder& model, const LayerChoice& c, const float* final_out, std::size_t rows,
                           std::vector<float>* scratch) {
  if (c.kind == LayerChoice::Kind::kFinal) return final_out;
  check_layer_choice(model, c);
  const std::size_t d = model.config().d_model, n = model.config().n_layers;
  scratch->assign(rows * d, 0.f);  // [rows, d]
  if (c.kind == LayerChoice::Kind::kOne) {
    layer_output(model, c.layer, rows, scratch->data());
    return scratch->data();
  }
  std::vector<float> one(rows * d);  // [rows, d]
  for (std::size_t l = 0; l < n; ++l) {
    layer_output(model, l, rows, one.data());
    for (std::size_t i = 0; i < rows * d; ++i) (*scratch)[i] += one[i];
  }
  for (auto& v : *scratch) v /= static_cast<float>(n);
  return scratch->data();
}

}  // namespace enc
