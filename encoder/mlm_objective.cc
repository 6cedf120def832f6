#include "encoder/mlm_objective.h"

#include <random>

namespace enc {

namespace {
constexpr double kMaskRate = 0.15;
}  // namespace

MlmObjective::MlmObjective(const ObjectiveSettings& s, const EncoderVocab& vocab)
    : s_(s), mask_id_(vocab.mask), first_regular_(vocab.first_regular), vocab_size_(vocab.size) {}

void MlmObjective::mask(MlmBatch& m, std::uint64_t seed) const {
  std::mt19937_64 rng(seed);
  mask_tokens(m, kMaskRate, mask_id_, first_regular_, vocab_size_, rng, 1);
}

double MlmObjective::train_forward(Encoder& model, MlmBatch& m, std::size_t step, common::AlignedFloats& dh) {
  mask(m, s_.seed * 1000003ULL + step);
  const float* h = model.forward_train(m.ids.data(), m.lengths.data(), m.batch, m.seq, s_.dropout, s_.attention_dropout,
                                       s_.seed * 7919ULL + step);  // [B·T, d]
  dh.ensure(m.batch * m.seq * model.config().d_model);             // [B·T, d]
  return head_.forward_backward(model, h, m, dh.data()).loss;
}

double MlmObjective::train_forward_shard(Encoder& model, MlmBatch& m, std::size_t step, std::size_t first,
                                         std::size_t count, common::AlignedFloats& dh) {
  mask(m, s_.seed * 1000003ULL + step);  // the whole batch, as one process masks it
  const std::size_t units = m.positions.size();
  MlmBatch part = batch_rows(m, first, count);
  model.set_dropout_first_row(first);
  const float* h = model.forward_train(part.ids.data(), part.lengths.data(), part.batch, part.seq, s_.dropout,
                                       s_.attention_dropout, s_.seed * 7919ULL + step);  // [b·T, d]
  model.set_dropout_first_row(0);
  dh.ensure(part.batch * part.seq * model.config().d_model);
  return head_.forward_backward(model, h, part, dh.data(), units).loss;
}

EvalSums MlmObjective::evaluate(Encoder& model, MlmBatch& m, std::size_t first) {
  mask(m, s_.seed + 0xE7A1 + first);
  const float* h = model.forward(m.ids.data(), m.lengths.data(), m.batch, m.seq);  // [B·T, d]
  const MlmResult r = head_.evaluate(model, h, m);
  return {r.loss * static_cast<double>(r.count), r.correct, r.count};
}

}  // namespace enc
