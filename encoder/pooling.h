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
};

// sentences: normalised token lists; ids via vocab ([CLS] first, unknown
// words as [UNK]). A sentence without a known word gets a zero vector.
// Sentences longer than max_len are cut (counted in stats). Returns [S, d].
common::Matrix encode_sentences(Encoder& model, const EncoderVocab& vocab,
                                const std::vector<std::vector<std::string>>& sentences, Pooling pooling,
                                std::size_t batch, PoolStats* stats);

// The vocabulary an encoder was trained with, rebuilt from the vectors (or
// BPE model) it names; throws InputError if the fingerprints differ.
EncoderVocab vocab_for(const Encoder& model, const std::string& vectors_path, const std::string& model_path);

}  // namespace enc
