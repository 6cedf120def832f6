// Row-wise building blocks of the encoder with their backward passes.
// Shapes: N rows (tokens), row length given; all matrices row-major and
// contiguous unless a leading dimension is named. Backward functions
// accumulate (+=) into parameter gradients and write (=) input gradients
// unless stated otherwise.
#pragma once

#include <cstddef>
#include <cstdint>

namespace enc {

// y[N,out] = x[N,in] · W[out,in]ᵀ + b[out]   (b may be null)
void linear_forward(const float* x, std::size_t n, std::size_t in, const float* w, const float* b, std::size_t out,
                    float* y, int threads = 1);
// dx[N,in] (= or += when accumulate) ; dW[out,in] += dyᵀ·x ; db[out] += Σ dy
void linear_backward(const float* dy, const float* x, std::size_t n, std::size_t in, const float* w, std::size_t out,
                     float* dx, float* dw, float* db, bool accumulate_dx = false, int threads = 1);
// db[out] += Σ_rows dy[N,out], each column summed in row order (columns split
// over threads: the same sums for any thread count). Reference twin: bias_grad_ref.
void bias_grad(const float* dy, std::size_t n, std::size_t out, float* db, int threads = 1);
void bias_grad_ref(const float* dy, std::size_t n, std::size_t out, float* db);

// y = (x - mean) · rstd · gamma + beta per row of length d; saves mean, rstd [N].
// Rows are split over `threads` pool threads; the row sums use 16 partial
// sums (vectorised), so they differ from a sequential sum in rounding only.
void layernorm_forward(const float* x, std::size_t n, std::size_t d, const float* gamma, const float* beta, float eps,
                       float* y, float* mean, float* rstd, int threads = 1);
// dx: written, or added to with accumulate_dx (a residual branch's gradient).
// dgamma/dbeta: partial sums per chunk of 64 rows, added in chunk order (the
// same result for any number of threads).
void layernorm_backward(const float* dy, const float* x, std::size_t n, std::size_t d, const float* gamma,
                        const float* mean, const float* rstd, float* dx, float* dgamma, float* dbeta,
                        bool accumulate_dx = false, int threads = 1);
// Reference twin (double precision, no saved statistics).
void layernorm_ref(const float* x, std::size_t n, std::size_t d, const float* gamma, const float* beta, float eps,
                   float* y);

// Activations over `count` values (split over `threads`); backward: dx = dy · act'(x).
void gelu_forward(const float* x, std::size_t count, float* y, int threads = 1);   // exact: x·Φ(x)
void gelu_backward(const float* dy, const float* x, std::size_t count, float* dx, int threads = 1);
void gelu_ref(const float* x, std::size_t count, float* y);  // reference twin (double, std::erf)
void relu_forward(const float* x, std::size_t count, float* y);
void relu_backward(const float* dy, const float* x, std::size_t count, float* dx);

// Sinusoidal position table PE[max_len, d] (PyTorch tutorial convention).
void sinusoidal_positions(std::size_t max_len, std::size_t d, float* pe);

// Dropout scales: scale[i] = 0 with probability p, else 1/(1-p), from a
// counter-based hash of (key, i) (reproducible, vectorisable).
void dropout_mask(float* scale, std::size_t n, float p, std::uint64_t key, std::size_t offset = 0);

// AdamW (decoupled weight decay, bias-corrected) over n values; step >= 1.
// The gradient used is g · grad_scale (g itself is not written: a clipping
// factor from clip_factor costs no separate pass over g).
// Element-wise: the same result for any number of threads.
void adamw_step(float* p, const float* g, float* m, float* v, std::size_t n, float lr, float beta1, float beta2,
                float eps, float weight_decay, long step, int threads = 1, float grad_scale = 1.f);
// L2 norm of g[n]: the squares are summed in double per fixed chunk of 2^16
// values, chunks in order: the same norm for any number of threads.
double grad_norm(const float* g, std::size_t n, int threads = 1);
// The factor that brings a gradient of L2 norm `norm` to at most max_norm
// (1 when it is within, or when max_norm <= 0).
float clip_factor(double norm, double max_norm);
// Scales g[n] by clip_factor(grad_norm(g), max_norm); returns the norm before.
double clip_grad_norm(float* g, std::size_t n, double max_norm, int threads = 1);

}  // namespace enc
