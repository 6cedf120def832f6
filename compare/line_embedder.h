// Lines of text to sentence vectors, the same way for the lines of an index
// and for the queries searched in it: each line normalised into words by
// the normaliser the vectors and model record (or read raw, as BPE pieces,
// by an encoder trained on BPE tokens), then embedded by a SentenceEmbedder
// — in parallel over the lines where the method allows. SIF rows come
// without their component removed: the index removes the component of all
// its lines (see sentence_index.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/aligned.h"
#include "compare/sentence_embedder.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/normalizer_choice.h"

namespace cmp {

class LineEmbedder {
 public:
  // Loads the vectors / model (SentenceEmbedder; sif_remove_component is
  // turned off).
  explicit LineEmbedder(SentenceEmbedderOptions opt);

  // The normaliser: what the files record, else the request
  // (enc::sentence_normalizer); none for an encoder of BPE tokens, which
  // reads raw text (a given normalisation option is then an OptionError).
  void choose_normalizer(const tok::NormalizerRequest& request);
  // The normaliser an index recorded (its spec; none = raw text). InputError
  // if that does not suit the loaded model (raw text for a word-level one or
  // the reverse).
  void use_normalizer(const std::optional<std::string>& spec, const std::string& where);
  // The spec of the normaliser in use; none for raw text.
  std::optional<std::string> normalizer_spec() const;

  // One row per line: out[lines, dim]. first_line: the 1-based number of
  // lines[0] in `where`, for errors (invalid UTF-8: "WHERE:LINE: byte N: ...").
  // Statistics are added to *stats.
  common::Matrix embed(const std::vector<std::string>& lines, std::size_t first_line, const std::string& where,
                       EmbedStats* stats);
  bool reads_raw_text() const { return embedder_.reads_raw_text(); }

 private:
  std::vector<std::vector<std::string>> tokens(const std::vector<std::string>& lines, std::size_t first_line,
                                               const std::string& where);
  common::Matrix embed_words(const std::vector<std::vector<std::string>>& sentences, EmbedStats* stats);

  SentenceEmbedderOptions opt_;
  SentenceEmbedder embedder_;
  std::optional<tok::NormalizerOptions> normalizer_;
  std::vector<tok::Normalizer> per_thread_;  // [threads] copies of the normaliser
};

// Scales every non-zero row of x to unit length (zero rows stay zero).
void normalize_rows(common::Matrix& x);

}  // namespace cmp
