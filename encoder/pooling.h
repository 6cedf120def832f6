// Sentence vectors from the encoder: the final hidden states pooled over
// the real (non-padding) tokens — their mean, or the [CLS] position — and
// the contextual vector of a word (the mean over its tokens). The pooling
// works on token ids, whatever made them (words looked up in the vectors'
// vocabulary, or BPE pieces); the word-list versions look the words up.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/aligned.h"
#include "encoder/model.h"
#include "encoder/train_data.h"
#include "tokenizer/bpe_sentence.h"

namespace enc {

enum class Pooling { kMean, kCls };

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
// stats). Returns [S, d].
common::Matrix pool_sentences(Encoder& model, const EncoderVocab& vocab, const TokenIds& sentences, Pooling pooling,
                              std::size_t batch, PoolStats* stats, const BatchProgress& progress = {});

// Documents longer than the model's max_len: cut into pieces of max_len - 1
// tokens, each encoded as its own sequence; mean pooling averages every
// token state of every piece (weighted by piece length), CLS pooling
// averages the pieces' [CLS] states; pieces of [UNK] only are left out.
// Returns [S, d].
common::Matrix pool_documents(Encoder& model, const EncoderVocab& vocab, const TokenIds& documents, Pooling pooling,
                              std::size_t batch, const BatchProgress& progress = {});

// The contextual vector of one word per sentence: the mean final hidden
// state of tokens ranges[i] of sentences[i] ([CLS] not counted: token 0 is
// the first id). A sentence longer than max_len - 1 tokens is cropped to a
// window around the range (a range longer than the window keeps the tokens
// inside it). InputError for an empty range or one past the sentence.
// Returns [S, d].
common::Matrix pool_ranges(Encoder& model, const EncoderVocab& vocab, const TokenIds& sentences,
                           const std::vector<tok::TokenRange>& ranges, std::size_t batch,
                           const BatchProgress& progress = {});

// Ids of normalised words without [CLS]: unknown words are [UNK].
TokenIds word_ids(const EncoderVocab& vocab, const std::vector<std::vector<std::string>>& sentences);
// Ids of raw texts through the vocabulary's BPE model (tok::encode_sentence:
// the one place text is prepared for BPE); a blank text has none.
TokenIds bpe_ids(const EncoderVocab& vocab, const std::vector<std::string>& texts);

// The same over normalised words (ids via vocab, unknown words as [UNK]).
common::Matrix encode_sentences(Encoder& model, const EncoderVocab& vocab,
                                const std::vector<std::vector<std::string>>& sentences, Pooling pooling,
                                std::size_t batch, PoolStats* stats, const BatchProgress& progress = {});
common::Matrix encode_documents(Encoder& model, const EncoderVocab& vocab,
                                const std::vector<std::vector<std::string>>& documents, Pooling pooling,
                                std::size_t batch, const BatchProgress& progress = {});
// The final hidden state at normalised position positions[i] of sentences[i].
common::Matrix encode_tokens(Encoder& model, const EncoderVocab& vocab,
                             const std::vector<std::vector<std::string>>& sentences,
                             const std::vector<std::size_t>& positions, std::size_t batch,
                             const BatchProgress& progress = {});

}  // namespace enc
