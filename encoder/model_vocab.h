// The vocabulary an encoder was trained with, rebuilt at query time (embed,
// compare, attention, context, ffn, simcse's --init) and checked against
// the fingerprint its metadata records: from the Word2Vec vectors it was
// trained from, or from the BPE model, which `encoder train --tokenizer`
// stores in the weights file itself so that the weights alone suffice.
#pragma once

#include <string>

#include "encoder/model.h"
#include "encoder/train_data.h"
#include "tokenizer/bpe_model.h"
#include "word2vec/vectors_io.h"

namespace enc {

// Metadata keys of the embedded BPE model: its file text and fingerprint.
inline constexpr const char* kBpeModelKey = "bpe_model";
inline constexpr const char* kBpeFingerprintKey = "bpe_fingerprint";

// True if the encoder's vocabulary is a BPE model's (trained with --tokenizer).
bool trained_on_bpe(const Encoder& model);

// Stores bpe in the encoder's metadata (kBpeModelKey, kBpeFingerprintKey).
void embed_bpe_model(Encoder& model, const tok::BpeModel& bpe);

// The vocabulary of an encoder trained from Word2Vec vectors, rebuilt from
// those vectors; InputError if the fingerprints differ or the encoder was
// trained on BPE tokens.
EncoderVocab vocab_for(const Encoder& model, const std::string& vectors_path, const std::string& model_path);
// The same, for vectors already read from vectors_path (named in the message).
EncoderVocab vocab_for(const Encoder& model, const w2v::Embeddings& e, const std::string& vectors_path,
                       const std::string& model_path);

// The vocabulary of an encoder trained on BPE tokens: the model embedded in
// its metadata. A tokenizer_path given as well must hold the same model
// (OptionError naming both fingerprints otherwise). An encoder written
// before models were embedded needs tokenizer_path (InputError otherwise),
// checked against its vocabulary fingerprint. InputError for an encoder
// trained from vectors; FormatError for an embedded model that is damaged.
EncoderVocab bpe_vocab_for(const Encoder& model, const std::string& model_path, const std::string& tokenizer_path);

// For the commands where the vectors serve only as the vocabulary (embed's
// encoder methods, attention, context, ffn): the encoder's own BPE model
// (vectors_path must then be empty: OptionError), or the vectors it was
// trained from (vectors_path required and tokenizer_path empty:
// OptionError), read into *vectors when it is not null.
EncoderVocab query_vocab(const Encoder& model, const std::string& model_path, const std::string& vectors_path,
                         const std::string& tokenizer_path, w2v::Embeddings* vectors = nullptr);

}  // namespace enc
