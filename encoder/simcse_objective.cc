#include "encoder/simcse_objective.h"

#include <algorithm>

#include "encoder/simcse.h"

namespace enc {

void SimcseObjective::prepare(MlmBatch& m) const {
  m.ids.insert(m.ids.end(), m.ids.begin(), m.ids.end());
  m.lengths.insert(m.lengths.end(), m.lengths.begin(), m.lengths.end());
  m.batch *= 2;
}

void SimcseObjective::pool_mean(const float* h, const MlmBatch& m, std::size_t d) {
  z_.ensure(m.batch * d);
  float* z = z_.data();
  std::fill(z, z + m.batch * d, 0.f);
  for (std::size_t i = 0; i < m.batch; ++i) {
    const auto len = static_cast<std::size_t>(m.lengths[i]);
    for (std::size_t t = 0; t < len; ++t)
      for (std::size_t j = 0; j < d; ++j) z[i * d + j] += h[(i * m.seq + t) * d + j];
    for (std::size_t j = 0; j < d; ++j) z[i * d + j] /= static_cast<float>(len);
  }
}

double SimcseObjective::train_forward(Encoder& model, MlmBatch& m, std::size_t step, common::AlignedFloats& dh) {
  const std::size_t d = model.config().d_model, bn = m.batch / 2;
  const float* h = model.forward_train(m.ids.data(), m.lengths.data(), m.batch, m.seq, s_.dropout, s_.attention_dropout,
                                       s_.seed * 7919ULL + step);  // [2B·T, d]
  pool_mean(h, m, d);
  dz_.ensure(2 * bn * d);  // [2B, d]
  const double loss = simcse_loss(z_.data(), bn, d, s_.temperature, dz_.data());
  // Mean pooling backward: every real token of a view receives dz / length.
  dh.ensure(m.batch * m.seq * d);  // [2B·T, d]
  std::fill(dh.data(), dh.data() + m.batch * m.seq * d, 0.f);
  for (std::size_t i = 0; i < m.batch; ++i) {
    const auto len = static_cast<std::size_t>(m.lengths[i]);
    for (std::size_t t = 0; t < len; ++t)
      for (std::size_t j = 0; j < d; ++j) dh.data()[(i * m.seq + t) * d + j] = dz_.data()[i * d + j] / static_cast<float>(len);
  }
  return loss;
}

EvalSums SimcseObjective::evaluate(Encoder& model, MlmBatch& m, std::size_t first) {
  const std::size_t d = model.config().d_model, bn = m.batch / 2;
  const float* h = model.forward_train(m.ids.data(), m.lengths.data(), m.batch, m.seq, s_.dropout, s_.attention_dropout,
                                       0xE7A1 + first);  // [2B·T, d]
  pool_mean(h, m, d);
  std::size_t ok = 0;
  const double loss = simcse_loss(z_.data(), bn, d, s_.temperature, nullptr, &ok);
  return {loss * static_cast<double>(bn), ok, bn};
}

}  // namespace enc
