#include "compare/inspect.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/errors.h"
#include "encoder/pooling.h"

namespace cmp {

namespace {

// The data of a named parameter tensor. Throws FormatError if it is missing.
const float* tensor(const enc::Encoder& model, const std::string& name) {
  const auto& ps = model.params();
  const enc::TensorSlot* s = ps.find(name);
  if (!s) throw common::FormatError("the encoder has no tensor " + name);
  return ps.data(static_cast<std::size_t>(s - ps.slots().data()));
}

void check_layer(const enc::Encoder& model, std::size_t layer) {
  const std::size_t n = model.config().n_layers;
  if (layer >= n) {
    std::string msg = "layer ";
    msg += std::to_string(layer);
    msg += " is out of range: the encoder has layers 0..";
    msg += std::to_string(n - 1);
    throw common::OptionError(msg);
  }
}

// One forward over the single sequence; returns the final hidden states [T, d].
const float* run(enc::Encoder& model, const InspectedTokens& t) {
  const std::int32_t len = static_cast<std::int32_t>(t.ids.size());
  return model.forward(t.ids.data(), &len, 1, t.ids.size());
}

}  // namespace

InspectedTokens inspect_tokens(const enc::Encoder& model, const enc::EncoderVocab& vocab, const std::vector<std::string>& words) {
  if (words.empty()) throw common::InputError("the sentence has no tokens after normalisation");
  const std::size_t max_len = model.config().max_len;
  if (words.size() + 1 > max_len) {
    std::string msg = "the sentence has ";
    msg += std::to_string(words.size());
    msg += " tokens; the encoder takes at most ";
    msg += std::to_string(max_len - 1);
    msg += " (max_len ";
    msg += std::to_string(max_len);
    msg += " with [CLS])";
    throw common::InputError(msg);
  }
  InspectedTokens t;
  t.ids = enc::to_ids(vocab, words);  // [T]
  t.display.push_back("[CLS]");
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (t.ids[i + 1] == vocab.unk) {
      std::string shown = "[UNK]:";
      shown += words[i];
      t.display.push_back(std::move(shown));
    } else {
      t.display.push_back(words[i]);
    }
  }
  return t;
}

std::vector<float> AttentionMaps::head_mean(std::size_t layer) const {
  std::vector<float> mean(seq * seq, 0.f);  // [T, T]
  for (std::size_t h = 0; h < heads; ++h) {
    const float* m = map(layer, h);  // [T, T]
    for (std::size_t i = 0; i < seq * seq; ++i) mean[i] += m[i];
  }
  for (auto& v : mean) v /= static_cast<float>(heads);
  return mean;
}

AttentionMaps attention_maps(enc::Encoder& model, const enc::EncoderVocab& vocab, const std::vector<std::string>& words) {
  AttentionMaps a;
  a.tokens = inspect_tokens(model, vocab, words);
  a.layers = model.config().n_layers;
  a.heads = model.config().n_heads;
  a.seq = a.tokens.ids.size();
  run(model, a.tokens);
  const std::size_t per_layer = a.heads * a.seq * a.seq;
  a.weights.resize(a.layers * per_layer);  // [L, H, T, T]
  for (std::size_t l = 0; l < a.layers; ++l) {
    const auto w = model.attention_weights(l, 0);  // [H, T, T]
    std::copy(w.begin(), w.end(), a.weights.begin() + static_cast<std::ptrdiff_t>(l * per_layer));
  }
  return a;
}

std::vector<Attended> top_attended(const float* map, std::size_t seq) {
  std::vector<Attended> top(seq);  // [T]
  for (std::size_t q = 0; q < seq; ++q) {
    const float* row = map + q * seq;  // [T]
    Attended best{0, row[0]};
    for (std::size_t k = 1; k < seq; ++k)
      if (row[k] > best.weight) best = {k, row[k]};
    top[q] = best;
  }
  return top;
}

std::vector<float> contextual_vector(enc::Encoder& model, const enc::EncoderVocab& vocab, const std::vector<std::string>& words,
                                     std::size_t position) {
  if (position >= words.size()) {
    std::string msg = "position ";
    msg += std::to_string(position);
    msg += " is outside the sentence of ";
    msg += std::to_string(words.size());
    msg += " tokens";
    throw common::InputError(msg);
  }
  inspect_tokens(model, vocab, words);  // the sentence must fit whole: no cropping here
  const common::Matrix h = encode_tokens(model, vocab, {words}, {position}, 1);  // [1, d]
  return std::vector<float>(h.row(0), h.row(0) + h.cols());  // [d]
}

std::vector<common::Hit> nearest_rows(const float* m, std::size_t rows, std::size_t d, std::size_t ld, const float* q,
                                   std::size_t k, std::span<const std::int32_t> exclude) {
  double qq = 0;
  for (std::size_t j = 0; j < d; ++j) qq += static_cast<double>(q[j]) * q[j];
  std::vector<float> scores(rows, std::numeric_limits<float>::quiet_NaN());  // [rows]; NaN = skipped
  if (qq > 0) {
    for (std::size_t r = 0; r < rows; ++r) {
      const float* x = m + r * ld;  // [d]
      double xx = 0, xq = 0;
      for (std::size_t j = 0; j < d; ++j) {
        xx += static_cast<double>(x[j]) * x[j];
        xq += static_cast<double>(x[j]) * q[j];
      }
      if (xx > 0) scores[r] = static_cast<float>(xq / std::sqrt(xx * qq));
    }
  }
  return common::top_k(scores.data(), rows, k, exclude);
}

const float* embedding_matrix(const enc::Encoder& model) { return tensor(model, "embedding.weight"); }

FfnReading top_ffn_neurons(enc::Encoder& model, const enc::EncoderVocab& vocab, const std::vector<std::string>& words,
                           std::size_t layer, std::size_t count, NeuronScore score) {
  check_layer(model, layer);
  FfnReading r;
  r.tokens = inspect_tokens(model, vocab, words);
  run(model, r.tokens);
  const std::size_t f = model.config().d_ff, seq = r.tokens.ids.size();
  const float* act = model.ffn_activations(layer);  // [T, d_ff] (B = 1)
  std::vector<FfnNeuron> all(f);                    // [d_ff]
  for (std::size_t n = 0; n < f; ++n) {
    FfnNeuron& x = all[n];
    x.neuron = n;
    x.peak = 1;
    x.peak_value = -std::numeric_limits<float>::infinity();
    double sum = 0;
    for (std::size_t t = 1; t < seq; ++t) {  // the words; [CLS] left out
      const float a = act[t * f + n];
      sum += a;
      if (a > x.peak_value) x.peak_value = a, x.peak = t;
    }
    x.score = score == NeuronScore::kSum ? static_cast<float>(sum) : x.peak_value;
  }
  count = std::min(count, f);
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(count), all.end(),
                    [](const FfnNeuron& a, const FfnNeuron& b) {
                      return a.score != b.score ? a.score > b.score : a.neuron < b.neuron;
                    });
  all.resize(count);
  r.neurons = std::move(all);
  return r;
}

std::vector<float> ffn_value_vector(const enc::Encoder& model, std::size_t layer, std::size_t neuron) {
  check_layer(model, layer);
  const std::size_t d = model.config().d_model, f = model.config().d_ff;
  if (neuron >= f) {
    std::string msg = "neuron ";
    msg += std::to_string(neuron);
    msg += " is out of range: the feed-forward blocks have ";
    msg += std::to_string(f);
    throw common::OptionError(msg);
  }
  std::string name = "layers.";
  name += std::to_string(layer);
  name += ".linear2.weight";
  const float* w2 = tensor(model, name);  // [d, d_ff]
  std::vector<float> v(d);                // [d]
  for (std::size_t j = 0; j < d; ++j) v[j] = w2[j * f + neuron];
  return v;
}

std::vector<common::Hit> ffn_value_neighbours(const enc::Encoder& model, const enc::EncoderVocab& vocab, std::size_t layer,
                                           std::size_t neuron, std::size_t top) {
  const auto value = ffn_value_vector(model, layer, neuron);  // [d]
  const std::size_t d = model.config().d_model, v = static_cast<std::size_t>(vocab.unk);  // ids 0..V-1 are the words, the specials follow
  const std::int32_t exclude[] = {vocab.pad};
  return nearest_rows(embedding_matrix(model), v, d, d, value.data(), top, exclude);
}

ContextNeighbours context_neighbours(enc::Encoder& model, const enc::EncoderVocab& vocab, const w2v::Embeddings& e,
                                     const std::vector<std::string>& words, const std::string& word, std::size_t top) {
  const std::size_t v = e.words.size();
  const std::int32_t id = vocab.index.find(word);
  if (id < 0 || static_cast<std::size_t>(id) >= v || id == vocab.pad)
    throw common::InputError("'" + word + "' is not a word of the vectors");
  const auto at = std::find(words.begin(), words.end(), word);
  if (at == words.end()) {
    std::string msg = "'";
    msg += word;
    msg += "' does not occur in the sentence (its tokens:";
    for (const auto& x : words) {
      msg += ' ';
      msg += x;
    }
    msg += ")";
    throw common::InputError(msg);
  }
  ContextNeighbours out;
  out.position = static_cast<std::size_t>(at - words.begin());
  const auto ctx = contextual_vector(model, vocab, words, out.position);  // [d]
  const std::int32_t exclude[] = {id, vocab.pad};
  out.static_hits = nearest_rows(e.vectors.data(), v, e.vectors.cols(), e.vectors.ld(),
                                 e.vectors.row(static_cast<std::size_t>(id)), top, exclude);
  const std::size_t d = model.config().d_model;
  out.contextual_hits = nearest_rows(embedding_matrix(model), v, d, d, ctx.data(), top, exclude);
  return out;
}

}  // namespace cmp
