// What an encoder training run starts from: the vocabulary (Word2Vec
// vectors or a BPE model), the model (new, with embeddings from the
// vectors, or the --init model for SimCSE), and the corpus split into
// training and held-out sequences.
#pragma once

#include <optional>

#include "encoder/model.h"
#include "encoder/train_data.h"
#include "encoder/train_options.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/normalizer.h"

namespace enc {

struct TrainModel {
  EncoderVocab vocab;  // vocab.bpe: the BPE model (--tokenizer, or the --init model's)
  Encoder model;
  std::optional<tok::NormalizerOptions> normalizer;  // the corpus' normaliser (recorded in the model), if any
};

// Reads the vocabulary and builds (or loads) the model. Under simcse a
// shape option in opt.given that disagrees with the --init model is an
// OptionError naming the option, its value and the model's. The corpus
// normaliser is chosen (corpus_normalizer) and recorded in the metadata.
TrainModel setup_model(const EncoderTrainOptions& opt);

// The normaliser of the encoder's corpus: the one the --init model (simcse)
// or the vectors' record names, or the one the options ask for; they must
// agree (OptionError naming both). None when nothing names one: the corpus is
// then read as whitespace words, as the vectors' was.
std::optional<tok::NormalizerOptions> corpus_normalizer(const EncoderTrainOptions& opt);

// Under simcse: the check above, on its own.
void check_given_shape(const EncoderTrainOptions& opt, const EncoderConfig& model, const std::string& model_path);

struct TrainData {
  Sequences data;           // training sequences [0, n_train), then the held-out ones
  DataStats stats;
  std::size_t n_train = 0, n_valid = 0;
};

// The corpus as sequences; the last valid_fraction is held out. InputError
// when no training sequence is left.
TrainData split_data(const EncoderTrainOptions& opt, const TrainModel& m);

}  // namespace enc
