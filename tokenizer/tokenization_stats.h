// The lecture's tokenisation trade-off in numbers: one text cut into
// characters (Unicode code points: a few hundred symbols, but many tokens per
// sentence), into normalised words (few tokens, a vocabulary of every word
// form, and out-of-vocabulary words) and into byte-level BPE tokens of
// several vocabulary sizes (in between, never out of vocabulary). For each:
// the vocabulary size, tokens per sentence, the out-of-vocabulary rate on
// held-out lines, the attention cost Σ T² (self-attention is quadratic in
// the sequence length T) and the embedding table a model of that vocabulary
// needs (vocabulary × d).
//
// Sentences are the non-blank lines (a line of ASCII whitespace only is
// blank). The last `held_out` fraction of them is held out: vocabularies
// (and BPE merges) come from the lines before, every per-sentence number
// from the held-out lines (from the training lines when held_out is 0).
// No [CLS] or other special token is counted in T.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/work_progress.h"
#include "tokenizer/normalizer.h"

namespace tok {

struct TokenizationOptions {
  double held_out = 0.1;                           // the last fraction of the sentences, in [0, 0.9]
  std::size_t min_count = 5;                       // words seen fewer times in training are out of vocabulary
  std::vector<std::size_t> bpe_sizes = {1000, 4000, 16000};  // BPE vocabulary sizes (5 specials + 256 bytes + merges)
  std::size_t dim = 256;                           // embedding dimension d of the table vocab × d
  int threads = 2;
  NormalizerOptions normalizer;                    // for the word level
  void validate() const;                           // OptionError naming the option
};

enum class TokenScheme { kCharacters, kWords, kBpe };
std::string_view to_string(TokenScheme s);  // "characters", "words", "bpe"

// Lengths T of the evaluated sentences, summarised.
struct LengthStats {
  std::size_t sentences = 0;
  std::uint64_t tokens = 0;  // Σ T
  double mean = 0;
  std::size_t p50 = 0;       // the lower median
  std::size_t max = 0;
  double sum_sq = 0;         // Σ T² (exact below 2^53)
  double sum_sq_per_sentence() const { return sentences ? sum_sq / static_cast<double>(sentences) : 0.0; }
  static LengthStats of(std::vector<std::uint32_t> lengths);
};

struct SchemeStats {
  TokenScheme scheme = TokenScheme::kCharacters;
  std::size_t requested_size = 0;  // BPE: the asked vocabulary size (fewer when merges ran out)
  std::size_t vocab_size = 0;      // characters: distinct code points; words: >= min_count; BPE: model size
  LengthStats lengths;             // of the evaluated sentences
  std::uint64_t oov = 0;           // evaluated tokens outside the vocabulary (BPE: 0 by construction)
  double oov_rate() const { return lengths.tokens ? static_cast<double>(oov) / static_cast<double>(lengths.tokens) : 0.0; }
  // "characters", "words", "bpe 16000" (the requested size).
  std::string label() const;
};

struct TokenizationReport {
  std::uint64_t bytes = 0;
  std::size_t lines = 0, blank_lines = 0;      // all lines; blank ones are skipped
  std::size_t train_sentences = 0, held_out_sentences = 0;
  double held_out_fraction = 0;
  std::size_t min_count = 0, dim = 0;
  std::vector<SchemeStats> schemes;            // characters, words, then BPE by requested size
  // The sentences every per-sentence number describes: held out, or the
  // training ones when nothing is held out.
  std::size_t evaluated() const { return held_out_sentences ? held_out_sentences : train_sentences; }
};

// Progress phases: "reading" (sentences), "bpe N" (merges), "encoding"
// (sentences), reported now and then from the calling thread.
using TokenizationProgress = common::WorkProgressFn;

// Text in memory, lines separated by '\n' (a '\r' before it is dropped);
// `name` names it in errors. InputError "NAME:LINE: byte N: invalid UTF-8
// ..." for a bad line (checked before any work), InputError when there are
// fewer than 2 sentences to split (or none at all).
TokenizationReport compare_tokenizations(std::string_view text, const std::string& name, const TokenizationOptions& opt,
                                         const TokenizationProgress& progress = {});

// The same for a file, read whole (InputError naming it when it cannot be read).
TokenizationReport compare_tokenizations_file(const std::string& path, const TokenizationOptions& opt,
                                              const TokenizationProgress& progress = {});

}  // namespace tok
