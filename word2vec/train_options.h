// Options of `wordlens train`: word2vec.c's flags with its names, meanings
// and defaults, plus wordlens' additions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/text_format.h"
#include "tokenizer/normalizer.h"

namespace w2v {

// How windows are trained: pair = word2vec.c's updates (skip-gram: one per
// (context, centre) pair with its own negatives; CBOW: one per window);
// batch = small matrix updates: skip-gram one per centre word whose contexts
// share the negatives and the Huffman path (pWord2Vec), CBOW one per
// CbowBatchKernel::kWindows neighbouring windows sharing the negatives.
enum class Update { kPair, kBatch };
std::string_view to_string(Update u);
// Throws common::OptionError naming `what` and the valid spellings.
Update parse_update(std::string_view text, std::string_view what);
std::string valid_updates();

struct TrainOptions {
  // word2vec.c flags (same defaults).
  std::vector<std::string> train;  // files, directories, or "-" for stdin
  std::string output;
  int size = 100;
  int window = 5;
  double sample = 1e-3;
  int hs = 0;
  int negative = 5;
  int threads = common::default_threads();
  int iter = 5;
  std::int64_t min_count = 5;
  std::optional<double> alpha;  // unset: 0.05 for CBOW, 0.025 for skip-gram
  int cbow = 1;
  int binary = 0;
  std::string save_vocab;
  std::string read_vocab;
  // wordlens additions.
  std::uint64_t seed = 1;
  std::int64_t max_vocab = 0;      // keep the N most frequent entries (0 = all)
  bool deterministic = false;      // bit-identical results for seed and thread count
  std::uint64_t checkpoint_every = 0;  // words between checkpoints (0 = off)
  std::string checkpoint;          // checkpoint path (default: OUTPUT.ckpt)
  bool resume = false;             // continue from the checkpoint
  std::string tokenizer;           // BPE model: train over its tokens instead of whitespace words
  bool normalize = false;          // normalise raw text on the fly (tok::NormalizingReader)
  tok::NormalizerOptions normalizer;  // how, with normalize
  Update update = Update::kPair;   // batch: not for CBOW with -hs
  std::int64_t cache_mib = 256;     // memory for the corpus as word ids, replayed from the 2nd epoch (0 = off)
  // -hs 1 with --update batch and 2+ Hogwild threads: the heaviest Huffman
  // nodes each thread trains in a private copy (HotRows; 0 = off).
  std::int64_t private_nodes = 256;
  // Under mpirun: words (all ranks together) between two syncs of the
  // ranks' matrices. Unused by a single process.
  std::uint64_t sync_every = 250'000;

  // The normaliser the tokens go through, or null.
  const tok::NormalizerOptions* normalizer_used() const { return normalize ? &normalizer : nullptr; }

  float starting_alpha() const { return alpha ? static_cast<float>(*alpha) : (cbow ? 0.05f : 0.025f); }
  std::string checkpoint_path() const { return checkpoint.empty() ? output + ".ckpt" : checkpoint; }
  // Throws common::OptionError with an actionable message.
  void validate() const;
};

}  // namespace w2v
