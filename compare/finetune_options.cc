#include "compare/finetune_options.h"

#include "common/enum_names.h"
#include "common/errors.h"

namespace cmp {

namespace {

constexpr common::EnumNames<FinetuneTask, 1> kTasks{{{FinetuneTask::kSts, "sts"}}};

constexpr common::EnumNames<enc::Pooling, 4> kPoolings{{{enc::Pooling::kMean, "mean"},
                                                        {enc::Pooling::kMeanNoCls, "mean-no-cls"},
                                                        {enc::Pooling::kCls, "cls"},
                                                        {enc::Pooling::kWeighted, "sif-weighted"}}};

}  // namespace

std::string_view to_string(FinetuneTask t) { return common::enum_name(kTasks, t); }
FinetuneTask parse_finetune_task(std::string_view text, std::string_view what) { return common::parse_enum(kTasks, text, what); }
std::string finetune_task_list() { return common::enum_list(kTasks); }

std::string_view finetune_pooling_name(enc::Pooling p) { return common::enum_name(kPoolings, p); }
enc::Pooling parse_finetune_pooling(std::string_view text, std::string_view what) {
  return common::parse_enum(kPoolings, text, what);
}
std::string finetune_pooling_list() { return common::enum_list(kPoolings); }

SentenceMethod measured_by(enc::Pooling p) {
  switch (p) {
    case enc::Pooling::kMeanNoCls: return SentenceMethod::kEncoderMeanNoCls;
    case enc::Pooling::kCls: return SentenceMethod::kEncoderCls;
    case enc::Pooling::kWeighted: return SentenceMethod::kEncoderSifWeighted;
    default: return SentenceMethod::kEncoderMean;
  }
}

void FinetuneOptions::validate() const {
  using common::OptionError;
  if (train.empty()) throw OptionError("--train is required (sts: an STS-Benchmark file such as sts-train.csv)");
  if (init.empty()) throw OptionError("--init is required: the encoder to fine-tune (.safetensors)");
  if (output.empty()) throw OptionError("--output is required: the fine-tuned weights (.safetensors)");
  if (!vectors.empty() && !tokenizer.empty()) throw OptionError("give --vectors (Word2Vec) or --tokenizer (BPE), not both");
  const bool weighted = tune.pool.pooling == enc::Pooling::kWeighted;
  if (weighted && vocab.empty())
    throw OptionError("--pooling sif-weighted needs --vocab COUNTS (the word counts `train -save-vocab` wrote)");
  if (!weighted && !vocab.empty()) throw OptionError("--vocab (word counts) goes with --pooling sif-weighted");
  if (tune.keep_best && dev.empty()) throw OptionError("--keep-best chooses an epoch by its --dev score: give --dev FILE");
  if (threads < 1) throw OptionError("--threads must be at least 1");
  tune.validate();
}

}  // namespace cmp
