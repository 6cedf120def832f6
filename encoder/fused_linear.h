// A linear layer with its element-wise tail fused in: each pool thread runs
// a single-threaded GEMM on a block of rows and, while the block is still in
// cache, adds the bias, applies a dropout mask, adds a residual and/or an
// activation — one pass over the output instead of one per op.
#pragma once

#include <cstddef>

namespace enc {

enum class Act { kNone, kRelu, kGelu };

// What follows y = x·Wᵀ + b, in this order:
//   y ⊙= mask; y += residual; act_out = act(y) ⊙ act_mask.
// Every pointer is optional (null: the step is skipped); mask, residual,
// act_out and act_mask are [N, out] like y. residual may not alias y.
struct LinearTail {
  const float* mask = nullptr;
  const float* residual = nullptr;
  Act act = Act::kNone;
  float* act_out = nullptr;  // required when act != kNone
  const float* act_mask = nullptr;
};

// y[N,out] = x[N,in] · W[out,in]ᵀ + b[out] (b may be null), then the tail.
void linear_forward_fused(const float* x, std::size_t n, std::size_t in, const float* w, const float* b,
                          std::size_t out, float* y, const LinearTail& tail, int threads = 1);
// Reference twin: gemm_ref, then the tail as plain loops (exact GELU in double).
void linear_forward_fused_ref(const float* x, std::size_t n, std::size_t in, const float* w, const float* b,
                              std::size_t out, float* y, const LinearTail& tail);

}  // namespace enc
