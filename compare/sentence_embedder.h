// Sentence vectors by any of the methods the study compares, behind one
// interface: avg, sif and sif-weighted over Word2Vec vectors (w2v::SentenceVectors), and
// the hidden states of an encoder trained from those vectors or on BPE
// tokens (enc::pool_sentences), at the layer chosen (final by default):
// their mean, with or without [CLS], the [CLS] state, or SIF's weighted
// mean (the same weights a / (a + p(w)) as sif, [CLS] left out) with or
// without the first principal component removed. Used by `embed` (and by
// sentence search).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/text_format.h"
#include "common/aligned.h"
#include "encoder/model.h"
#include "encoder/pooling.h"
#include "encoder/train_data.h"
#include "word2vec/sentence_vectors.h"
#include "word2vec/vectors_io.h"

namespace cmp {

enum class SentenceMethod {
  kAvg,
  kSif,
  kSifWeighted,         // SIF's weighted mean, the first component kept
  kEncoderMean,
  kEncoderMeanNoCls,
  kEncoderCls,
  kEncoderSif,          // SIF-weighted mean of the states, first component removed
  kEncoderSifWeighted,  // the same, the component kept
};

// "avg", "sif", "sif-weighted", "encoder-mean", "encoder-mean-no-cls", "encoder-cls",
// "encoder-sif", "encoder-sif-weighted".
std::string_view to_string(SentenceMethod m);
// "avg, sif, encoder-mean, ..." (for help texts).
std::string sentence_method_list();
// Throws OptionError "WHAT: 'x' is not one of avg, sif, encoder-mean, ...".
SentenceMethod parse_sentence_method(std::string_view text, std::string_view what);
bool uses_encoder(SentenceMethod m);
// sif, sif-weighted and encoder-sif*: SIF weights from word counts (--vocab).
bool uses_counts(SentenceMethod m);
// sif and encoder-sif: the first principal component of the sentences is removed.
bool removes_component(SentenceMethod m);
// The encoder's pooling of a method that uses_encoder().
enc::Pooling encoder_pooling(SentenceMethod m);

struct SentenceEmbedderOptions {
  SentenceMethod method = SentenceMethod::kAvg;
  std::string vectors;  // Word2Vec vectors (avg, sif, and the vocabulary of an encoder trained from them)
  std::string vocab;    // word counts ('word count' lines) for sif, sif-weighted and encoder-sif*
  std::string model;    // encoder weights for encoder-*
  std::string tokenizer;  // BPE model of an encoder that does not store its own (optional)
  double sif_a = 1e-3;
  int threads = common::default_threads();
  std::size_t batch = 64;  // sentences per encoder forward
  enc::LayerChoice layer;  // encoder-*: whose hidden states (default: the final ones)
  // sif, encoder-sif: remove the first principal component of the sentences given to
  // each embed() call; false leaves that to the caller (sentence search
  // removes the component of all the indexed lines, stored in the index).
  bool sif_remove_component = true;
  // Throws OptionError naming what the method is missing.
  void validate() const;
};

struct EmbedStats {
  std::size_t sentences = 0, empty = 0;  // empty: no known token (zero vector)
  std::vector<std::size_t> empty_rows;   // which sentences (ascending)
  std::size_t tokens = 0, known = 0;     // avg/sif only
  std::size_t truncated = 0;             // encoder only: cut at max_len
};

class SentenceEmbedder {
 public:
  // Loads the vectors (and counts, or the encoder, refused if trained on
  // other vectors).
  explicit SentenceEmbedder(const SentenceEmbedderOptions& opt);
  ~SentenceEmbedder();
  // One row per sentence (already normalised tokens): [n, dim].
  common::Matrix embed(const std::vector<std::vector<std::string>>& sentences, EmbedStats* stats);
  // True for an encoder trained on BPE tokens: it reads raw text (embed_text), not normalised words.
  bool reads_raw_text() const { return vocab_.is_bpe(); }
  // One row per raw sentence (reads_raw_text() only): [n, d].
  common::Matrix embed_text(const std::vector<std::string>& sentences, EmbedStats* stats);
  SentenceMethod method() const { return opt_.method; }
  const enc::LayerChoice& layer() const { return opt_.layer; }

 private:
  SentenceEmbedderOptions opt_;
  common::Matrix pool(const enc::TokenIds& ids, EmbedStats* stats);

  std::unique_ptr<w2v::Embeddings> vectors_;
  std::unique_ptr<w2v::SentenceVectors> static_;
  std::unique_ptr<enc::Encoder> model_;
  enc::EncoderVocab vocab_;
  std::vector<float> token_weights_;  // encoder-sif*: [vocab size] SIF weights by token id
};

}  // namespace cmp
