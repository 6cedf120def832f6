// What an encoder training run starts from: the vocabulary (Word2Vec
// vectors or a BPE model), the model (new, with embeddings from the
// vectors, or the --init model for SimCSE), and the corpus split into
// training and held-out sequences.
#pragma once

#include "encoder/model.h"
#include "encoder/train_data.h"
#include "encoder/train_options.h"
#include "tokenizer/bpe_model.h"

namespace enc {

struct TrainModel {
  EncoderVocab vocab;  // vocab.bpe: the BPE model (--tokenizer, or the --init model's)
  Encoder model;
};

// Reads the vocabulary and builds (or loads) the model. Under simcse a
// shape option in opt.given that disagrees with the --init model is an
// OptionError naming the option, its value and the model's.
TrainModel setup_model(const EncoderTrainOptions& opt);

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
