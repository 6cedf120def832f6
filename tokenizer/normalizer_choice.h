// Which normaliser a command uses for its queries and sentences: what its
// model files record — the encoder's metadata, the vectors' record beside
// them — and the normalisation options given on its command line. A file
// that records nothing (word2vec.c vectors, older models) leaves the choice
// to the options (and their defaults); two files that record different
// normalisers, or a given option that differs from a recorded one, is an
// OptionError naming both specs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tokenizer/normalizer.h"

namespace tok {

// The normalisation options of a command line and which of them were
// given there ("--case", "--yo-to-e", ...); the others hold defaults.
struct NormalizerRequest {
  NormalizerOptions options;
  std::vector<std::string> given;
};

// What one file records.
struct NormalizerRecord {
  std::string source;                        // the file, for messages
  std::optional<NormalizerOptions> options;  // none: the file records no normaliser
};

// records in order of precedence (the model's, then the vectors'). The
// recorded normaliser when there is one (every given option must agree with
// it), else the request's options.
NormalizerOptions choose_normalizer(const NormalizerRequest& request, const std::vector<NormalizerRecord>& records);

// The option a --flag of the request sets, as it appears in a spec
// ("--case fold" -> "case=fold"), for messages.
std::string given_value(const NormalizerOptions& o, const std::string& flag);

}  // namespace tok
