// How the text of an encoder and of its Word2Vec vectors was normalised, as
// their files record it — the model's "normalizer" metadata (written by
// `encoder train`), the vectors' record beside them (written by `train`) —
// and so how a command's queries and sentences must be normalised.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "tokenizer/normalizer.h"
#include "tokenizer/normalizer_choice.h"

namespace enc {

// The metadata key of a model's normaliser spec.
inline constexpr const char* kNormalizerKey = "normalizer";

// What a model's metadata records; FormatError for a damaged spec.
tok::NormalizerRecord model_normalizer_record(const std::map<std::string, std::string>& metadata, const std::string& model_path);
// The same, reading only the header of the weights file.
tok::NormalizerRecord model_normalizer_record(const std::string& model_path);

// The normaliser of the queries and sentences a command gives to these
// vectors (and model, if any): tok::choose_normalizer over the model's
// record, then the vectors' record, then the request. None when the vectors
// hold BPE tokens (queries are looked up as given; a normalisation option
// is then an OptionError). OptionError for disagreeing records or options.
std::optional<tok::NormalizerOptions> query_normalizer(const tok::NormalizerRequest& request, const std::string& vectors_path,
                                                       const std::string& model_path = "");

// The same for commands that normalise whole sentences into words (embed,
// compare, attention, context, ffn): vectors of BPE tokens are an
// OptionError there.
tok::NormalizerOptions sentence_normalizer(const tok::NormalizerRequest& request, const std::string& vectors_path,
                                           const std::string& model_path = "");

}  // namespace enc
