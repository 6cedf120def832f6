// What an encoder training run is asked to do: data, model shape,
// objective, optimisation, evaluation, checkpoints. Filled by the caller
// (the CLI), checked by validate().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/text_format.h"
#include "encoder/settings.h"
#include "tokenizer/normalizer_choice.h"

namespace enc {

// Which shape options the caller set on purpose (the others hold defaults).
// Under simcse the shape comes from the --init model, and a given option
// that disagrees with that model is an OptionError.
struct GivenShape {
  bool dim = false, layers = false, heads = false, ffn_mult = false, window = false, post_norm = false,
       activation = false, positional = false;
};

struct EncoderTrainOptions {
  std::vector<std::string> corpus;
  std::string vectors;      // Word2Vec vectors: vocabulary and initial embeddings (d_model = their size)
  std::string tokenizer;    // or a BPE model (random embeddings); simcse: the --init model stores its own
  std::string output;       // weights (.safetensors)
  // Normalisation options given for the corpus; with those the vectors' record
  // (and the --init model) name, the corpus is normalised on the fly.
  tok::NormalizerRequest normalizer;
  ObjectiveKind objective = ObjectiveKind::kMlm;  // simcse needs init
  std::string init;         // simcse: start from these weights (an MLM model)
  float temperature = 0.05f;
  bool random_init = false; // with --vectors: keep the vocabulary, initialise embeddings at random (ablation)
  std::size_t dim = 128;    // d_model with --tokenizer
  std::size_t layers = 2, heads = 4, ffn_mult = 4, max_len = 128, window = 0;
  bool norm_first = true;
  Activation activation = Activation::kGelu;
  Positional positional = Positional::kSinusoidal;
  GivenShape given;         // simcse: these must agree with the init model
  std::size_t batch_tokens = 8192;
  std::size_t steps = 0;    // 0: use epochs
  double epochs = 1;
  float lr = 5e-4f, weight_decay = 0.01f, clip = 1.f, dropout = 0.1f;
  float attention_dropout = -1;  // on the attention probabilities; < 0: the same as dropout (PyTorch)
  std::size_t warmup = 200;
  Schedule schedule = Schedule::kLinear;  // after warm-up: linear decay to 0, cosine, or constant
  std::uint64_t seed = 1;
  int threads = common::default_threads();
  bool freeze_embeddings = false;
  double valid_fraction = 0.01;
  std::size_t eval_every = 200;
  std::size_t checkpoint_every = 0;  // steps
  std::size_t snapshot_every = 0;    // steps between copies of the weights (snapshot_path), 0 = none
  std::string checkpoint;            // default OUTPUT.ckpt
  bool resume = false;
  std::string log;                   // CSV, default OUTPUT.csv
  std::string checkpoint_path() const { return checkpoint.empty() ? output + ".ckpt" : checkpoint; }
  std::string log_path() const { return log.empty() ? output + ".csv" : log; }
  // The weights after `step`: OUTPUT with ".stepN" before its extension
  // ("m.safetensors" -> "m.step400.safetensors"), for curves of any metric
  // against training time.
  std::string snapshot_path(std::size_t step) const;
  float attention_p() const { return attention_dropout < 0 ? dropout : attention_dropout; }
  void validate() const;  // OptionError
};

}  // namespace enc
