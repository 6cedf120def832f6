#include "encoder/pooling.h"

#include <algorithm>

#include "common/errors.h"
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
    std::size_t t = 1;
    for (std::size_t i = 0; i < bn; ++i) {
      ids[i] = to_ids(vocab, sentences[s0 + i]);
      for (std::size_t k = 1; k < ids[i].size(); ++k) known[i] = known[i] || ids[i][k] != vocab.unk;
      if (ids[i].size() > max_len) {
        ids[i].resize(max_len);
        ++st.truncated;
      }
      t = std::max(t, ids[i].size());
    }
    std::vector<std::int32_t> flat(bn * t, vocab.pad), lengths(bn);
    for (std::size_t i = 0; i < bn; ++i) {
      std::copy(ids[i].begin(), ids[i].end(), flat.begin() + static_cast<std::ptrdiff_t>(i * t));
      lengths[i] = static_cast<std::int32_t>(ids[i].size());
    }
    const float* h = model.forward(flat.data(), lengths.data(), bn, t);  // [bn·t, d]
    for (std::size_t i = 0; i < bn; ++i) {
      float* row = out.row(s0 + i);
      if (!known[i]) {
        ++st.empty;
        continue;
      }
      if (pooling == Pooling::kCls) {
        std::copy(h + i * t * d, h + (i * t + 1) * d, row);
        continue;
      }
      const auto len = static_cast<std::size_t>(lengths[i]);
      for (std::size_t k = 0; k < len; ++k)
        for (std::size_t j = 0; j < d; ++j) row[j] += h[(i * t + k) * d + j];
      for (std::size_t j = 0; j < d; ++j) row[j] /= static_cast<float>(len);
    }
  }
  if (stats) *stats = st;
  return out;
}

EncoderVocab vocab_for(const Encoder& model, const std::string& vectors_path, const std::string& model_path) {
  const auto& meta = model.extra_metadata();
  auto it = meta.find("vocab_fingerprint");
  if (it == meta.end())
    throw common::InputError(model_path + " records no vocabulary (not trained by wordlens encoder train)");
  if (meta.at("vocab_source") != "vectors")
    throw common::InputError(model_path + " was trained on BPE tokens; sentence embedding needs a model trained with --vectors");
  auto e = w2v::read_vectors(vectors_path);
  auto vocab = EncoderVocab::from_vectors(e);
  if (vocab.fingerprint != it->second || vocab.size != model.config().vocab_size)
    throw common::InputError("the vocabulary of " + vectors_path + " (" + vocab.fingerprint + ") differs from the one " +
                             model_path + " was trained with (" + it->second +
                             "): give the vectors the encoder was trained from");
  return vocab;
}

}  // namespace enc
