// The word vocabulary: counted from a corpus (or read from a word2vec.c
// vocabulary file), sorted by frequency with "</s>" (the end-of-line token)
// first, filtered by min-count and optionally cut to the N most frequent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/bpe_model.h"
#include "tokenizer/normalizer.h"
#include "common/corpus_files.h"
#include "tokenizer/word_table.h"

namespace w2v {

inline constexpr std::string_view kEos = "</s>";

struct VocabOptions {
  std::int64_t min_count = 5;
  std::int64_t max_vocab = 0;  // 0 = no limit; else keep this many entries (including </s>)
  int threads = 1;             // threads used to count
  const tok::BpeModel* tokenizer = nullptr;  // count BPE tokens instead of whitespace words
  const tok::NormalizerOptions* normalize = nullptr;  // or count the normalised tokens of raw text
  // Under mpirun: each rank counts its share of the corpus, rank 0 merges the
  // counts and filters, and every rank receives the same vocabulary (equal
  // to the one a single process counts).
  bool across_ranks = false;
};

// What happened while building, for the user.
struct VocabStats {
  std::uint64_t tokens = 0;         // tokens read (not counting </s>)
  std::uint64_t distinct = 0;       // distinct tokens before filtering
  std::uint64_t below_min = 0;      // distinct words dropped by min-count
  std::uint64_t cut_by_max = 0;     // distinct words dropped by max-vocab
};

class Vocab {
 public:
  // Counts words of the whole corpus (multi-threaded). Throws InputError if
  // the corpus has no words, or no word reaches min_count.
  static Vocab build(const common::CorpusFiles& corpus, const VocabOptions& opt, VocabStats* stats = nullptr);
  // Reads "word count" lines (word2vec.c -save-vocab format). Throws
  // InputError/FormatError. min_count/max_vocab are applied as in build().
  static Vocab read(const std::string& path, const VocabOptions& opt, VocabStats* stats = nullptr);
  // From explicit (word, count) pairs, already in the desired order; used
  // by checkpoints and tests. No filtering.
  static Vocab from_entries(std::vector<std::pair<std::string, std::uint64_t>> entries);

  // Writes "word count" lines, atomically.
  void save(const std::string& path) const;

  std::size_t size() const { return counts_.size(); }
  std::int32_t find(std::string_view w) const { return table_.find(w); }
  std::string_view word(std::size_t id) const { return table_.word(id); }
  std::uint64_t count(std::size_t id) const { return counts_[id]; }
  const std::vector<std::uint64_t>& counts() const { return counts_; }
  // Sum of all counts, including </s>: word2vec.c's train_words.
  std::uint64_t train_words() const { return train_words_; }

 private:
  static Vocab finish(std::vector<std::pair<std::string, std::uint64_t>> entries, std::uint64_t eos_count,
                      const VocabOptions& opt, VocabStats* stats, const std::string& source);
  tok::WordTable table_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t train_words_ = 0;
};

}  // namespace w2v
