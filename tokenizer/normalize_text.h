// `wordlens normalize` as a library function: raw text in any language ->
// the form `train` reads (one sentence per line, tokens separated by one
// space). Streams: paragraphs (tok::ParagraphReader) are taken in blocks of
// about block_bytes, each block normalised by `threads` threads (a
// Normalizer each: UAX #29 sentences, then tokens) and written in input
// order, so the output is the same for any thread count and memory does
// not grow with the input.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/text_format.h"
#include "common/train_hooks.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/paragraph_reader.h"

namespace tok {

struct NormalizeTextOptions {
  std::string input = "-";  // a file, or "-" for standard input
  ParagraphMode paragraphs = ParagraphMode::kBlank;
  int threads = common::default_threads();
  NormalizerOptions normalizer;
  std::size_t block_bytes = 8 << 20;             // input bytes normalised in parallel at a time
  std::size_t max_paragraph = ParagraphReader::kMaxBytes;
  // OptionError: no input, threads outside 1..1024.
  void validate() const;
};

struct NormalizeTextProgress {
  std::uint64_t bytes = 0, total = 0;  // input bytes done / in all (0: unknown, a pipe)
  double seconds = 0;
  bool final = false;
};

struct NormalizeTextStats {
  std::uint64_t lines = 0, paragraphs = 0, sentences = 0, tokens = 0, bytes = 0;
  double seconds = 0;
};

// Normalises o.input into `write` (called with whole blocks of output, in
// order). Invalid UTF-8 or a NUL byte is an InputError "INPUT:LINE: byte N:
// ..." (N counted in that line); a stop request (Ctrl-C) throws
// common::Interrupted between blocks. Progress is reported after each block.
NormalizeTextStats normalize_text(const NormalizeTextOptions& o, const std::function<void(std::string_view)>& write,
                                  const common::TrainHooks<NormalizeTextProgress>& hooks = {});

}  // namespace tok
