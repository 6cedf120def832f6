// Sentence vectors from the encoder: the hidden states (final, after one
// layer, or averaged over the layers: LayerChoice) pooled over the real
// (non-padding) tokens — their mean with or without [CLS], the [CLS]
// position, or a weighted mean (SIF's a / (a + p(w))) — and the contextual
// vector of a word (the mean over its tokens). The pooling
// works on token ids, whatever made them (words looked up in the vectors'
// vocabulary, or BPE pieces); the word-list versions look the words up.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/aligned.h"
#include "encoder/layer_choice.h"
#include "encoder/model.h"
#include "encoder/train_data.h"
#include "tokenizer/bpe_sentence.h"

namespace enc {

// kMean: every state, [CLS] included; kMeanNoCls: the tokens' states
// only; kCls: the [CLS] state; kWeighted: Σ weights[id] · state over the
// tokens, [CLS] and [UNK] left out (as static SIF leaves out words without
// a vector), divided by their number (Arora et al.'s weighted average).
enum class Pooling { kMean, kMeanNoCls, kCls, kWeighted };

// How the states become one vector.
struct PoolSpec {
  PoolSpec(Pooling p = Pooling::kMean) : pooling(p) {}  // NOLINT: a Pooling alone is the final states' pooling
  PoolSpec(Pooling p, LayerChoice l, const std::vector<float>* w = nullptr) : pooling(p), layer(l), weights(w) {}
  Pooling pooling = Pooling::kMean;
  LayerChoice layer;                          // which hidden states
  const std::vector<float>* weights = nullptr;  // kWeighted: [vocab size] by token id (sif_token_weights)
};

// SIF's weights of an encoder trained from Word2Vec vectors, by token id
// [vocab.size]: a / (a + p(w)) from the word counts of `counts_path` (the
// file `train -save-vocab` wrote; w2v::word_counts, w2v::sif_weights: the
// same weights as static SIF), 0 for the specials. OptionError for an
// encoder trained on BPE tokens (no word counts).
std::vector<float> sif_token_weights(const EncoderVocab& vocab, const std::string& counts_path, double a);

// True if ids has a token other than [UNK] (a sentence pool_sentences pools;
// the others get a zero vector).
bool has_known(const std::vector<std::int32_t>& ids, std::int32_t unk);

// The pooling of one sequence as pool_sentences does it: its states h[len, d]
// (ids [len], [CLS] first, with at least one known token) into row[d], which
// holds zeros (spec.layer is not read: h are the chosen states).
void pool_states(const float* h, const std::vector<std::int32_t>& ids, std::size_t d, const PoolSpec& spec,
                 std::int32_t unk, float* row);
// Its backward: dh[len, d] (=) = ∂L/∂h from drow[d] = ∂L/∂row (fine-tuning).
void pool_states_backward(const float* drow, const std::vector<std::int32_t>& ids, std::size_t d, const PoolSpec& spec,
                          std::int32_t unk, float* dh);

struct PoolStats {
  std::size_t sentences = 0, empty = 0, truncated = 0;
  std::vector<std::size_t> empty_rows;  // sentences without a known word (ascending)
};

// Token ids of each sentence, without [CLS] (the pooling adds it).
using TokenIds = std::vector<std::vector<std::int32_t>>;

// Called after each batch through the encoder with the sequences done and
// their total (progress of long pooling runs); may be empty.
using BatchProgress = std::function<void(std::size_t done, std::size_t total)>;

// One vector per sentence: [CLS] + the ids through the encoder, pooled.
// A sentence with no token other than [UNK] gets a zero vector (counted as
// empty). Sentences longer than max_len - 1 tokens are cut (counted in
// stats). OptionError for kWeighted without weights of the vocabulary's
// size, or a layer the model does not have. Returns [S, d].
common::Matrix pool_sentences(Encoder& model, const EncoderVocab& vocab, const TokenIds& sentences, const PoolSpec& spec,
                              std::size_t batch, PoolStats* stats, const BatchProgress& progress = {});

// Documents longer than the model's max_len: cut into pieces of max_len - 1
// tokens, each encoded as its own sequence; mean pooling averages every
// token state of every piece (weighted by piece length; kMeanNoCls and
// kWeighted likewise over the tokens they count), CLS pooling averages the
// pieces' [CLS] states; pieces of [UNK] only are left out. Returns [S, d].
common::Matrix pool_documents(Encoder& model, const EncoderVocab& vocab, const TokenIds& documents, const PoolSpec& spec,
                              std::size_t batch, const BatchProgress& progress = {});

// The contextual vector of one word per sentence: the mean hidden state
// (`layer`: final by default) of tokens ranges[i] of sentences[i] ([CLS] not counted: token 0 is
// the first id). A sentence longer than max_len - 1 tokens is cropped to a
// window around the range (a range longer than the window keeps the tokens
// inside it). InputError for an empty range or one past the sentence.
// Returns [S, d].
common::Matrix pool_ranges(Encoder& model, const EncoderVocab& vocab, const TokenIds& sentences,
                           const std::vector<tok::TokenRange>& ranges, std::size_t batch,
                           const BatchProgress& progress = {}, const LayerChoice& layer = {});

// Ids of normalised words without [CLS]: unknown words are [UNK].
TokenIds word_ids(const EncoderVocab& vocab, const std::vector<std::vector<std::string>>& sentences);
// Ids of raw texts through the vocabulary's BPE model (tok::encode_sentence:
// the one place text is prepared for BPE); a blank text has none.
TokenIds bpe_ids(const EncoderVocab& vocab, const std::vector<std::string>& texts);

// The same over normalised words (ids via vocab, unknown words as [UNK]).
common::Matrix encode_sentences(Encoder& model, const EncoderVocab& vocab,
                                const std::vector<std::vector<std::string>>& sentences, const PoolSpec& spec,
                                std::size_t batch, PoolStats* stats, const BatchProgress& progress = {});
common::Matrix encode_documents(Encoder& model, const EncoderVocab& vocab,
                                const std::vector<std::vector<std::string>>& documents, const PoolSpec& spec,
                                std::size_t batch, const BatchProgress& progress = {});
// The hidden state (`layer`) at normalised position positions[i] of sentences[i].
common::Matrix encode_tokens(Encoder& model, const EncoderVocab& vocab,
                             const std::vector<std::vector<std::string>>& sentences,
                             const std::vector<std::size_t>& positions, std::size_t batch,
                             const BatchProgress& progress = {}, const LayerChoice& layer = {});

}  // namespace enc
