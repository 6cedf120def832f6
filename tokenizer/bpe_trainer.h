// Learns a byte-level BPE model: counts the pieces of the input (in
// parallel over line-aligned ranges), then repeatedly merges the most
// frequent adjacent pair within the distinct pieces — with incremental pair
// counts and a priority queue, never a full recount. Ties go to the pair
// with the smaller (left id, right id), so the model depends only on the input.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/text_format.h"
#include "tokenizer/bpe_model.h"

namespace tok {

struct BpeTrainOptions {
  std::vector<std::string> inputs;  // files, directories, or "-"
  std::size_t vocab_size = 16000;
  std::uint64_t min_frequency = 2;  // pairs seen fewer times are never merged
  std::vector<std::string> specials = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  int threads = common::default_threads();
  void validate() const;  // OptionError
};

struct BpeTrainStats {
  std::uint64_t bytes = 0;         // text bytes, newlines excluded
  std::uint64_t lines = 0;
  std::uint64_t words = 0;         // pieces that contain a non-space byte
  std::uint64_t pieces = 0;
  std::uint64_t distinct_pieces = 0;
  std::uint64_t tokens = 0;        // tokens of the training text under the final model
  double count_seconds = 0, merge_seconds = 0;
};

// Counted distinct pieces (the input of the merge loop), exposed for tests.
struct PieceCounts {
  std::vector<std::string> pieces;
  std::vector<std::uint64_t> counts;
};
PieceCounts count_pieces(const std::vector<std::string>& inputs, int threads, BpeTrainStats* stats);
// The same over text in memory (lines separated by '\n'), split at line
// starts over `threads` threads; the same counts as the text read from a file.
PieceCounts count_pieces_in_text(std::string_view text, int threads, BpeTrainStats* stats);

// The merge loop over counted pieces. progress(merges_done, target) is
// called now and then.
BpeModel learn_bpe(const PieceCounts& counts, const BpeTrainOptions& opt, BpeTrainStats* stats,
                   const std::function<void(std::size_t, std::size_t)>& progress = {});

BpeModel train_bpe(const BpeTrainOptions& opt, BpeTrainStats* stats,
                   const std::function<void(std::size_t, std::size_t)>& progress = {});

// How a trained model splits words of falling frequency: for each rank in
// `ranks`, the first piece from that rank on (within 50) with at least 5
// bytes, as (1-based rank, piece, its tokens joined by spaces), in the
// readable form (readable_token.h).
struct SampleSegmentation {
  std::size_t rank;
  std::string piece, tokens;
};
std::vector<SampleSegmentation> sample_segmentations(const PieceCounts& counts, const BpeModel& model,
                                                     const std::vector<std::size_t>& ranks);

}  // namespace tok
