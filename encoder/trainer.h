// Pre-training the encoder by masked language modelling on a corpus, with
// its embedding matrix initialised from Word2Vec vectors (or random with a
// BPE tokenizer): warm-up and decay schedule, dropout, AdamW, clipping,
// held-out evaluation, CSV log, checkpoints and exact resume.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "encoder/config.h"
#include "encoder/settings.h"

namespace enc {

struct EncoderTrainOptions {
  std::vector<std::string> corpus;
  std::string vectors;      // Word2Vec vectors: vocabulary and initial embeddings (d_model = their size)
  std::string tokenizer;    // or a BPE model (random embeddings)
  std::string output;       // weights (.safetensors)
  ObjectiveKind objective = ObjectiveKind::kMlm;  // simcse needs init
  std::string init;         // simcse: start from these weights (an MLM model)
  float temperature = 0.05f;
  bool random_init = false; // with --vectors: keep the vocabulary, initialise embeddings at random (ablation)
  std::size_t dim = 128;    // d_model with --tokenizer
  std::size_t layers = 2, heads = 4, ffn_mult = 4, max_len = 128, window = 0;
  bool norm_first = true;
  Activation activation = Activation::kGelu;
  Positional positional = Positional::kSinusoidal;
  std::size_t batch_tokens = 8192;
  std::size_t steps = 0;    // 0: use epochs
  double epochs = 1;
  float lr = 5e-4f, weight_decay = 0.01f, clip = 1.f, dropout = 0.1f;
  float attention_dropout = -1;  // on the attention probabilities; < 0: the same as dropout (PyTorch)
  std::size_t warmup = 200;
  Schedule schedule = Schedule::kLinear;  // after warm-up: linear decay to 0, cosine, or constant
  std::uint64_t seed = 1;
  int threads = 2;
  bool freeze_embeddings = false;
  double valid_fraction = 0.01;
  std::size_t eval_every = 200;
  std::size_t checkpoint_every = 0;  // steps
  std::string checkpoint;            // default OUTPUT.ckpt
  bool resume = false;
  std::string log;                   // CSV, default OUTPUT.csv
  std::string checkpoint_path() const { return checkpoint.empty() ? output + ".ckpt" : checkpoint; }
  std::string log_path() const { return log.empty() ? output + ".csv" : log; }
  float attention_p() const { return attention_dropout < 0 ? dropout : attention_dropout; }
  void validate() const;  // OptionError
};

struct EncoderProgress {
  std::size_t step = 0, steps = 0;
  double seconds = 0, tokens_per_s = 0, loss = 0, lr = 0;
  bool eval = false;  // a held-out evaluation just ran
  double valid_loss = 0, valid_acc = 0;
};

struct EncoderTrainResult {
  std::size_t steps = 0;
  double seconds = 0, valid_loss = 0, valid_acc = 0;
  std::size_t sequences = 0, splits = 0, tokens = 0, unknown = 0, valid_sequences = 0;
  bool interrupted = false;
};

EncoderTrainResult train_encoder(const EncoderTrainOptions& opt,
                                 const std::function<void(const EncoderProgress&)>& on_progress = {},
                                 const std::function<bool()>& should_stop = {});

}  // namespace enc
