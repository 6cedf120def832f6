// Sentence vectors from the encoder: the final hidden states pooled over
// the real (non-padding) tokens — their mean, or the [CLS] position.
#pragma once

#include <string>
#include <vector>

#include "common/aligned.h"
#include "encoder/model.h"
#include "encoder/train_data.h"

namespace enc {

enum class Pooling { kMean, kCls };

struct PoolStats {
  std::size_t sentences = 0, empty = 0, truncated = 0;
  std::vector<std::size_t> empty_rows;  // sentences without a known word (ascending)
};

// sentences: normalised token lists; ids via vocab ([CLS] first, unknown
// words as [UNK]). A sentence without a known word gets a zero vector.
// Sentences longer than max_len are cut (counted in stats). Returns [S, d].
common::Matrix encode_sentences(Encoder& model, const EncoderVocab& vocab,
                                const std::vector<std::vector<std::string>>& sentences, Pooling pooling,
                                std::size_t batch, PoolStats* stats);

// Documents longer than the model's max_len: cut into pieces of max_len - 1
// words, each encoded as its own sequence; mean pooling averages every
// token state of every piece (weighted by piece length), CLS pooling
// averages the pieces' [CLS] states. Returns [S, d].
common::Matrix encode_documents(Encoder& model, const EncoderVocab& vocab,
                                const std::vector<std::vector<std::string>>& documents, Pooling pooling,
                                std::size_t batch);

// The contextual vector of one word per sentence: the final hidden state at
// normalised position positions[i] of sentences[i] ([CLS] excluded from the
// count). A sentence longer than max_len - 1 words is cropped to a window
// around the position. Returns [S, d].
common::Matrix encode_tokens(Encoder& model, const EncoderVocab& vocab,
                             const std::vector<std::vector<std::string>>& sentences,
                             const std::vector<std::size_t>& positions, std::size_t batch);

// The vocabulary an encoder was trained with, rebuilt from the vectors (or
// BPE model) it names; throws InputError if the fingerprints differ.
EncoderVocab vocab_for(const Encoder& model, const std::string& vectors_path, const std::string& model_path);
// The same, for vectors already read from vectors_path (named in the message).
EncoderVocab vocab_for(const Encoder& model, const w2v::Embeddings& e, const std::string& vectors_path,
                       const std::string& model_path);

}  // namespace enc
