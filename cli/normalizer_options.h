// The normalisation options, declared once and spelled the same in every
// command that normalises text (normalize, train --normalize, encoder train,
// embed, compare, similar, analogy, attention, context, ffn): --case
// lower|fold|keep, --keep-accents, --yo-to-e, --keep-hyphens.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "tokenizer/normalizer.h"
#include "tokenizer/normalizer_choice.h"

namespace cli {

struct NormalizerFlags {
  std::string case_mode = "lower";  // parsed by normalizer_options()
  bool keep_accents = false, yo_to_e = false, keep_hyphens = false;
};

// Adds the four options (a titled group of their own in --help).
void add_normalizer_options(boost::program_options::options_description& desc, NormalizerFlags& f);

// The options as given, defaults for the rest. OptionError for a bad --case.
tok::NormalizerOptions normalizer_options(const NormalizerFlags& f);

// The options and which of them the command line gave ("--case", ...).
tok::NormalizerRequest normalizer_request(const NormalizerFlags& f, const boost::program_options::variables_map& vm);

}  // namespace cli
