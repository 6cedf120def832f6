// The transformer encoder: embeddings (+ sinusoidal or learned positions),
// n_layers of self-attention + feed-forward blocks (post- or pre-norm,
// ReLU or exact GELU), an optional final LayerNorm; forward over a padded
// batch of B sequences of T tokens (all B·T rows in each GEMM), and the
// backward pass of every op into a gradient buffer laid out like the weights.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/aligned.h"
#include "encoder/attention.h"
#include "encoder/config.h"
#include "encoder/params.h"

namespace enc {

class Encoder {
 public:
  explicit Encoder(const EncoderConfig& cfg);
  // Reads weights and config (safetensors with PyTorch names). Throws
  // FormatError naming a missing, extra or mis-shaped tensor.
  static Encoder load(const std::string& path);
  void save(const std::string& path) const;
  // Random initialisation (Xavier-uniform matrices, LayerNorm 1/0, N(0, 0.02) embeddings).
  void init_random(std::uint64_t seed);

  const EncoderConfig& config() const { return cfg_; }
  // Metadata beyond the config (vocabulary source, special token ids, ...),
  // kept through save and load.
  std::map<std::string, std::string>& extra_metadata() { return extra_; }
  const std::map<std::string, std::string>& extra_metadata() const { return extra_; }
  ParamSet& params() { return params_; }
  const ParamSet& params() const { return params_; }
  void set_threads(int threads) { threads_ = threads; }
  int threads() const { return threads_; }

  // ids[B·T] (row-major by sequence), lengths[B] (ids at positions >= length
  // are padding). Returns the final hidden states [B·T, d]. Throws
  // InputError for an id >= vocab_size or T > max_len.
  const float* forward(const std::int32_t* ids, const std::int32_t* lengths, std::size_t batch, std::size_t seq);
  // Training mode: dropout with probability p on the attention
  // probabilities, after the attention block, after the activation and after
  // the feed-forward block (PyTorch's self_attn dropout, dropout1, dropout,
  // dropout2), masks drawn from `seed`. p = 0 is the same as forward().
  const float* forward_train(const std::int32_t* ids, const std::int32_t* lengths, std::size_t batch, std::size_t seq,
                             float p, std::uint64_t seed) {
    return forward_train(ids, lengths, batch, seq, p, p, seed);
  }
  // The same with its own probability for the attention probabilities.
  const float* forward_train(const std::int32_t* ids, const std::int32_t* lengths, std::size_t batch, std::size_t seq,
                             float p, float attention_p, std::uint64_t seed);
  // Data-parallel shards (mpirun): the next forward_train draws the dropout
  // masks that rows first_row.. of a larger batch of the same length get,
  // so the ranks' shards together drop what one process would. 0: none.
  void set_dropout_first_row(std::size_t first_row) { dropout_first_row_ = first_row; }
  // dout[B·T, d]: gradient of the loss w.r.t. the last forward's output;
  // accumulates into params().grad.
  void backward(const float* dout);

  // Inspection of the last forward (forward or forward_train):
  // attention probabilities of `layer` for sequence b, dense [H, T, T]
  // (query rows, key columns; invisible keys 0), expanded from the
  // window layout when the attention is sliding-window.
  std::vector<float> attention_weights(std::size_t layer, std::size_t b) const;
  // The feed-forward activations act(linear1(x)) of `layer`, [B·T, d_ff].
  const float* ffn_activations(std::size_t layer) const;
  // The input of `layer` (layer == n_layers: the last layer's output,
  // before the final LayerNorm), [B·T, d].
  const float* layer_input(std::size_t layer) const;
  // The heads' outputs of `layer`'s attention side by side, before
  // out_proj (head h in columns h·head_dim..), [B·T, d].
  const float* attention_context(std::size_t layer) const;
  // The residual stream after `layer`'s attention: its input plus
  // out_proj(attention_context) (+ dropout in training), [B·T, d].
  const float* attention_residual(std::size_t layer) const;
  std::size_t last_batch() const { return batch_; }
  std::size_t last_seq() const { return seq_; }

  // FLOPs of one forward over B·T tokens (matrix products only).
  double forward_flops(std::size_t batch, std::size_t seq) const;

 private:
  // The constructor, calling declared(slot) as each tensor is declared,
  // before anything is allocated (load checks the file there).
  Encoder(const EncoderConfig& cfg, const std::function<void(const TensorSlot&)>& declared);
  struct Layer {
    std::size_t w_in, b_in, w_out, b_out, w1, b1, w2, b2, ln1_g, ln1_b, ln2_g, ln2_b;
  };
  struct LayerCache {
    const float* x = nullptr;  // [N, d] layer input: x0_ or the previous layer's out (not copied)
    common::AlignedFloats n1, qkv, probs, ctx, r1, y1, n2, h, g, out;  // see model.cc for shapes
    common::AlignedFloats drop1, drop_ff, drop2;  // dropout scales (0 or 1/(1-p)): [N, d], [N, F], [N, d]
    common::AlignedFloats drop_attn;              // on the attention probabilities: [B, H, T, key_width] (training only)
    std::vector<float> mean1, rstd1, mean2, rstd2;
  };
  void ensure_cache(std::size_t batch, std::size_t seq);
  // Pieces of forward_train: InputError for bad ids or lengths; the dropout
  // masks of every layer from `seed`; x0_ = embeddings + positions; one
  // layer on x [N, d], returning its output [N, d] (in the layer's cache).
  void check_input(const std::int32_t* ids, const std::int32_t* lengths, std::size_t batch, std::size_t seq) const;
  void draw_dropout_masks(std::size_t batch, std::size_t seq, float p, float attention_p, std::uint64_t seed);
  void embed(const std::int32_t* ids, const std::int32_t* lengths, std::size_t batch, std::size_t seq);
  const float* layer_forward(std::size_t layer, const float* x, const std::int32_t* lengths, float p, float attention_p);

  EncoderConfig cfg_;
  std::map<std::string, std::string> extra_;
  ParamSet params_;
  std::size_t emb_ = 0, pos_ = SIZE_MAX, norm_g_ = SIZE_MAX, norm_b_ = SIZE_MAX;
  std::vector<Layer> layers_;
  common::AlignedFloats sinusoid_;  // [max_len, d] when positional == sinusoidal
  int threads_ = 1;
  std::size_t dropout_first_row_ = 0;  // set_dropout_first_row
  // Cache of the last forward.
  std::size_t batch_ = 0, seq_ = 0;
  float dropout_ = 0, attention_dropout_ = 0;  // of the last forward
  std::vector<std::int32_t> ids_, lengths_;
  common::AlignedFloats x0_, final_out_;
  std::vector<float> mean_f_, rstd_f_;
  std::vector<LayerCache> cache_;
  common::AlignedFloats buf_a_, buf_b_, buf_ff_, buf_qkv_;  // backward scratch
};

}  // namespace enc
