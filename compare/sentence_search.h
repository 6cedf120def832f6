// Searching a sentence index (`wordlens search`): the index's rows, the
// vectors or model it was built with (their fingerprints checked, so a
// query is never embedded by another model than the lines were), the query
// embedded exactly as the lines were (same normaliser, SIF component
// removed), and the exact top k by cosine (w2v::nearest_rows: BLAS, or the
// fp16 scan then float32 rescoring). Lines that had no known token never
// match. The text of a hit is read from the source file at its offset; a
// source that changed since the index was built is refused.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/aligned.h"
#include "common/top_k.h"
#include "compare/line_embedder.h"
#include "compare/sentence_index.h"
#include "word2vec/half_matrix.h"

namespace cmp {

// Files to use instead of the ones the index names (moved since); each must
// have the recorded fingerprint. Empty: the index's.
struct SearchFiles {
  std::string vectors, vocab, model, tokenizer, source;
  int threads = 2;
};

class SentenceSearch {
 public:
  // Reads the index (FormatError), checks the source and the files
  // (InputError naming both fingerprints), loads the vectors / model.
  SentenceSearch(const std::string& index_path, const SearchFiles& files);
  ~SentenceSearch();
  SentenceSearch(const SentenceSearch&) = delete;
  SentenceSearch& operator=(const SentenceSearch&) = delete;

  // The query as a unit vector q[ld] (SIF: the index's component removed);
  // false when it has no known token (q is then zero).
  bool embed_query(const std::string& query, common::AlignedFloats* q);
  // The best k lines for the unit query q[ld], row ids (0-based lines), highest cosine first.
  std::vector<common::Hit> nearest(const float* q, std::size_t k) const;
  // Reference twin of nearest(): plain loops over the same rows.
  std::vector<common::Hit> nearest_ref(const float* q, std::size_t k) const;
  // The text of line `row` (0-based) without its line end.
  std::string line(std::int32_t row) const;

  const SentenceIndexMeta& meta() const { return index_.meta; }
  const std::string& path() const { return path_; }
  std::size_t ld() const { return index_.unit.ld(); }

 private:
  std::string path_, source_;
  SentenceIndex index_;
  w2v::HalfMatrix half_;  // fp16 copy for the fast scan (large indexes)
  std::unique_ptr<LineEmbedder> embedder_;
  int fd_ = -1;  // the source, for pread
};

// The file to load for `recorded` (the override if given): InputError if
// its fingerprint differs from the recorded one, naming both; OptionError
// for an override of a file the index did not use. `what` names the option
// ("--model").
std::string checked_file(const FileRef& recorded, const std::string& override_path, const std::string& what,
                         const std::string& index_path);

}  // namespace cmp
