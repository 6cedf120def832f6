// What `wordlens encoder finetune` is asked to do: the task (STS-B pairs with
// CoSENT), its train (and dev) files, the model to start from and the one to
// write, the pooling trained through (the same as a compare row's), and the
// optimisation (enc::TuneSettings). Filled by the caller, checked by validate().
#pragma once

#include <string>
#include <string_view>

#include "common/text_format.h"
#include "compare/sentence_embedder.h"
#include "encoder/cosent_tuning.h"
#include "tokenizer/normalizer.h"

namespace cmp {

enum class FinetuneTask { kSts };

// "sts".
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
  std::string train;      // sts: an STS-Benchmark file
  std::string dev;        // sts: an STS-Benchmark file scored after each epoch (optional)
  std::string init;       // the encoder to start from (.safetensors)
  std::string output;     // the fine-tuned encoder (.safetensors)
  std::string vectors;    // the Word2Vec vectors an encoder trained from vectors needs (its vocabulary)
  std::string tokenizer;  // the BPE model of an encoder that does not store its own (older weights)
  std::string vocab;      // word counts ('word count' lines) for --pooling sif-weighted
  tok::NormalizerOptions normalizer;  // how the sentences are normalised (enc::sentence_normalizer)
  enc::TuneSettings tune;             // tune.pool.pooling: the pooling trained through
  int threads = common::default_threads();
  // Throws OptionError naming what is missing or wrong.
  void validate() const;
};

}  // namespace cmp
