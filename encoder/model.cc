#include "encoder/model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "common/blas.h"
#include "common/errors.h"
#include "encoder/fused_linear.h"
#include "encoder/ops.h"
#include "encoder/safetensors.h"

namespace enc {

namespace {

void add_into(float* a, const float* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) a[i] += b[i];
}

void activation_backward(Activation act, const float* dy, const float* x, std::size_t n, float* dx, int threads) {
  if (act == Activation::kGelu) gelu_backward(dy, x, n, dx, threads);
  else relu_backward(dy, x, n, dx);
}

}  // namespace

Encoder::Encoder(const EncoderConfig& cfg) : Encoder(cfg, nullptr) {}

Encoder::Encoder(const EncoderConfig& cfg, const std::function<void(const TensorSlot&)>& declared) : cfg_(cfg) {
  cfg_.validate();
  cfg_.check_fits_in_memory();  // refuse before allocating
  const std::size_t d = cfg_.d_model, f = cfg_.d_ff;
  auto add = [&](const std::string& name, std::vector<std::size_t> shape) {
    const std::size_t slot = params_.add(name, std::move(shape));
    if (declared) declared(params_.slots()[slot]);
    return slot;
  };
  emb_ = add("embedding.weight", {cfg_.vocab_size, d});
  if (cfg_.positional == Positional::kLearned) pos_ = add("pos_embedding", {cfg_.max_len, d});
  for (std::size_t l = 0; l < cfg_.n_layers; ++l) {
    const std::string p = "layers." + std::to_string(l) + ".";
    Layer L;
    L.w_in = add(p + "self_attn.in_proj_weight", {3 * d, d});
    L.b_in = add(p + "self_attn.in_proj_bias", {3 * d});
    L.w_out = add(p + "self_attn.out_proj.weight", {d, d});
    L.b_out = add(p + "self_attn.out_proj.bias", {d});
    L.w1 = add(p + "linear1.weight", {f, d});
    L.b1 = add(p + "linear1.bias", {f});
    L.w2 = add(p + "linear2.weight", {d, f});
    L.b2 = add(p + "linear2.bias", {d});
    L.ln1_g = add(p + "norm1.weight", {d});
    L.ln1_b = add(p + "norm1.bias", {d});
    L.ln2_g = add(p + "norm2.weight", {d});
    L.ln2_b = add(p + "norm2.bias", {d});
    layers_.push_back(L);
  }
  if (cfg_.final_norm) {
    norm_g_ = add("norm.weight", {d});
    norm_b_ = add("norm.bias", {d});
  }
  params_.allocate();
  for (const auto& L : layers_)
    for (std::size_t s : {L.ln1_g, L.ln2_g}) std::fill(params_.data(s), params_.data(s) + d, 1.f);
  if (cfg_.final_norm) std::fill(params_.data(norm_g_), params_.data(norm_g_) + d, 1.f);
  if (cfg_.positional == Positional::kSinusoidal) {
    sinusoid_.reset(cfg_.max_len * d);
    sinusoidal_positions(cfg_.max_len, d, sinusoid_.data());
  }
}

void Encoder::init_random(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](std::size_t slot, float bound) {
    std::uniform_real_distribution<float> u(-bound, bound);
    float* p = params_.data(slot);
    for (std::size_t i = 0; i < params_.slots()[slot].size; ++i) p[i] = u(rng);
  };
  const float d = static_cast<float>(cfg_.d_model), f = static_cast<float>(cfg_.d_ff);
  std::normal_distribution<float> n(0.f, 0.02f);
  float* e = params_.data(emb_);
  for (std::size_t i = 0; i < params_.slots()[emb_].size; ++i) e[i] = n(rng);
  if (pos_ != SIZE_MAX) {
    float* p = params_.data(pos_);
    for (std::size_t i = 0; i < params_.slots()[pos_].size; ++i) p[i] = n(rng);
  }
  for (const auto& L : layers_) {  // PyTorch's defaults for TransformerEncoderLayer
    uniform(L.w_in, std::sqrt(6.f / (d + 3 * d)));
    uniform(L.w_out, 1.f / std::sqrt(d));
    uniform(L.w1, 1.f / std::sqrt(d));
    uniform(L.b1, 1.f / std::sqrt(d));
    uniform(L.w2, 1.f / std::sqrt(f));
    uniform(L.b2, 1.f / std::sqrt(f));
  }
}

Encoder Encoder::load(const std::string& path) {
  auto file = enc::read_safetensors(path);
  auto meta = file.metadata;
  if (!meta.count("final_norm")) meta["final_norm"] = file.tensors.count("norm.weight") ? "true" : "false";
  const EncoderConfig cfg = EncoderConfig::from_metadata(meta, path);
  try {
    cfg.check_fits_in_memory();
  } catch (const common::OptionError& err) {
    throw common::InputError(path + ": " + err.what());
  }
  // Each tensor the config declares is checked against the file as it is
  // declared, so a config describing more than the file holds (a huge
  // vocab_size or n_layers) fails before anything is allocated for it.
  Encoder e(cfg, [&](const TensorSlot& slot) {
    auto it = file.tensors.find(slot.name);
    if (it == file.tensors.end()) throw common::FormatError(path + ": tensor '" + slot.name + "' is missing");
    if (it->second.shape != slot.shape) {
      std::string want, got;
      for (auto x : slot.shape) want += (want.empty() ? "" : ", ") + std::to_string(x);
      for (auto x : it->second.shape) got += (got.empty() ? "" : ", ") + std::to_string(x);
      throw common::FormatError(path + ": tensor '" + slot.name + "' has shape [" + got + "], expected [" + want + "]");
    }
  });
  for (std::size_t s = 0; s < e.params_.slots().size(); ++s) {
    const auto& slot = e.params_.slots()[s];
    auto v = file.tensors.at(slot.name).as_floats(slot.name);  // present and shaped: checked above
    std::memcpy(e.params_.data(s), v.data(), v.size() * sizeof(float));
  }
  for (const auto& name : file.order)
    if (!e.params_.find(name)) throw common::FormatError(path + ": unexpected tensor '" + name + "' for this configuration");
  const auto known = e.cfg_.to_metadata();
  for (const auto& [k, v] : file.metadata)
    if (!known.count(k)) e.extra_[k] = v;
  return e;
}

void Encoder::save(const std::string& path) const {
  std::vector<enc::StWrite> t;
  for (std::size_t s = 0; s < params_.slots().size(); ++s)
    t.push_back({params_.slots()[s].name, params_.slots()[s].shape, params_.data(s)});
  auto meta = cfg_.to_metadata();
  for (const auto& [k, v] : extra_) meta.emplace(k, v);
  enc::write_safetensors(path, t, meta);
}

double Encoder::forward_flops(std::size_t batch, std::size_t seq) const {
  const double n = static_cast<double>(batch * seq), d = static_cast<double>(cfg_.d_model),
               f = static_cast<double>(cfg_.d_ff);
  AttentionShape s{batch, seq, cfg_.n_heads, cfg_.head_dim(), cfg_.attention_window};
  const double attn = 4.0 * static_cast<double>(batch * cfg_.n_heads * seq * s.key_width()) * static_cast<double>(cfg_.head_dim());
  return static_cast<double>(cfg_.n_layers) * (2 * n * d * 3 * d + 2 * n * d * d + 4 * n * d * f + attn);
}

void Encoder::ensure_cache(std::size_t batch, std::size_t seq) {
  // Buffers only grow (AlignedFloats::ensure), so batches of varying shape
  // reuse memory instead of reallocating (and page-faulting) every step.
  cfg_.check_fits_in_memory(batch, seq);  // also refuses a batch x seq that overflows
  batch_ = batch;
  seq_ = seq;
  const std::size_t n = batch * seq, d = cfg_.d_model, f = cfg_.d_ff;
  AttentionShape s{batch, seq, cfg_.n_heads, cfg_.head_dim(), cfg_.attention_window};
  if (cache_.size() != cfg_.n_layers) {
    cache_.clear();
    cache_.resize(cfg_.n_layers);
  }
  for (auto& c : cache_) {
    if (cfg_.norm_first) c.n1.ensure(n * d);  // [N, d] LN1(x)
    c.qkv.ensure(n * 3 * d);  // [N, 3d]
    c.probs.ensure(s.probs_size());  // [B, H, T, key_width]
    c.ctx.ensure(n * d);      // [N, d]
    c.r1.ensure(n * d);       // [N, d] x + attention
    if (!cfg_.norm_first) c.y1.ensure(n * d);  // [N, d] LN1(r1)
    c.n2.ensure(n * d);       // [N, d] LN2(r1) (pre-norm) or r2 = y1 + ffn (post-norm)
    c.h.ensure(n * f);        // [N, F] linear1 output
    c.g.ensure(n * f);        // [N, F] activation
    c.out.ensure(n * d);      // [N, d] layer output
    c.drop1.ensure(n * d);    // [N, d] dropout scales after attention
    c.drop_ff.ensure(n * f);  // [N, F] after the activation
    c.drop2.ensure(n * d);    // [N, d] after the feed-forward block
    c.mean1.resize(n), c.rstd1.resize(n), c.mean2.resize(n), c.rstd2.resize(n);
  }
  x0_.ensure(n * d);
  final_out_.ensure(n * d);
  mean_f_.resize(n), rstd_f_.resize(n);
  buf_a_.ensure(n * d), buf_b_.ensure(n * d), buf_ff_.ensure(n * f), buf_qkv_.ensure(n * 3 * d);
}

const float* Encoder::forward(const std::int32_t* ids, const std::int32_t* lengths, std::size_t batch, std::size_t seq) {
  return forward_train(ids, lengths, batch, seq, 0.f, 0.f, 0);
}

namespace {
void mul_into(float* a, const float* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) a[i] *= b[i];
}
}  // namespace

void Encoder::check_input(const std::int32_t* ids, const std::int32_t* lengths, std::size_t batch, std::size_t seq) const {
  if (seq > cfg_.max_len)
    throw common::InputError("a sequence of " + std::to_string(seq) + " tokens is longer than max_len " +
                             std::to_string(cfg_.max_len));
  for (std::size_t b = 0; b < batch; ++b) {
    if (lengths[b] < 1 || static_cast<std::size_t>(lengths[b]) > seq)
      throw common::InputError("sequence " + std::to_string(b + 1) + " has length " + std::to_string(lengths[b]) +
                               " (must be 1.." + std::to_string(seq) + ")");
    for (std::size_t t = 0; t < static_cast<std::size_t>(lengths[b]); ++t) {
      auto id = ids[b * seq + t];
      if (id < 0 || static_cast<std::size_t>(id) >= cfg_.vocab_size)
        throw common::InputError("sequence " + std::to_string(b + 1) + ": token id " + std::to_string(id) +
                                 " is outside the vocabulary (size " + std::to_string(cfg_.vocab_size) + ")");
    }
  }
}

void Encoder::draw_dropout_masks(std::size_t batch, std::size_t seq, float p, float attention_p, std::uint64_t seed) {
  for (std::size_t l = 0; l < cache_.size(); ++l) {
    auto& c = cache_[l];
    const std::uint64_t key = (seed * 1315423911ULL + l) << 2;
    const std::size_t r0 = dropout_first_row_;  // masks of rows r0.. of a larger batch (0: this batch)
    dropout_mask(c.drop1.data(), batch * seq * cfg_.d_model, p, key, r0 * seq * cfg_.d_model);
    dropout_mask(c.drop_ff.data(), batch * seq * cfg_.d_ff, p, key + 1, r0 * seq * cfg_.d_ff);
    dropout_mask(c.drop2.data(), batch * seq * cfg_.d_model, p, key + 2, r0 * seq * cfg_.d_model);
    const AttentionShape as{batch, seq, cfg_.n_heads, cfg_.head_dim(), cfg_.attention_window};
    c.drop_attn.ensure(as.probs_size());
    const std::size_t per_row = batch ? as.probs_size() / batch : 0;
    dropout_mask(c.drop_attn.data(), as.probs_size(), attention_p, key + 3, r0 * per_row);
  }
}

void Encoder::embed(const std::int32_t* ids, const std::int32_t* lengths, std::size_t batch, std::size_t seq) {
  const std::size_t d = cfg_.d_model;
  // x0[N, d] = E[id] + position
  const float* pos = pos_ != SIZE_MAX ? params_.data(pos_) : sinusoid_.data();
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t t = 0; t < seq; ++t) {
      const std::size_t r = b * seq + t;
      const std::int32_t id = t < static_cast<std::size_t>(lengths[b]) ? ids[r] : 0;
      ids_[r] = id;
      const float* e = params_.data(emb_) + static_cast<std::size_t>(id) * d;
      const float* p = pos + t * d;
      float* x = x0_.data() + r * d;
      for (std::size_t j = 0; j < d; ++j) x[j] = e[j] + p[j];
    }
}

const float* Encoder::layer_forward(std::size_t l, const float* x, const std::int32_t* lengths, float p, float attention_p) {
  const std::size_t n = batch_ * seq_, d = cfg_.d_model, f = cfg_.d_ff;
  const AttentionShape as{batch_, seq_, cfg_.n_heads, cfg_.head_dim(), cfg_.attention_window};
  const float eps = cfg_.layer_norm_eps;
  const Layer& L = layers_[l];
  LayerCache& c = cache_[l];
  auto P = [&](std::size_t s) { return params_.data(s); };
  c.x = x;  // x0_ or the previous layer's out: both stay until the next forward
  const float* attn_in = c.x;
  if (cfg_.norm_first) {
    layernorm_forward(c.x, n, d, P(L.ln1_g), P(L.ln1_b), eps, c.n1.data(), c.mean1.data(), c.rstd1.data(),
                      threads_);
    attn_in = c.n1.data();
  }
  linear_forward_fused(attn_in, n, d, P(L.w_in), P(L.b_in), 3 * d, c.qkv.data(), {}, threads_);
  attention_forward(as, c.qkv.data(), lengths, c.probs.data(), c.ctx.data(), threads_,
                    attention_p > 0 ? c.drop_attn.data() : nullptr);
  LinearTail attn_tail;  // r1 = x + dropout(attention)
  attn_tail.mask = p > 0 ? c.drop1.data() : nullptr;
  attn_tail.residual = c.x;
  linear_forward_fused(c.ctx.data(), n, d, P(L.w_out), P(L.b_out), d, c.r1.data(), attn_tail, threads_);
  const float* ffn_in;
  if (cfg_.norm_first) {
    layernorm_forward(c.r1.data(), n, d, P(L.ln2_g), P(L.ln2_b), eps, c.n2.data(), c.mean2.data(), c.rstd2.data(),
                      threads_);
    ffn_in = c.n2.data();
  } else {
    layernorm_forward(c.r1.data(), n, d, P(L.ln1_g), P(L.ln1_b), eps, c.y1.data(), c.mean1.data(), c.rstd1.data(),
                      threads_);
    ffn_in = c.y1.data();
  }
  LinearTail ffn1_tail;  // g = dropout(act(h))
  ffn1_tail.act = cfg_.activation == Activation::kGelu ? Act::kGelu : Act::kRelu;
  ffn1_tail.act_out = c.g.data();
  ffn1_tail.act_mask = p > 0 ? c.drop_ff.data() : nullptr;
  linear_forward_fused(ffn_in, n, d, P(L.w1), P(L.b1), f, c.h.data(), ffn1_tail, threads_);
  LinearTail ffn2_tail;  // r1 + dropout(ffn) (pre-norm) or y1 + dropout(ffn) (post-norm)
  ffn2_tail.mask = p > 0 ? c.drop2.data() : nullptr;
  ffn2_tail.residual = cfg_.norm_first ? c.r1.data() : c.y1.data();
  if (cfg_.norm_first) {
    linear_forward_fused(c.g.data(), n, f, P(L.w2), P(L.b2), d, c.out.data(), ffn2_tail, threads_);
  } else {
    linear_forward_fused(c.g.data(), n, f, P(L.w2), P(L.b2), d, c.n2.data(), ffn2_tail, threads_);
    layernorm_forward(c.n2.data(), n, d, P(L.ln2_g), P(L.ln2_b), eps, c.out.data(), c.mean2.data(), c.rstd2.data(),
                      threads_);
  }
  return c.out.data();
}

const float* Encoder::forward_train(const std::int32_t* ids, const std::int32_t* lengths, std::size_t batch,
                                    std::size_t seq, float p, float attention_p, std::uint64_t seed) {
  if (!(p >= 0.f && p < 1.f) || !(attention_p >= 0.f && attention_p < 1.f))
    throw common::OptionError("dropout must be in [0, 1)");
  check_input(ids, lengths, batch, seq);
  ensure_cache(batch, seq);
  dropout_ = p;
  attention_dropout_ = attention_p;
  if (p > 0 || attention_p > 0) draw_dropout_masks(batch, seq, p, attention_p, seed);
  ids_.assign(ids, ids + batch * seq);
  lengths_.assign(lengths, lengths + batch);
  common::ScopedBlasThreads single(1);  // the pool splits the GEMMs (gemm_mt)
  embed(ids, lengths, batch, seq);
  const float* x = x0_.data();  // [N, d]
  for (std::size_t l = 0; l < cfg_.n_layers; ++l) x = layer_forward(l, x, lengths, p, attention_p);
  if (cfg_.final_norm) {
    const std::size_t n = batch * seq;
    layernorm_forward(x, n, cfg_.d_model, params_.data(norm_g_), params_.data(norm_b_), cfg_.layer_norm_eps,
                      final_out_.data(), mean_f_.data(), rstd_f_.data(), threads_);
    return final_out_.data();
  }
  return x;
}

std::vector<float> Encoder::attention_weights(std::size_t layer, std::size_t b) const {
  if (layer >= cache_.size() || b >= batch_)
    throw common::OptionError("attention of layer " + std::to_string(layer) + ", sequence " + std::to_string(b) +
                              " was not computed by the last forward");
  const AttentionShape as{batch_, seq_, cfg_.n_heads, cfg_.head_dim(), cfg_.attention_window};
  std::vector<float> out(cfg_.n_heads * seq_ * seq_);  // [H, T, T]
  for (std::size_t h = 0; h < cfg_.n_heads; ++h)
    attention_dense(as, cache_[layer].probs.data(), b, h, out.data() + h * seq_ * seq_);
  return out;
}

const float* Encoder::ffn_activations(std::size_t layer) const {
  if (layer >= cache_.size() || batch_ == 0)
    throw common::OptionError("no feed-forward activations of layer " + std::to_string(layer));
  return cache_[layer].g.data();
}

const float* Encoder::layer_input(std::size_t layer) const {
  if (layer > cache_.size() || batch_ == 0) throw common::OptionError("no input of layer " + std::to_string(layer));
  return layer == cache_.size() ? cache_[layer - 1].out.data() : cache_[layer].x;
}

const float* Encoder::attention_context(std::size_t layer) const {
  if (layer >= cache_.size() || batch_ == 0) throw common::OptionError("no attention of layer " + std::to_string(layer));
  return cache_[layer].ctx.data();
}

const float* Encoder::attention_residual(std::size_t layer) const {
  if (layer >= cache_.size() || batch_ == 0) throw common::OptionError("no attention of layer " + std::to_string(layer));
  return cache_[layer].r1.data();
}

void Encoder::backward(const float* dout) {
  const std::size_t n = batch_ * seq_, d = cfg_.d_model, f = cfg_.d_ff;
  common::ScopedBlasThreads single(1);  // the pool splits the GEMMs (gemm_mt)
  AttentionShape as{batch_, seq_, cfg_.n_heads, cfg_.head_dim(), cfg_.attention_window};
  float* A = buf_a_.data();     // [N, d] gradient flowing down
  float* Bb = buf_b_.data();    // [N, d] scratch
  float* FF = buf_ff_.data();   // [N, F] scratch
  float* QKV = buf_qkv_.data(); // [N, 3d] scratch
  auto P = [&](std::size_t s) { return params_.data(s); };
  auto G = [&](std::size_t s) { return params_.grad(s); };
  const bool drop = dropout_ > 0;
  // The gradient through a dropout mask: g ⊙ mask into tmp (or g itself without dropout).
  auto through_dropout = [&](const float* g, const common::AlignedFloats& mask, float* tmp) -> const float* {
    if (!drop) return g;
    for (std::size_t i = 0; i < n * d; ++i) tmp[i] = g[i] * mask.data()[i];
    return tmp;
  };
  if (cfg_.final_norm) {
    layernorm_backward(dout, cache_.back().out.data(), n, d, P(norm_g_), mean_f_.data(), rstd_f_.data(), A, G(norm_g_),
                       G(norm_b_), false, threads_);
  } else {
    std::memcpy(A, dout, n * d * sizeof(float));
  }
  for (std::size_t li = cfg_.n_layers; li-- > 0;) {
    const Layer& L = layers_[li];
    LayerCache& c = cache_[li];
    if (cfg_.norm_first) {
      // out = r1 + W2·act(W1·LN2(r1)); r1 = x + Wout·attn(Win·LN1(x))
      const float* dffn = through_dropout(A, c.drop2, Bb);
      linear_backward(dffn, c.g.data(), n, f, P(L.w2), d, FF, G(L.w2), G(L.b2), false, threads_);
      if (drop) mul_into(FF, c.drop_ff.data(), n * f);
      activation_backward(cfg_.activation, FF, c.h.data(), n * f, FF, threads_);
      linear_backward(FF, c.n2.data(), n, d, P(L.w1), f, Bb, G(L.w1), G(L.b1), false, threads_);
      float* C = QKV;  // [N, d] view of the qkv scratch, free here
      // A = d r1 = A + LN2'ᵀ·Bb
      layernorm_backward(Bb, c.r1.data(), n, d, P(L.ln2_g), c.mean2.data(), c.rstd2.data(), A, G(L.ln2_g), G(L.ln2_b),
                         /*accumulate_dx=*/true, threads_);
      const float* dattn = through_dropout(A, c.drop1, C);
      linear_backward(dattn, c.ctx.data(), n, d, P(L.w_out), d, Bb, G(L.w_out), G(L.b_out), false, threads_);
      attention_backward(as, c.qkv.data(), lengths_.data(), c.probs.data(), Bb, QKV, threads_,
                         attention_dropout_ > 0 ? c.drop_attn.data() : nullptr);
      linear_backward(QKV, c.n1.data(), n, d, P(L.w_in), 3 * d, Bb, G(L.w_in), G(L.b_in), false, threads_);
      // A = d x = A + LN1'ᵀ·Bb
      layernorm_backward(Bb, c.x, n, d, P(L.ln1_g), c.mean1.data(), c.rstd1.data(), A, G(L.ln1_g), G(L.ln1_b),
                         /*accumulate_dx=*/true, threads_);
    } else {
      // out = LN2(r2); r2 = y1 + W2·act(W1·y1); y1 = LN1(r1); r1 = x + Wout·attn(Win·x)
      layernorm_backward(A, c.n2.data(), n, d, P(L.ln2_g), c.mean2.data(), c.rstd2.data(), Bb, G(L.ln2_g), G(L.ln2_b),
                         false, threads_);
      const float* dffn = through_dropout(Bb, c.drop2, QKV);  // Bb = d r2 stays: it is also d y1's residual part
      linear_backward(dffn, c.g.data(), n, f, P(L.w2), d, FF, G(L.w2), G(L.b2), false, threads_);
      if (drop) mul_into(FF, c.drop_ff.data(), n * f);
      activation_backward(cfg_.activation, FF, c.h.data(), n * f, FF, threads_);
      linear_backward(FF, c.y1.data(), n, d, P(L.w1), f, Bb, G(L.w1), G(L.b1), /*accumulate_dx=*/true, threads_);
      layernorm_backward(Bb, c.r1.data(), n, d, P(L.ln1_g), c.mean1.data(), c.rstd1.data(), A, G(L.ln1_g), G(L.ln1_b),
                         false, threads_);
      const float* dattn = through_dropout(A, c.drop1, QKV);
      linear_backward(dattn, c.ctx.data(), n, d, P(L.w_out), d, Bb, G(L.w_out), G(L.b_out), false, threads_);
      attention_backward(as, c.qkv.data(), lengths_.data(), c.probs.data(), Bb, QKV, threads_,
                         attention_dropout_ > 0 ? c.drop_attn.data() : nullptr);
      linear_backward(QKV, c.x, n, d, P(L.w_in), 3 * d, A, G(L.w_in), G(L.b_in), /*accumulate_dx=*/true, threads_);
    }
  }
  // Embedding (and learned position) gradients: scatter-add the rows.
  float* ge = G(emb_);
  float* gp = pos_ != SIZE_MAX ? G(pos_) : nullptr;
  for (std::size_t b = 0; b < batch_; ++b)
    for (std::size_t t = 0; t < seq_; ++t) {
      const std::size_t r = b * seq_ + t;
      const float* g = A + r * d;
      add_into(ge + static_cast<std::size_t>(ids_[r]) * d, g, d);
      if (gp) add_into(gp + t * d, g, d);
    }
}

}  // namespace enc
