#include "encoder/batched_forward.h"

#include <algorithm>

namespace enc {

const float* forward_padded(Encoder& model, std::span<const std::vector<std::int32_t>> ids, std::int32_t pad,
                            std::size_t* seq) {
  std::size_t t = 1;
  for (const auto& s : ids) t = std::max(t, s.size());
  std::vector<std::int32_t> flat(ids.size() * t, pad), lengths(ids.size());  // [n·T], [n]
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::copy(ids[i].begin(), ids[i].end(), flat.begin() + static_cast<std::ptrdiff_t>(i * t));
    lengths[i] = static_cast<std::int32_t>(std::max<std::size_t>(ids[i].size(), 1));
  }
  *seq = t;
  return model.forward(flat.data(), lengths.data(), ids.size(), t);
}

common::Matrix hidden_states(Encoder& model, const std::vector<std::vector<std::int32_t>>& seqs, std::size_t batch,
                             const std::function<void(std::size_t, std::size_t)>& progress) {
  const std::size_t d = model.config().d_model;
  std::size_t total = 0;
  for (const auto& s : seqs) total += s.size();
  common::Matrix out(total, d);  // [total, d]
  std::size_t row = 0;
  for (std::size_t s0 = 0; s0 < seqs.size(); s0 += batch) {
    const std::size_t bn = std::min(batch, seqs.size() - s0);
    const std::span<const std::vector<std::int32_t>> part(seqs.data() + s0, bn);
    std::size_t t = 0;
    const float* h = forward_padded(model, part, 0, &t);  // [bn·t, d]
    for (std::size_t i = 0; i < bn; ++i)
      for (std::size_t k = 0; k < part[i].size(); ++k) std::copy(h + (i * t + k) * d, h + (i * t + k + 1) * d, out.row(row++));
    if (progress) progress(s0 + bn, seqs.size());
  }
  return out;
}

}  // namespace enc
