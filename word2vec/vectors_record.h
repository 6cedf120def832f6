// What a vectors file was trained from, kept in a small JSON file beside it
// (PATH.json, written atomically with the vectors by `train`):
//   {"format": "wordlens-vectors-record 1", "normalizer": SPEC or null,
//    "tokenizer": "whitespace" or "bpe", "bpe_model": PATH (bpe only),
//    "vectors_bytes": N}
// "normalizer" is the spec of `train --normalize`'s normaliser, null when
// the text was read as it was. Readers of vectors look for PATH.json: queries
// and sentences are then normalised the same way (BPE vectors hold shown BPE
// tokens: their queries are looked up as given). vectors_bytes guards
// against a record left beside a file that was replaced since (ignored with
// a warning).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tokenizer/normalizer.h"
#include "tokenizer/normalizer_choice.h"

namespace w2v {

struct VectorsRecord {
  std::optional<tok::NormalizerOptions> normalizer;  // none: the text was not normalised on the fly
  std::string bpe_model;                             // non-empty: the tokens are a BPE model's shown tokens
  std::uint64_t vectors_bytes = 0;

  bool bpe() const { return !bpe_model.empty(); }
  std::string to_json() const;
  // FormatError naming `where` for a record that is not one.
  static VectorsRecord from_json(const std::string& text, const std::string& where);
  // What the record says about normalisation, for tok::choose_normalizer.
  tok::NormalizerRecord normalizer_record(const std::string& source) const { return {source, normalizer}; }
};

// "PATH.json".
std::string record_path(const std::string& vectors_path);

// The record beside vectors_path; none when there is no PATH.json (vectors
// of word2vec.c, gensim, an older wordlens) or when it describes a file of
// another size (a warning says so). FormatError for a damaged record.
std::optional<VectorsRecord> read_vectors_record(const std::string& vectors_path);

}  // namespace w2v
