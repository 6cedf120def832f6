#include "compare/inspect.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/errors.h"
#include "common/utf8.h"
#include "encoder/ops.h"
#include "encoder/pooling.h"

namespace cmp {

namespace {

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

// InputError for a sentence of no token or more than the encoder takes with [CLS].
void check_length(const enc::Encoder& model, std::size_t tokens, const char* empty) {
  if (tokens == 0) throw common::InputError(empty);
  const std::size_t max_len = model.config().max_len;
  if (tokens + 1 > max_len) {
    std::string msg = "the sentence has ";
    msg += std::to_string(tokens);
    msg += " tokens; the encoder takes at most ";
    msg += std::to_string(max_len - 1);
    msg += " (max_len ";
    msg += std::to_string(max_len);
    msg += " with [CLS])";
    throw common::InputError(msg);
  }
}

double squared_norm(const float* x, std::size_t d) {
  double xx = 0;
  for (std::size_t j = 0; j < d; ++j) xx += static_cast<double>(x[j]) * x[j];
  return xx;
}

// Cosine of x[d] and q[d] (qq = |q|^2 > 0); NaN for a zero x.
float cosine(const float* x, const float* q, std::size_t d, double qq) {
  double xx = 0, xq = 0;
  for (std::size_t j = 0; j < d; ++j) {
    xx += static_cast<double>(x[j]) * x[j];
    xq += static_cast<double>(x[j]) * q[j];
  }
  return xx > 0 ? static_cast<float>(xq / std::sqrt(xx * qq)) : std::numeric_limits<float>::quiet_NaN();
}

// One forward over the single sequence; returns the final hidden states [T, d].
const float* run(enc::Encoder& model, const InspectedTokens& t) {
  const std::int32_t len = static_cast<std::int32_t>(t.ids.size());
  return model.forward(t.ids.data(), &len, 1, t.ids.size());
}

}  // namespace

InspectedTokens inspect_tokens(const enc::Encoder& model, const enc::EncoderVocab& vocab, const std::vector<std::string>& words) {
  check_length(model, words.size(), "the sentence has no tokens after normalisation");
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

InspectedTokens inspect_text(const enc::Encoder& model, const enc::EncoderVocab& vocab, const std::string& text,
                             tok::Normalizer& norm, bool cut) {
  const std::size_t most = model.config().max_len - 1;
  if (!vocab.is_bpe()) {
    auto words = norm.tokens(text);
    if (cut && words.size() > most) words.resize(most);
    return inspect_tokens(model, vocab, words);
  }
  InspectedTokens t;
  t.bpe = tok::encode_sentence(*vocab.bpe, text);
  if (cut && t.bpe.ids.size() > most) t.bpe.ids.resize(most), t.bpe.spans.resize(most);
  check_length(model, t.bpe.ids.size(), "the sentence has no tokens (it is blank)");
  t.ids.push_back(vocab.cls);
  t.display.emplace_back("[CLS]");
  for (const std::int32_t id : t.bpe.ids) {
    t.ids.push_back(id);
    t.display.push_back(vocab.display(id));
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
  return attention_maps(model, inspect_tokens(model, vocab, words));
}

AttentionMaps attention_maps(enc::Encoder& model, InspectedTokens tokens) {
  AttentionMaps a;
  a.tokens = std::move(tokens);
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
  const double qq = squared_norm(q, d);
  std::vector<float> scores(rows, std::numeric_limits<float>::quiet_NaN());  // [rows]; NaN = skipped
  if (qq > 0)
    for (std::size_t r = 0; r < rows; ++r) scores[r] = cosine(m + r * ld, q, d, qq);
  return common::top_k(scores.data(), rows, k, exclude);
}

std::vector<common::Hit> nearest_rows_among(const float* m, std::size_t d, std::size_t ld, const float* q, std::size_t k,
                                            std::span<const std::int32_t> candidates, std::span<const std::int32_t> exclude) {
  if (candidates.empty()) return {};
  const auto rows = static_cast<std::size_t>(*std::max_element(candidates.begin(), candidates.end())) + 1;
  std::vector<float> scores(rows, std::numeric_limits<float>::quiet_NaN());  // [rows]; NaN = skipped
  const double qq = squared_norm(q, d);
  if (qq > 0)
    for (const std::int32_t c : candidates) scores[static_cast<std::size_t>(c)] = cosine(m + static_cast<std::size_t>(c) * ld, q, d, qq);
  return common::top_k(scores.data(), rows, k, exclude);
}

float vector_cosine(std::span<const float> a, std::span<const float> b) {
  if (a.size() != b.size()) throw common::InputError("vector_cosine: vectors of different lengths");
  const double bb = squared_norm(b.data(), b.size());
  return bb > 0 ? cosine(a.data(), b.data(), a.size(), bb) : std::numeric_limits<float>::quiet_NaN();
}

std::vector<std::int32_t> regular_tokens(const enc::EncoderVocab& vocab) {
  const auto end = vocab.is_bpe() ? static_cast<std::int32_t>(vocab.size) : vocab.unk;  // words: the specials follow them
  std::vector<std::int32_t> ids;
  for (std::int32_t id = vocab.first_regular; id < end; ++id) ids.push_back(id);
  return ids;
}

std::vector<std::int32_t> whole_word_tokens(const enc::EncoderVocab& vocab) {
  if (!vocab.is_bpe()) return regular_tokens(vocab);
  std::vector<std::int32_t> ids;
  for (const std::int32_t id : regular_tokens(vocab)) {
    const std::string& b = vocab.bpe->token_bytes(static_cast<std::size_t>(id));
    if (b.size() > 1 && b[0] == ' ' && !common::is_ascii_space(static_cast<unsigned char>(b[1]))) ids.push_back(id);
  }
  return ids;
}

const float* named_tensor(const enc::Encoder& model, const std::string& name) {
  const auto& ps = model.params();
  const enc::TensorSlot* s = ps.find(name);
  if (!s) throw common::FormatError("the encoder has no tensor " + name);
  return ps.data(static_cast<std::size_t>(s - ps.slots().data()));
}

const float* embedding_matrix(const enc::Encoder& model) { return named_tensor(model, "embedding.weight"); }

FfnReading top_ffn_neurons(enc::Encoder& model, const enc::EncoderVocab& vocab, const std::vector<std::string>& words,
                           std::size_t layer, std::size_t count, NeuronScore score) {
  return top_ffn_neurons(model, inspect_tokens(model, vocab, words), layer, count, score);
}

FfnReading top_ffn_neurons(enc::Encoder& model, InspectedTokens tokens, std::size_t layer, std::size_t count,
                           NeuronScore score) {
  check_layer(model, layer);
  FfnReading r;
  r.tokens = std::move(tokens);
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
  const float* w2 = named_tensor(model, name);  // [d, d_ff]
  std::vector<float> v(d);                // [d]
  for (std::size_t j = 0; j < d; ++j) v[j] = w2[j * f + neuron];
  return v;
}

std::vector<common::Hit> ffn_value_neighbours(const enc::Encoder& model, const enc::EncoderVocab& vocab, std::size_t layer,
                                           std::size_t neuron, std::size_t top) {
  const auto value = ffn_value_vector(model, layer, neuron);  // [d]
  const std::size_t d = model.config().d_model;
  return nearest_rows_among(embedding_matrix(model), d, d, value.data(), top, regular_tokens(vocab), {});
}

std::vector<float> layer_states(enc::Encoder& model, const InspectedTokens& tokens, std::size_t layer) {
  check_layer(model, layer);
  const auto& cfg = model.config();
  const std::size_t T = tokens.ids.size(), d = cfg.d_model;
  const float* final_out = run(model, tokens);  // [T, d]
  if (layer + 1 == cfg.n_layers) return std::vector<float>(final_out, final_out + T * d);
  const float* x = model.layer_input(layer + 1);  // [T, d] the output of `layer`
  if (!cfg.final_norm) return std::vector<float>(x, x + T * d);
  std::vector<float> y(T * d), mean(T), rstd(T);  // [T, d], [T], [T]
  enc::layernorm_forward(x, T, d, named_tensor(model, "norm.weight"), named_tensor(model, "norm.bias"), cfg.layer_norm_eps, y.data(),
                         mean.data(), rstd.data());
  return y;
}

ContextNeighbours context_neighbours(enc::Encoder& model, const enc::EncoderVocab& vocab, const w2v::Embeddings& e,
                                     const std::vector<std::string>& words, const std::string& word, std::size_t top,
                                     std::size_t layer) {
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
  const std::size_t d = model.config().d_model;
  if (layer == kFinalLayer) {
    out.contextual = contextual_vector(model, vocab, words, out.position);  // [d]
  } else {
    const auto states = layer_states(model, inspect_tokens(model, vocab, words), layer);  // [T, d]
    const float* row = states.data() + (out.position + 1) * d;                            // [CLS] first
    out.contextual.assign(row, row + d);
  }
  const std::int32_t exclude[] = {id, vocab.pad};
  out.static_hits = nearest_rows(e.vectors.data(), v, e.vectors.cols(), e.vectors.ld(),
                                 e.vectors.row(static_cast<std::size_t>(id)), top, exclude);
  out.contextual_hits = nearest_rows(embedding_matrix(model), v, d, d, out.contextual.data(), top, exclude);
  return out;
}

}  // namespace cmp

namespace cmp {

ContextNeighbours context_neighbours_bpe(enc::Encoder& model, const enc::EncoderVocab& vocab, const InspectedTokens& tokens,
                                         const std::string& word, std::size_t top, std::size_t layer) {
  if (!vocab.is_bpe()) throw common::InputError("context_neighbours_bpe: the encoder was not trained on BPE tokens");
  const tok::BpeSentence& s = tokens.bpe;
  const tok::TokenRange r = tok::tokens_overlapping(s, tok::find_word(s.text, word));
  if (r.empty())
    throw common::InputError("'" + word + "' does not occur as a word in the sentence (it is matched as typed: case and "
                             "accents count)");
  ContextNeighbours out;
  out.position = r.first;
  out.pieces = r.last - r.first;
  const std::size_t d = model.config().d_model;
  if (layer == kFinalLayer) {
    const common::Matrix ctx = enc::pool_ranges(model, vocab, {s.ids}, {r}, 1);  // [1, d]
    out.contextual.assign(ctx.row(0), ctx.row(0) + d);
  } else {
    const auto states = layer_states(model, tokens, layer);  // [T, d], [CLS] first
    out.contextual.assign(d, 0.f);
    for (std::size_t k = r.first; k < r.last; ++k)
      for (std::size_t j = 0; j < d; ++j) out.contextual[j] += states[(k + 1) * d + j] / static_cast<float>(out.pieces);
  }
  const float* emb = embedding_matrix(model);                                    // [V, d]
  std::vector<float> input(d, 0.f);                                              // [d]
  for (std::size_t k = r.first; k < r.last; ++k)
    for (std::size_t j = 0; j < d; ++j) input[j] += emb[static_cast<std::size_t>(s.ids[k]) * d + j];
  for (auto& x : input) x /= static_cast<float>(out.pieces);
  const std::vector<std::int32_t> own(s.ids.begin() + static_cast<std::ptrdiff_t>(r.first),
                                      s.ids.begin() + static_cast<std::ptrdiff_t>(r.last));
  const auto candidates = whole_word_tokens(vocab);
  out.static_hits = nearest_rows_among(emb, d, d, input.data(), top, candidates, own);
  out.contextual_hits = nearest_rows_among(emb, d, d, out.contextual.data(), top, candidates, own);
  return out;
}

}  // namespace cmp
