#include "compare/attention_explain.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/errors.h"
#include "compare/inspect.h"
#include "encoder/ops.h"

namespace cmp {

namespace {

void check_range(std::size_t v, std::size_t n, const char* what) {
  if (v >= n) {
    std::string msg = what;
    msg += " ";
    msg += std::to_string(v);
    msg += " is out of range: the encoder has ";
    msg += std::to_string(n);
    msg += " (valid: 0..";
    msg += std::to_string(n - 1);
    msg += ")";
    throw common::OptionError(msg);
  }
}

// out[T, dh] = x[T, d] · w[rows r0.., d]ᵀ + b[r0..], in double.
void project(const float* x, std::size_t seq, std::size_t d, const float* w, const float* b, std::size_t r0,
             std::size_t dh, float* out) {
  for (std::size_t t = 0; t < seq; ++t)
    for (std::size_t c = 0; c < dh; ++c) {
      const float* row = w + (r0 + c) * d;  // [d]
      double acc = b[r0 + c];
      for (std::size_t j = 0; j < d; ++j) acc += static_cast<double>(x[t * d + j]) * row[j];
      out[t * dh + c] = static_cast<float>(acc);
    }
}

// scores, scaled, probs [T, T] and context [T, dh] from q, k, v.
void attend(HeadExplanation& e) {
  const std::size_t T = e.seq, dh = e.head_dim;
  std::vector<double> s(T), w(T);  // [T] scaled scores (NaN: hidden), then softmax weights
  for (std::size_t i = 0; i < T; ++i) {
    double mx = -1e300;
    for (std::size_t j = 0; j < T; ++j) {
      double dot = 0;
      for (std::size_t c = 0; c < dh; ++c) dot += static_cast<double>(e.q[i * dh + c]) * e.k[j * dh + c];
      const bool visible = e.window == 0 || (i > j ? i - j : j - i) <= e.window;
      s[j] = visible ? dot * e.scale : std::numeric_limits<double>::quiet_NaN();
      if (visible) mx = std::max(mx, s[j]);
      e.scores[i * T + j] = static_cast<float>(dot);
      e.scaled[i * T + j] = visible ? static_cast<float>(s[j]) : -std::numeric_limits<float>::infinity();
    }
    double sum = 0;
    for (std::size_t j = 0; j < T; ++j) sum += w[j] = std::isnan(s[j]) ? 0.0 : std::exp(s[j] - mx);
    for (std::size_t j = 0; j < T; ++j) e.probs[i * T + j] = static_cast<float>(w[j] /= sum);
    for (std::size_t c = 0; c < dh; ++c) {
      double acc = 0;
      for (std::size_t j = 0; j < T; ++j) acc += w[j] * e.v[j * dh + c];
      e.context[i * dh + c] = static_cast<float>(acc);
    }
  }
}

}  // namespace

HeadExplanation explain_head(enc::Encoder& model, const InspectedTokens& tokens, std::size_t layer, std::size_t head) {
  const auto& cfg = model.config();
  check_range(layer, cfg.n_layers, "layer");
  check_range(head, cfg.n_heads, "head");
  HeadExplanation e;
  e.layer = layer;
  e.head = head;
  e.seq = tokens.ids.size();
  e.d_model = cfg.d_model;
  e.head_dim = cfg.head_dim();
  e.window = cfg.attention_window;
  e.pre_norm = cfg.norm_first;
  e.scale = 1.0 / std::sqrt(static_cast<double>(e.head_dim));
  const std::size_t T = e.seq, d = e.d_model, dh = e.head_dim;
  const std::int32_t len = static_cast<std::int32_t>(T);
  model.forward(tokens.ids.data(), &len, 1, T);
  const float* x = model.layer_input(layer);  // [T, d]
  e.residual.assign(x, x + T * d);
  const std::string p = "layers." + std::to_string(layer) + ".";
  e.input.resize(T * d);  // [T, d]
  if (e.pre_norm)
    enc::layernorm_ref(x, T, d, named_tensor(model, p + "norm1.weight"), named_tensor(model, p + "norm1.bias"), cfg.layer_norm_eps,
                       e.input.data());
  else
    e.input = e.residual;
  const float* w_in = named_tensor(model, p + "self_attn.in_proj_weight");  // [3d, d]: Q rows, K rows, V rows
  const float* b_in = named_tensor(model, p + "self_attn.in_proj_bias");    // [3d]
  e.q.resize(T * dh), e.k.resize(T * dh), e.v.resize(T * dh);
  project(e.input.data(), T, d, w_in, b_in, head * dh, dh, e.q.data());
  project(e.input.data(), T, d, w_in, b_in, d + head * dh, dh, e.k.data());
  project(e.input.data(), T, d, w_in, b_in, 2 * d + head * dh, dh, e.v.data());
  e.scores.resize(T * T), e.scaled.resize(T * T), e.probs.resize(T * T), e.context.resize(T * dh);
  attend(e);
  const float* w_out = named_tensor(model, p + "self_attn.out_proj.weight");  // [d, d]
  e.output.resize(T * d);                                                // [T, d]
  for (std::size_t t = 0; t < T; ++t)
    for (std::size_t o = 0; o < d; ++o) {
      double acc = 0;
      for (std::size_t c = 0; c < dh; ++c) acc += static_cast<double>(e.context[t * dh + c]) * w_out[o * d + head * dh + c];
      e.output[t * d + o] = static_cast<float>(acc);
    }
  return e;
}

}  // namespace cmp
