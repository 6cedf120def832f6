// What `wordlens encoder finetune` is asked to do: the task (STS-B pairs with
// CoSENT), its train (and dev) files, the model to start from and the one to
// write, the pooling trained through (the same as a compare row's), and the
// optimisation (enc::TuneSettings). Filled by the caller, checked by validate().
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/text_format.h"
#include "compare/sentence_embedder.h"
#include "encoder/pair_tuning.h"
#include "tokenizer/normalizer.h"

namespace cmp {

enum class FinetuneTask { kSts, kWic };

// "sts", "wic".
std::string_view to_string(FinetuneTask t);
FinetuneTask parse_finetune_task(std::string_view text, std::string_view what);
std::string finetune_task_list();

// The poolings fine-tuning can train through, spelled "mean" (compare's
// encoder-mean: every state, [CLS] included), "mean-no-cls", "cls" and
// "sif-weighted" (encoder-sif-weighted: SIF weights from --vocab counts).
std::string_view finetune_pooling_name(enc::Pooling p);
enc::Pooling parse_finetune_pooling(std::string_view text, std::string_view what);
std::string finetune_pooling_list();
// The compare row (sentence method) that measures a model tuned through p.
SentenceMethod measured_by(enc::Pooling p);

struct FinetuneOptions {
  FinetuneTask task = FinetuneTask::kSts;
  std::string train;      // sts: an STS-Benchmark file; wic: a WiC directory (its train split)
  std::string dev;        // scored after each epoch (optional): sts: an STS-Benchmark file; wic: a WiC directory (its dev split)
  std::string init;       // the encoder to start from (.safetensors)
  std::string output;     // the fine-tuned encoder (.safetensors)
  std::string vectors;    // the Word2Vec vectors an encoder trained from vectors needs (its vocabulary)
  std::string tokenizer;  // the BPE model of an encoder that does not store its own (older weights)
  std::string vocab;      // word counts ('word count' lines) for --pooling sif-weighted
  tok::NormalizerOptions normalizer;  // how the sentences are normalised (enc::sentence_normalizer)
  enc::TuneSettings tune;             // tune.pool.pooling: the pooling trained through (sts)
  float head_lr = 1e-3f;              // wic: the logistic head's learning rate
  int threads = common::default_threads();
  // Throws OptionError naming what is missing or wrong.
  void validate() const;
};

struct FinetuneResult {
  enc::TuneResult tune;           // steps, epoch losses, dev scores (index 0: before tuning), wall times
  std::vector<double> head_scores;  // wic with --dev: the logistic head's dev accuracy % after each epoch
  std::size_t train_pairs = 0, dev_pairs = 0;
  std::size_t empty = 0;          // sts: train sentences without a known token (zero vectors, no gradient)
  std::size_t truncated = 0;      // train sentences cut at the model's max_len
  std::string train_fingerprint;  // common::content_fingerprint of the train file
  double seconds = 0;             // the whole run (reading, tuning, evaluations, writing)
};

// Metadata key of a fine-tuned model: "sts-cosent" or "wic-logistic".
inline constexpr const char* kFinetunedKey = "finetuned";

// Records the run in the model's metadata: kFinetunedKey = what, the train
// file (name and content fingerprint), `pooling` (what compare reads),
// epochs, batch, lr, seed, the kept epoch (--keep-best) and the dev score.
void record_finetune(enc::Encoder& model, const FinetuneOptions& opt, const FinetuneResult& r, const std::string& what,
                     const std::string& train_file, const std::string& pooling);

}  // namespace cmp
