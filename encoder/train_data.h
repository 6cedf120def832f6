// The encoder's training data: the corpus read with the same reader as
// Word2Vec training (whitespace words looked up in the vectors' vocabulary,
// or BPE tokens), each line one sequence [CLS] w1 w2 ..., long lines split
// into pieces of at most max_len tokens (counted, never silently dropped).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tokenizer/bpe_model.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/word_table.h"
#include "word2vec/vectors_io.h"

namespace enc {

// Token ids of the encoder vocabulary. With Word2Vec vectors, ids 0..V-1 are
// the vectors' rows (row 0, "</s>", doubles as padding) and the specials
// follow; with a BPE model its own ids (and its [PAD]/[UNK]/[CLS]/[MASK]).
struct EncoderVocab {
  std::size_t size = 0;
  std::int32_t pad = 0, unk = -1, cls = -1, mask = -1;
  std::int32_t first_regular = 0;  // random replacements are drawn from [first_regular, size)
  std::string source;              // "vectors" or "bpe"
  std::string fingerprint;         // identifies the word list (checked by embed/compare)
  std::vector<std::string> words;  // id -> word (shown form for BPE)
  tok::WordTable index;         // word -> id, built once
  std::shared_ptr<const tok::BpeModel> bpe;  // the BPE model (source "bpe")
  static EncoderVocab from_vectors(const w2v::Embeddings& e);
  static EncoderVocab from_bpe(std::shared_ptr<const tok::BpeModel> m);
  std::map<std::string, std::string> to_metadata() const;
  bool is_bpe() const { return bpe != nullptr; }
  // The token as printed for a reader: the word, or a BPE token's readable form.
  const std::string& display(std::int32_t id) const {
    return bpe ? bpe->token_readable(static_cast<std::size_t>(id)) : words[static_cast<std::size_t>(id)];
  }
};

struct Sequences {
  std::vector<std::int32_t> tokens;   // all sequences back to back
  std::vector<std::size_t> offsets;   // [n + 1]
  std::size_t size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  std::size_t length(std::size_t i) const { return offsets[i + 1] - offsets[i]; }
  const std::int32_t* data(std::size_t i) const { return tokens.data() + offsets[i]; }
};

struct DataStats {
  std::size_t lines = 0, sequences = 0, splits = 0, tokens = 0, unknown = 0;
  std::string corpus_fingerprint;  // CorpusFiles::fingerprint() of the input (checked on resume)
};

// Reads the corpus (files, directories, -) into sequences of at most max_len
// ids, each starting with [CLS]. Empty lines are skipped.
// With normalize, each line's words go through that normaliser first.
Sequences read_sequences(const std::vector<std::string>& corpus, const EncoderVocab& vocab,
                         const tok::BpeModel* bpe, std::size_t max_len, DataStats* stats,
                         const tok::NormalizerOptions* normalize = nullptr);

// Ids of one raw, already normalised token list (for embed / compare).
std::vector<std::int32_t> to_ids(const EncoderVocab& vocab, const std::vector<std::string>& words);

}  // namespace enc
