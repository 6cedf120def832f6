// Building a sentence index (`wordlens index`): every line of a text file
// embedded once, streaming in chunks of lines (the text is never held
// whole), rows scaled to unit length and written as they come, with the
// byte offset of every line. For SIF the weighted rows go to a scratch file
// first: the first principal component of all the lines (accumulated as
// xᵀx while streaming) is removed from each row, and stored in the index so
// that queries lose it too.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "compare/sentence_embedder.h"
#include "compare/sentence_index.h"
#include "tokenizer/normalizer_choice.h"

namespace cmp {

struct IndexBuildOptions {
  std::string input, output;
  SentenceEmbedderOptions embed;
  tok::NormalizerRequest normalizer;  // the command line's options (the files' records win)
  IndexDtype dtype = IndexDtype::kF32;
  std::size_t chunk_lines = 65536;
  // OptionError for missing paths, a zero chunk, or embed's own problems.
  void validate() const;
};

struct IndexBuildStats {
  std::size_t lines = 0, empty = 0;  // empty: no known token (zero rows, never found)
  std::size_t tokens = 0, known = 0, truncated = 0;
  std::uint64_t bytes = 0;
  std::size_t dim = 0;
  std::optional<std::string> normalizer;  // the spec used; none: raw text
};

// done and total input bytes, after every chunk.
using IndexProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// Throws InputError (unreadable or empty input, invalid UTF-8 naming the
// line, an input that changed while it was read), OptionError, IoError; the
// output is written atomically (nothing is left on failure).
IndexBuildStats build_sentence_index(const IndexBuildOptions& opt, const IndexProgress& progress);

}  // namespace cmp
