#include "encoder/pooling.h"

#include <algorithm>

#include "common/errors.h"
#include "encoder/batched_forward.h"
#include "word2vec/vectors_io.h"

namespace enc {

common::Matrix encode_sentences(Encoder& model, const EncoderVocab& vocab,
                                const std::vector<std::vector<std::string>>& sentences, Pooling pooling,
                                std::size_t batch, PoolStats* stats) {
  const std::size_t d = model.config().d_model, max_len = model.config().max_len;
  common::Matrix out(sentences.size(), d);  // [S, d]
  PoolStats st;
  st.sentences = sentences.size();
  for (std::size_t s0 = 0; s0 < sentences.size(); s0 += batch) {
    const std::size_t bn = std::min(batch, sentences.size() - s0);
    std::vector<std::vector<std::int32_t>> ids(bn);
    std::vector<bool> known(bn, false);
    for (std::size_t i = 0; i < bn; ++i) {
      ids[i] = to_ids(vocab, sentences[s0 + i]);
      for (std::size_t k = 1; k < ids[i].size(); ++k) known[i] = known[i] || ids[i][k] != vocab.unk;
      if (ids[i].size() > max_len) {
        ids[i].resize(max_len);
        ++st.truncated;
      }
    }
    std::size_t t = 0;
    const float* h = forward_padded(model, ids, vocab.pad, &t);  // [bn·t, d]
    for (std::size_t i = 0; i < bn; ++i) {
      float* row = out.row(s0 + i);
      if (!known[i]) {
        ++st.empty;
        st.empty_rows.push_back(s0 + i);
        continue;
      }
      if (pooling == Pooling::kCls) {
        std::copy(h + i * t * d, h + (i * t + 1) * d, row);
        continue;
      }
      const std::size_t len = ids[i].size();
      for (std::size_t k = 0; k < len; ++k)
        for (std::size_t j = 0; j < d; ++j) row[j] += h[(i * t + k) * d + j];
      for (std::size_t j = 0; j < d; ++j) row[j] /= static_cast<float>(len);
    }
  }
  if (stats) *stats = st;
  return out;
}

common::Matrix encode_documents(Encoder& model, const EncoderVocab& vocab,
                                const std::vector<std::vector<std::string>>& documents, Pooling pooling,
                                std::size_t batch) {
  const std::size_t d = model.config().d_model, piece = std::max<std::size_t>(1, model.config().max_len - 1);
  std::vector<std::vector<std::string>> pieces;
  std::vector<std::size_t> owner;
  for (std::size_t i = 0; i < documents.size(); ++i)
    for (std::size_t k = 0; k < documents[i].size(); k += piece) {
      const auto b = documents[i].begin() + static_cast<std::ptrdiff_t>(k);
      pieces.emplace_back(b, b + static_cast<std::ptrdiff_t>(std::min(piece, documents[i].size() - k)));
      owner.push_back(i);
    }
  const common::Matrix v = encode_sentences(model, vocab, pieces, pooling, batch, nullptr);  // [P, d]
  common::Matrix out(documents.size(), d);  // [S, d]
  std::vector<double> weight(documents.size(), 0.0);
  for (std::size_t p = 0; p < pieces.size(); ++p) {
    // A mean over n words + [CLS] stands for n + 1 states.
    const double w = pooling == Pooling::kMean ? static_cast<double>(pieces[p].size() + 1) : 1.0;
    bool zero = true;
    for (std::size_t j = 0; j < d && zero; ++j) zero = v.row(p)[j] == 0.f;
    if (zero) continue;  // no known word in this piece
    for (std::size_t j = 0; j < d; ++j) out.row(owner[p])[j] += static_cast<float>(w) * v.row(p)[j];
    weight[owner[p]] += w;
  }
  for (std::size_t i = 0; i < documents.size(); ++i)
    if (weight[i] > 0)
      for (std::size_t j = 0; j < d; ++j) out.row(i)[j] = static_cast<float>(out.row(i)[j] / weight[i]);
  return out;
}

common::Matrix encode_tokens(Encoder& model, const EncoderVocab& vocab,
                             const std::vector<std::vector<std::string>>& sentences,
                             const std::vector<std::size_t>& positions, std::size_t batch) {
  if (positions.size() != sentences.size())
    throw common::InputError("encode_tokens: one position per sentence is needed");
  const std::size_t d = model.config().d_model, words_max = std::max<std::size_t>(1, model.config().max_len - 1);
  common::Matrix out(sentences.size(), d);  // [S, d]
  for (std::size_t s0 = 0; s0 < sentences.size(); s0 += batch) {
    const std::size_t bn = std::min(batch, sentences.size() - s0);
    std::vector<std::vector<std::int32_t>> ids(bn);
    std::vector<std::size_t> at(bn);
    for (std::size_t i = 0; i < bn; ++i) {
      const auto& words = sentences[s0 + i];
      const std::size_t pos = positions[s0 + i];
      if (pos >= words.size())
        throw common::InputError("encode_tokens: position " + std::to_string(pos) + " is outside a sentence of " +
                                 std::to_string(words.size()) + " words");
      // Crop long sentences to a window that keeps the word near its middle.
      std::size_t from = 0;
      if (words.size() > words_max) from = std::min(pos > words_max / 2 ? pos - words_max / 2 : 0, words.size() - words_max);
      const auto b = words.begin() + static_cast<std::ptrdiff_t>(from);
      std::vector<std::string> crop(b, b + static_cast<std::ptrdiff_t>(std::min(words_max, words.size() - from)));
      ids[i] = to_ids(vocab, crop);  // [CLS] w...
      at[i] = pos - from + 1;
    }
    std::size_t t = 0;
    const float* h = forward_padded(model, ids, vocab.pad, &t);  // [bn·t, d]
    for (std::size_t i = 0; i < bn; ++i) std::copy(h + (i * t + at[i]) * d, h + (i * t + at[i] + 1) * d, out.row(s0 + i));
  }
  return out;
}

EncoderVocab vocab_for(const Encoder& model, const std::string& vectors_path, const std::string& model_path) {
  return vocab_for(model, w2v::read_vectors(vectors_path), vectors_path, model_path);
}

EncoderVocab vocab_for(const Encoder& model, const w2v::Embeddings& e, const std::string& vectors_path,
                       const std::string& model_path) {
  const auto& meta = model.extra_metadata();
  auto it = meta.find("vocab_fingerprint");
  if (it == meta.end())
    throw common::InputError(model_path + " records no vocabulary (not trained by wordlens encoder train)");
  if (meta.at("vocab_source") != "vectors")
    throw common::InputError(model_path + " was trained on BPE tokens; sentence embedding needs a model trained with --vectors");
  auto vocab = EncoderVocab::from_vectors(e);
  if (vocab.fingerprint != it->second || vocab.size != model.config().vocab_size)
    throw common::InputError("the vocabulary of " + vectors_path + " (" + vocab.fingerprint + ") differs from the one " +
                             model_path + " was trained with (" + it->second +
                             "): give the vectors the encoder was trained from");
  return vocab;
}

}  // namespace enc
