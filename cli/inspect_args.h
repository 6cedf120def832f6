// What `wordlens attention`, `context` and `ffn` share: the options naming
// an encoder and its vocabulary, loading it with the normaliser its files
// record, reading one sentence as it does, and small checks of the options.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "compare/inspect.h"
#include "compare/report_writer.h"
#include "encoder/model.h"
#include "cli/normalizer_options.h"
#include "encoder/model_vocab.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/normalizer_choice.h"
#include "word2vec/vectors_io.h"

namespace cli {

// Where the encoder and its vocabulary come from.
struct ModelArgs {
  std::string model, vectors, tokenizer;
};

// --help, the model options (--model, --vectors, --tokenizer) and the
// normalisation options, as attention, context and ffn take them.
void add_inspect_options(boost::program_options::options_description& desc, ModelArgs& m, NormalizerFlags& nf);

// A model, the vocabulary it was trained with, the normaliser of its text
// and one sentence as it reads it.
struct Loaded {
  std::unique_ptr<enc::Encoder> model;
  w2v::Embeddings vectors;          // empty for an encoder trained on BPE tokens
  enc::EncoderVocab vocab;
  tok::Normalizer normalizer;       // as the model's and vectors' files record it (not for BPE)
  cmp::InspectedTokens tokens;      // [CLS] first
  std::vector<std::string> words;   // the normalised words (not for BPE)
};

// Loads the model and its vocabulary and reads `sentence` as the model does.
// OptionError without --model or a sentence, or for a normaliser option a
// BPE model cannot take.
Loaded load(const ModelArgs& m, const std::string& sentence, const tok::NormalizerRequest& request);

// Reads another sentence with the loaded model: l.tokens and l.words
// replaced. OptionError for an empty sentence.
void read_sentence(Loaded& l, const std::string& sentence);

// WORD normalised as the sentence: one token, or an OptionError.
std::string normalized_word(Loaded& l, const std::string& word);

// No silent [UNK]s: says so when no word of the sentence is in the vocabulary.
void warn_if_unknown(const Loaded& l, const std::string& vectors);

// A layer/head option: -1 (not given) or 0..n-1; else an OptionError naming
// the option and the valid range.
void check_index(long long v, std::size_t n, const char* option, const char* what);

// Writes each image into dir (created if missing), every file atomically.
void write_files(const std::string& dir, const std::vector<cmp::ReportImage>& files);

}  // namespace cli
