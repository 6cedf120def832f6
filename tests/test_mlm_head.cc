// The MLM head (logits GEMM, one-pass softmax statistics, dlogits written
// once, the two backward GEMMs) against its reference twin
// enc::mlm_head_ref, for 1 and 2 threads.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "encoder/mlm.h"

namespace {

struct HeadRun {
  enc::MlmResult r;
  std::vector<float> dhidden, demb;  // [B·T, d], [V, d]
};

double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double w = 0;
  for (std::size_t i = 0; i < a.size(); ++i) w = std::max(w, std::fabs(static_cast<double>(a[i]) - b[i]));
  return w;
}

double max_abs(const std::vector<float>& a) {
  double w = 0;
  for (float x : a) w = std::max(w, std::fabs(static_cast<double>(x)));
  return w;
}

}  // namespace

TEST_CASE("MLM head: loss, accuracy, dhidden and embedding gradient equal the reference twin") {
  enc::EncoderConfig c;
  c.vocab_size = 1300, c.d_model = 24, c.n_heads = 2, c.n_layers = 1, c.d_ff = 32, c.max_len = 16;
  enc::Encoder model(c);
  model.init_random(3);
  float* e = model.params().data(0);  // [V, d]: larger than init so the softmax is not flat
  for (std::size_t i = 0; i < c.vocab_size * c.d_model; ++i) e[i] *= 40.f;
  std::mt19937 rng(5);
  enc::MlmBatch b;
  b.batch = 3, b.seq = 16;
  b.ids.assign(b.batch * b.seq, 7);
  b.lengths.assign(b.batch, 16);
  std::uniform_int_distribution<std::int32_t> tok(0, static_cast<std::int32_t>(c.vocab_size) - 1);
  for (std::int32_t r = 0; r < 48; r += 3) b.positions.push_back(r), b.targets.push_back(tok(rng));
  std::normal_distribution<float> g(0.f, 1.f);
  std::vector<float> hidden(b.batch * b.seq * c.d_model);  // [B·T, d]
  for (auto& x : hidden) x = g(rng);
  // Make one target the argmax of its row (the accuracy counts it) by using its embedding as the hidden row.
  for (std::size_t j = 0; j < c.d_model; ++j)
    hidden[static_cast<std::size_t>(b.positions[0]) * c.d_model + j] = e[static_cast<std::size_t>(b.targets[0]) * c.d_model + j];
  const std::size_t units = 20;  // a shard's share of a larger batch
  HeadRun ref;
  ref.dhidden.resize(hidden.size());
  ref.demb.assign(c.vocab_size * c.d_model, 0.5f);  // accumulated into
  ref.r = enc::mlm_head_ref(e, c.vocab_size, c.d_model, hidden.data(), b, units, ref.dhidden.data(), ref.demb.data());
  CHECK(ref.r.correct >= 1);
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    model.set_threads(threads);
    float* ge = model.params().grad(0);
    std::fill(ge, ge + c.vocab_size * c.d_model, 0.5f);
    std::vector<float> dh(hidden.size(), 99.f);
    enc::MlmHead head;
    const enc::MlmResult r = head.forward_backward(model, hidden.data(), b, dh.data(), units);
    CHECK(r.count == ref.r.count);
    CHECK(r.correct == ref.r.correct);
    CHECK(r.loss == doctest::Approx(ref.r.loss).epsilon(1e-5));
    CHECK(max_abs_diff(dh, ref.dhidden) <= 1e-5 * max_abs(ref.dhidden));
    std::vector<float> demb(ge, ge + c.vocab_size * c.d_model);
    CHECK(max_abs_diff(demb, ref.demb) <= 1e-5 * max_abs(ref.demb));
    const enc::MlmResult ev = head.evaluate(model, hidden.data(), b);  // loss over M itself
    CHECK(ev.correct == r.correct);
    CHECK(ev.loss * static_cast<double>(b.positions.size()) == doctest::Approx(r.loss * units).epsilon(1e-6));
  }
}
