#include "compare/attention_rollout.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "common/errors.h"

namespace cmp {

Rollout rollout(const std::vector<std::vector<float>>& maps, std::size_t seq) {
  Rollout out;
  out.layers = maps.size();
  out.seq = seq;
  out.r.assign(out.layers * seq * seq, 0.f);  // [L, T, T]
  std::vector<double> prev(seq * seq, 0.0), a(seq * seq), next(seq * seq);  // [T, T] each
  for (std::size_t i = 0; i < seq; ++i) prev[i * seq + i] = 1.0;         // R_{-1} = I
  for (std::size_t l = 0; l < out.layers; ++l) {
    if (maps[l].size() != seq * seq)
      throw common::InputError("rollout: the map of layer " + std::to_string(l) + " has " + std::to_string(maps[l].size()) +
                               " values, not " + std::to_string(seq) + " x " + std::to_string(seq));
    for (std::size_t i = 0; i < seq; ++i) {  // A = 0.5·attn + 0.5·I, rows renormalised
      double sum = 0;
      for (std::size_t j = 0; j < seq; ++j) sum += a[i * seq + j] = 0.5 * maps[l][i * seq + j] + (i == j ? 0.5 : 0.0);
      for (std::size_t j = 0; j < seq; ++j) a[i * seq + j] /= sum;
    }
    for (std::size_t i = 0; i < seq; ++i)  // R_l = A_l · R_{l-1}
      for (std::size_t j = 0; j < seq; ++j) {
        double acc = 0;
        for (std::size_t k = 0; k < seq; ++k) acc += a[i * seq + k] * prev[k * seq + j];
        next[i * seq + j] = acc;
      }
    prev.swap(next);
    for (std::size_t i = 0; i < seq * seq; ++i) out.r[l * seq * seq + i] = static_cast<float>(prev[i]);
  }
  return out;
}

Rollout rollout(const AttentionMaps& maps) {
  std::vector<std::vector<float>> means;  // [L][T·T]
  for (std::size_t l = 0; l < maps.layers; ++l) means.push_back(maps.head_mean(l));
  return rollout(means, maps.seq);
}

std::vector<Reach> rollout_reach(const Rollout& r, std::size_t window) {
  const std::size_t T = r.seq;
  std::vector<Reach> out;
  for (std::size_t l = 0; l < r.layers; ++l) {
    Reach x;
    x.layer = l;
    const float* m = r.at(l);  // [T, T]
    for (std::size_t i = 0; i < T; ++i) {
      std::size_t far = 0;
      double dist = 0, beyond = 0;
      for (std::size_t j = 0; j < T; ++j) {
        const std::size_t d = i > j ? i - j : j - i;
        const double v = m[i * T + j];
        if (v > 0) far = std::max(far, d);
        dist += v * static_cast<double>(d);
        if (window > 0 && d > window) beyond += v;
      }
      x.mean_reach += static_cast<double>(far);
      x.max_reach = std::max(x.max_reach, far);
      x.mean_distance += dist;
      x.mass_beyond += beyond;
    }
    if (T > 0) x.mean_reach /= static_cast<double>(T), x.mean_distance /= static_cast<double>(T), x.mass_beyond /= static_cast<double>(T);
    out.push_back(x);
  }
  return out;
}

std::size_t structural_reach(std::size_t seq, std::size_t window, std::size_t layers) {
  if (seq == 0 || layers == 0) return 0;
  if (window == 0) return seq - 1;
  return std::min(seq - 1, layers * window);
}

enc::Encoder with_window(const enc::Encoder& model, std::size_t window) {
  enc::EncoderConfig cfg = model.config();
  cfg.attention_window = window;
  enc::Encoder out(cfg);
  const auto& from = model.params();
  auto& to = out.params();
  for (std::size_t s = 0; s < from.slots().size(); ++s)
    std::memcpy(to.data(s), from.data(s), from.slots()[s].size * sizeof(float));
  out.extra_metadata() = model.extra_metadata();
  out.set_threads(model.threads());
  return out;
}

}  // namespace cmp
