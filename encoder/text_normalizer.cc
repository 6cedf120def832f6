#include "encoder/text_normalizer.h"

#include <vector>

#include "common/errors.h"
#include "encoder/safetensors.h"
#include "word2vec/vectors_record.h"

namespace enc {

tok::NormalizerRecord model_normalizer_record(const std::map<std::string, std::string>& metadata, const std::string& model_path) {
  tok::NormalizerRecord r{model_path, std::nullopt};
  const auto it = metadata.find(kNormalizerKey);
  if (it != metadata.end()) r.options = tok::NormalizerOptions::from_spec(it->second, model_path + ": metadata 'normalizer'");
  return r;
}

tok::NormalizerRecord model_normalizer_record(const std::string& model_path) {
  return model_normalizer_record(read_safetensors_metadata(model_path), model_path);
}

std::optional<tok::NormalizerOptions> query_normalizer(const tok::NormalizerRequest& request, const std::string& vectors_path,
                                                       const std::string& model_path) {
  const auto vectors = vectors_path.empty() ? std::nullopt : w2v::read_vectors_record(vectors_path);
  if (vectors && vectors->bpe()) {
    if (!request.given.empty())
      throw common::OptionError(request.given[0] + ": " + vectors_path + " holds the tokens of the BPE model " + vectors->bpe_model +
                                ", which are looked up as given, not normalised");
    return std::nullopt;
  }
  std::vector<tok::NormalizerRecord> records;
  if (!model_path.empty()) records.push_back(model_normalizer_record(model_path));
  if (vectors) records.push_back(vectors->normalizer_record(w2v::record_path(vectors_path)));
  return tok::choose_normalizer(request, records);
}

tok::NormalizerOptions sentence_normalizer(const tok::NormalizerRequest& request, const std::string& vectors_path,
                                           const std::string& model_path) {
  const auto n = query_normalizer(request, vectors_path, model_path);
  if (!n)
    throw common::OptionError(vectors_path + " holds BPE tokens (see " + w2v::record_path(vectors_path) +
                              "): sentences are normalised into words, give word vectors (train without --tokenizer)");
  return *n;
}

}  // namespace enc
