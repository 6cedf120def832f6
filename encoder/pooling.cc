#include "encoder/pooling.h"

#include <algorithm>

#include "common/errors.h"
#include "encoder/batched_forward.h"
#include "word2vec/sentence_vectors.h"

namespace enc {

namespace {

// [CLS] followed by ids[from, from + n).
std::vector<std::int32_t> with_cls(const EncoderVocab& vocab, const std::vector<std::int32_t>& ids, std::size_t from,
                                   std::size_t n) {
  std::vector<std::int32_t> out;
  out.reserve(n + 1);
  out.push_back(vocab.cls);
  out.insert(out.end(), ids.begin() + static_cast<std::ptrdiff_t>(from), ids.begin() + static_cast<std::ptrdiff_t>(from + n));
  return out;
}

void check_spec(const Encoder& model, const EncoderVocab& vocab, const PoolSpec& spec) {
  check_layer_choice(model, spec.layer);
  if (spec.pooling == Pooling::kWeighted && (!spec.weights || spec.weights->size() != vocab.size))
    throw common::OptionError("weighted pooling needs one weight per token of the encoder's vocabulary (" +
                              std::to_string(vocab.size) + ")");
}

// The first state a pooling counts (kMean counts [CLS]).
std::size_t first_pooled(Pooling p) { return p == Pooling::kMean ? 0 : 1; }

}  // namespace

bool has_known(const std::vector<std::int32_t>& ids, std::int32_t unk) {
  return std::any_of(ids.begin(), ids.end(), [unk](std::int32_t id) { return id != unk; });
}

void pool_states(const float* h, const std::vector<std::int32_t>& ids, std::size_t d, const PoolSpec& spec,
                 std::int32_t unk, float* row) {
  if (spec.pooling == Pooling::kCls) {
    std::copy(h, h + d, row);
    return;
  }
  std::size_t n = 0;
  for (std::size_t k = first_pooled(spec.pooling); k < ids.size(); ++k) {
    float w = 1.f;
    if (spec.pooling == Pooling::kWeighted) {
      if (ids[k] == unk) continue;
      w = (*spec.weights)[static_cast<std::size_t>(ids[k])];
    }
    for (std::size_t j = 0; j < d; ++j) row[j] += w * h[k * d + j];
    ++n;
  }
  for (std::size_t j = 0; j < d; ++j) row[j] /= static_cast<float>(n);
}

void pool_states_backward(const float* drow, const std::vector<std::int32_t>& ids, std::size_t d, const PoolSpec& spec,
                          std::int32_t unk, float* dh) {
  std::fill(dh, dh + ids.size() * d, 0.f);
  if (spec.pooling == Pooling::kCls) {
    std::copy(drow, drow + d, dh);
    return;
  }
  std::size_t n = 0;  // the count pool_states divides by
  for (std::size_t k = first_pooled(spec.pooling); k < ids.size(); ++k) n += spec.pooling != Pooling::kWeighted || ids[k] != unk;
  for (std::size_t k = first_pooled(spec.pooling); k < ids.size(); ++k) {
    float w = 1.f;
    if (spec.pooling == Pooling::kWeighted) {
      if (ids[k] == unk) continue;
      w = (*spec.weights)[static_cast<std::size_t>(ids[k])];
    }
    for (std::size_t j = 0; j < d; ++j) dh[k * d + j] = w * drow[j] / static_cast<float>(n);
  }
}

std::vector<float> sif_token_weights(const EncoderVocab& vocab, const std::string& counts_path, double a) {
  if (vocab.is_bpe() || vocab.unk < 0)
    throw common::OptionError("SIF weights need an encoder trained from Word2Vec vectors (word counts); this one reads BPE "
                              "tokens");
  // The regular words are ids [0, unk), the vectors' rows; the specials follow.
  const std::vector<std::string> words(vocab.words.begin(), vocab.words.begin() + vocab.unk);
  const std::vector<float> w = w2v::sif_weights(w2v::word_counts(words, counts_path), a);  // [unk]
  std::vector<float> out(vocab.size, 0.f);                                                 // [vocab size]
  std::copy(w.begin(), w.end(), out.begin());
  return out;
}

common::Matrix pool_sentences(Encoder& model, const EncoderVocab& vocab, const TokenIds& sentences, const PoolSpec& spec,
                              std::size_t batch, PoolStats* stats, const BatchProgress& progress) {
  check_spec(model, vocab, spec);
  const std::size_t d = model.config().d_model, most = std::max<std::size_t>(1, model.config().max_len - 1);
  common::Matrix out(sentences.size(), d);  // [S, d]
  PoolStats st;
  st.sentences = sentences.size();
  std::vector<float> scratch;
  for (std::size_t s0 = 0; s0 < sentences.size(); s0 += batch) {
    const std::size_t bn = std::min(batch, sentences.size() - s0);
    std::vector<std::vector<std::int32_t>> ids(bn);
    std::vector<bool> known(bn, false);
    for (std::size_t i = 0; i < bn; ++i) {
      const auto& s = sentences[s0 + i];
      known[i] = has_known(s, vocab.unk);
      if (s.size() > most) ++st.truncated;
      ids[i] = with_cls(vocab, s, 0, std::min(most, s.size()));
    }
    std::size_t t = 0;
    const float* h = forward_padded(model, ids, vocab.pad, &t);  // [bn·t, d]
    h = chosen_states(model, spec.layer, h, bn * t, &scratch);   // [bn·t, d]
    for (std::size_t i = 0; i < bn; ++i) {
      if (!known[i]) {
        ++st.empty;
        st.empty_rows.push_back(s0 + i);
        continue;
      }
      pool_states(h + i * t * d, ids[i], d, spec, vocab.unk, out.row(s0 + i));
    }
    if (progress) progress(s0 + bn, sentences.size());
  }
  if (stats) *stats = st;
  return out;
}

common::Matrix pool_documents(Encoder& model, const EncoderVocab& vocab, const TokenIds& documents, const PoolSpec& spec,
                              std::size_t batch, const BatchProgress& progress) {
  const std::size_t d = model.config().d_model, piece = std::max<std::size_t>(1, model.config().max_len - 1);
  TokenIds pieces;
  std::vector<std::size_t> owner;
  for (std::size_t i = 0; i < documents.size(); ++i)
    for (std::size_t k = 0; k < documents[i].size(); k += piece) {
      const auto b = documents[i].begin() + static_cast<std::ptrdiff_t>(k);
      pieces.emplace_back(b, b + static_cast<std::ptrdiff_t>(std::min(piece, documents[i].size() - k)));
      owner.push_back(i);
    }
  const common::Matrix v = pool_sentences(model, vocab, pieces, spec, batch, nullptr, progress);  // [P, d]
  common::Matrix out(documents.size(), d);  // [S, d]
  std::vector<double> weight(documents.size(), 0.0);
  for (std::size_t p = 0; p < pieces.size(); ++p) {
    if (!has_known(pieces[p], vocab.unk)) continue;  // a zero vector
    // A piece's vector stands for as many states as its pooling counted.
    const auto& ids = pieces[p];
    double w = 1.0;
    if (spec.pooling == Pooling::kMean) w = static_cast<double>(ids.size() + 1);  // n tokens + [CLS]
    if (spec.pooling == Pooling::kMeanNoCls) w = static_cast<double>(ids.size());
    if (spec.pooling == Pooling::kWeighted)
      w = static_cast<double>(ids.size()) - static_cast<double>(std::count(ids.begin(), ids.end(), vocab.unk));
    for (std::size_t j = 0; j < d; ++j) out.row(owner[p])[j] += static_cast<float>(w) * v.row(p)[j];
    weight[owner[p]] += w;
  }
  for (std::size_t i = 0; i < documents.size(); ++i)
    if (weight[i] > 0)
      for (std::size_t j = 0; j < d; ++j) out.row(i)[j] = static_cast<float>(out.row(i)[j] / weight[i]);
  return out;
}

common::Matrix pool_ranges(Encoder& model, const EncoderVocab& vocab, const TokenIds& sentences,
                           const std::vector<tok::TokenRange>& ranges, std::size_t batch,
                           const BatchProgress& progress, const LayerChoice& layer) {
  if (ranges.size() != sentences.size()) throw common::InputError("pool_ranges: one token range per sentence is needed");
  check_layer_choice(model, layer);
  std::vector<float> scratch;
  const std::size_t d = model.config().d_model, most = std::max<std::size_t>(1, model.config().max_len - 1);
  common::Matrix out(sentences.size(), d);  // [S, d]
  for (std::size_t s0 = 0; s0 < sentences.size(); s0 += batch) {
    const std::size_t bn = std::min(batch, sentences.size() - s0);
    std::vector<std::vector<std::int32_t>> ids(bn);
    std::vector<tok::TokenRange> at(bn);  // in the [CLS]-first sequence
    for (std::size_t i = 0; i < bn; ++i) {
      const auto& s = sentences[s0 + i];
      const tok::TokenRange r = ranges[s0 + i];
      if (r.empty() || r.last > s.size())
        throw common::InputError("pool_ranges: tokens " + std::to_string(r.first) + ".." + std::to_string(r.last) +
                                 " are not a range of a sentence of " + std::to_string(s.size()) + " tokens");
      // Crop long sentences to a window that keeps the range near its middle.
      std::size_t from = 0;
      const std::size_t mid = r.first + (r.last - r.first) / 2;
      if (s.size() > most) from = std::min(mid > most / 2 ? mid - most / 2 : 0, s.size() - most);
      const std::size_t n = std::min(most, s.size() - from);
      ids[i] = with_cls(vocab, s, from, n);
      at[i] = {std::max(r.first, from) - from + 1, std::min(r.last, from + n) - from + 1};
    }
    std::size_t t = 0;
    const float* h = forward_padded(model, ids, vocab.pad, &t);  // [bn·t, d]
    h = chosen_states(model, layer, h, bn * t, &scratch);        // [bn·t, d]
    for (std::size_t i = 0; i < bn; ++i) {
      float* row = out.row(s0 + i);
      for (std::size_t k = at[i].first; k < at[i].last; ++k)
        for (std::size_t j = 0; j < d; ++j) row[j] += h[(i * t + k) * d + j];
      for (std::size_t j = 0; j < d; ++j) row[j] /= static_cast<float>(at[i].last - at[i].first);
    }
    if (progress) progress(s0 + bn, sentences.size());
  }
  return out;
}

TokenIds word_ids(const EncoderVocab& vocab, const std::vector<std::vector<std::string>>& sentences) {
  TokenIds out;
  out.reserve(sentences.size());
  for (const auto& words : sentences) {
    auto ids = to_ids(vocab, words);
    ids.erase(ids.begin());  // [CLS]
    out.push_back(std::move(ids));
  }
  return out;
}

TokenIds bpe_ids(const EncoderVocab& vocab, const std::vector<std::string>& texts) {
  if (!vocab.bpe) throw common::InputError("bpe_ids: the encoder was not trained on BPE tokens");
  TokenIds out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back(tok::encode_sentence(*vocab.bpe, t).ids);
  return out;
}

common::Matrix encode_sentences(Encoder& model, const EncoderVocab& vocab,
                                const std::vector<std::vector<std::string>>& sentences, const PoolSpec& spec,
                                std::size_t batch, PoolStats* stats, const BatchProgress& progress) {
  return pool_sentences(model, vocab, word_ids(vocab, sentences), spec, batch, stats, progress);
}

common::Matrix encode_documents(Encoder& model, const EncoderVocab& vocab,
                                const std::vector<std::vector<std::string>>& documents, const PoolSpec& spec,
                                std::size_t batch, const BatchProgress& progress) {
  return pool_documents(model, vocab, word_ids(vocab, documents), spec, batch, progress);
}

common::Matrix encode_tokens(Encoder& model, const EncoderVocab& vocab,
                             const std::vector<std::vector<std::string>>& sentences,
                             const std::vector<std::size_t>& positions, std::size_t batch,
                             const BatchProgress& progress, const LayerChoice& layer) {
  if (positions.size() != sentences.size())
    throw common::InputError("encode_tokens: one position per sentence is needed");
  std::vector<tok::TokenRange> ranges;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    if (positions[i] >= sentences[i].size())
      throw common::InputError("encode_tokens: position " + std::to_string(positions[i]) + " is outside a sentence of " +
                               std::to_string(sentences[i].size()) + " words");
    ranges.push_back({positions[i], positions[i] + 1});
  }
  return pool_ranges(model, vocab, word_ids(vocab, sentences), ranges, batch, progress, layer);
}

}  // namespace enc
