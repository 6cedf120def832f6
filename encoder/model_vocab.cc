#include "encoder/model_vocab.h"

#include <memory>

#include "common/errors.h"

namespace enc {

namespace {

const std::string* meta_value(const Encoder& model, const std::string& key) {
  const auto& meta = model.extra_metadata();
  const auto it = meta.find(key);
  return it == meta.end() ? nullptr : &it->second;
}

// The vocabulary fingerprint the encoder records; InputError without one.
const std::string& recorded_fingerprint(const Encoder& model, const std::string& model_path) {
  const std::string* fp = meta_value(model, "vocab_fingerprint");
  if (!fp) throw common::InputError(model_path + " records no vocabulary (not trained by wordlens encoder train)");
  return *fp;
}

// The BPE model embedded in the metadata, or null for an encoder written before models were embedded.
std::shared_ptr<const tok::BpeModel> embedded_bpe(const Encoder& model, const std::string& model_path) {
  const std::string* text = meta_value(model, kBpeModelKey);
  if (!text) return nullptr;
  const std::string where = model_path + " (its embedded BPE model)";
  auto bpe = std::make_shared<const tok::BpeModel>(tok::BpeModel::from_text(*text, where));
  const std::string* fp = meta_value(model, kBpeFingerprintKey);
  if (!fp || *fp != bpe->fingerprint())
    throw common::FormatError(where + ": fingerprint " + (fp ? "'" + *fp + "'" : "missing") + " does not match the model (" +
                              bpe->fingerprint() + "): the weights file is damaged");
  return bpe;
}

}  // namespace

bool trained_on_bpe(const Encoder& model) {
  const std::string* source = meta_value(model, "vocab_source");
  return source && *source == "bpe";
}

void embed_bpe_model(Encoder& model, const tok::BpeModel& bpe) {
  model.extra_metadata()[kBpeModelKey] = bpe.to_text();
  model.extra_metadata()[kBpeFingerprintKey] = bpe.fingerprint();
}

EncoderVocab vocab_for(const Encoder& model, const std::string& vectors_path, const std::string& model_path) {
  return vocab_for(model, w2v::read_vectors(vectors_path), vectors_path, model_path);
}

EncoderVocab vocab_for(const Encoder& model, const w2v::Embeddings& e, const std::string& vectors_path,
                       const std::string& model_path) {
  const std::string& fp = recorded_fingerprint(model, model_path);
  if (trained_on_bpe(model))
    throw common::InputError(model_path + " was trained on BPE tokens: it carries its own vocabulary, leave out --vectors");
  auto vocab = EncoderVocab::from_vectors(e);
  if (vocab.fingerprint != fp || vocab.size != model.config().vocab_size)
    throw common::InputError("the vocabulary of " + vectors_path + " (" + vocab.fingerprint + ") differs from the one " +
                             model_path + " was trained with (" + fp + "): give the vectors the encoder was trained from");
  return vocab;
}

EncoderVocab bpe_vocab_for(const Encoder& model, const std::string& model_path, const std::string& tokenizer_path) {
  const std::string& fp = recorded_fingerprint(model, model_path);
  if (!trained_on_bpe(model))
    throw common::InputError(model_path + " was trained from Word2Vec vectors, not BPE tokens: give --vectors");
  auto bpe = embedded_bpe(model, model_path);
  if (!tokenizer_path.empty()) {
    auto given = std::make_shared<const tok::BpeModel>(tok::BpeModel::load(tokenizer_path));
    if (bpe && given->fingerprint() != bpe->fingerprint())
      throw common::OptionError("--tokenizer " + tokenizer_path + " (" + given->fingerprint() + ") is not the BPE model " +
                                model_path + " was trained with (" + bpe->fingerprint() +
                                ", stored in the weights): leave out --tokenizer");
    if (!bpe) bpe = std::move(given);
  }
  if (!bpe)
    throw common::InputError(model_path + " does not store its BPE model (written by an older wordlens): give --tokenizer MODEL.bpe");
  auto vocab = EncoderVocab::from_bpe(std::move(bpe));
  if (vocab.fingerprint != fp || vocab.size != model.config().vocab_size)
    throw common::InputError("the BPE model " + (tokenizer_path.empty() ? model_path : tokenizer_path) + " (" +
                             vocab.fingerprint + ") is not the one " + model_path + " was trained with (" + fp + ")");
  return vocab;
}

EncoderVocab query_vocab(const Encoder& model, const std::string& model_path, const std::string& vectors_path,
                         const std::string& tokenizer_path, w2v::Embeddings* vectors) {
  if (trained_on_bpe(model)) {
    if (!vectors_path.empty())
      throw common::OptionError("--vectors: " + model_path +
                                " was trained on BPE tokens and carries its own vocabulary; leave out --vectors");
    return bpe_vocab_for(model, model_path, tokenizer_path);
  }
  if (!tokenizer_path.empty())
    throw common::OptionError("--tokenizer: " + model_path + " was trained from Word2Vec vectors, not BPE tokens");
  if (vectors_path.empty())
    throw common::OptionError("--vectors is required: " + model_path + " was trained from Word2Vec vectors (its vocabulary)");
  w2v::Embeddings e = w2v::read_vectors(vectors_path);
  auto vocab = vocab_for(model, e, vectors_path, model_path);
  if (vectors) *vectors = std::move(e);
  return vocab;
}

}  // namespace enc
