// One attention head worked through step by step, for teaching: the
// queries, keys and values of each token, the raw scores q·k, the scaled
// scores, the softmax rows and the weighted sums of the values — computed
// with plain loops (in double) from the model's weights, a reference twin
// of the fast blocked attention (enc::attention_forward) whose numbers
// must agree with it.
#pragma once

#include <cstddef>
#include <vector>

#include "compare/inspect.h"
#include "encoder/model.h"

namespace cmp {

struct HeadExplanation {
  std::size_t layer = 0, head = 0;
  std::size_t seq = 0, d_model = 0, head_dim = 0;
  std::size_t window = 0;   // the model's sliding window (±window), 0 = full attention
  bool pre_norm = true;     // true: the head reads LN1(residual); false (post-norm): the residual itself
  double scale = 1;         // 1 / sqrt(head_dim)
  std::vector<float> residual;  // [T, d] the residual stream entering the layer (the layer's input)
  std::vector<float> input;     // [T, d] what Q, K, V are projected from (LN1(residual) pre-norm, else residual)
  std::vector<float> q, k, v;   // [T, head_dim] each: input · W_{q,k,v}[head]ᵀ + b
  std::vector<float> scores;    // [T, T] q_i · k_j
  std::vector<float> scaled;    // [T, T] scores · scale; -inf where the window hides the key
  std::vector<float> probs;     // [T, T] softmax of each scaled row (0 where hidden); rows sum to 1
  std::vector<float> context;   // [T, head_dim] Σ_j probs[i, j] · v_j
  std::vector<float> output;    // [T, d] context · W_O[:, head columns]ᵀ: this head's share of the
                                // attention block's output (out_proj's bias, shared by the heads, not added)
};

// Runs the tokens through the model (one forward) for the residual stream
// entering `layer`, then explains `head` of it. OptionError for a layer or
// head out of range.
HeadExplanation explain_head(enc::Encoder& model, const InspectedTokens& tokens, std::size_t layer, std::size_t head);

}  // namespace cmp
