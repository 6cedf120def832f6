// Multi-head scaled dot-product self-attention over packed Q, K, V, full or
// sliding-window (each query sees keys within ±w). The window computes only
// the band, block by block: cost and memory grow linearly with length.
#pragma once

#include <cstddef>
#include <cstdint>

namespace enc {

struct AttentionShape {
  std::size_t batch = 0, seq = 0, heads = 0, head_dim = 0;
  std::size_t window = 0;  // 0 = full
  std::size_t d() const { return heads * head_dim; }
  // Queries per block and key columns stored per query.
  std::size_t block() const;
  std::size_t key_width() const;
  // Floats of the saved attention probabilities.
  std::size_t probs_size() const { return batch * heads * seq * key_width(); }
};

// qkv[B·T, 3d] (Q | K | V, head h in columns h·dh..), lengths[B] (keys at
// positions >= length are padding), probs[probs_size()] saved for backward
// (before dropout), ctx[B·T, d] the per-head outputs side by side.
// drop[probs_size()] (optional): dropout scales (0 or 1/(1-p)) applied to the
// attention probabilities before they weight V, as PyTorch's
// MultiheadAttention(dropout=p) does in training.
void attention_forward(const AttentionShape& s, const float* qkv, const std::int32_t* lengths, float* probs,
                       float* ctx, int threads, const float* drop = nullptr);
// dctx[B·T, d] -> dqkv[B·T, 3d] (written); drop as given to the forward.
void attention_backward(const AttentionShape& s, const float* qkv, const std::int32_t* lengths, const float* probs,
                        const float* dctx, float* dqkv, int threads, const float* drop = nullptr);
// Dense probabilities [T, T] of (b, h) from the saved probs of a forward.
void attention_dense(const AttentionShape& s, const float* probs, std::size_t b, std::size_t h, float* out);
// Reference twin: every query against every key, masks applied, in double.
void attention_ref(const AttentionShape& s, const float* qkv, const std::int32_t* lengths, float* ctx);

}  // namespace enc
