#include "compare/finetune_options.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "common/enum_names.h"
#include "common/errors.h"

namespace cmp {

namespace {

constexpr common::EnumNames<FinetuneTask, 2> kTasks{{{FinetuneTask::kSts, "sts"}, {FinetuneTask::kWic, "wic"}}};

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
  if (train.empty())
    throw OptionError("--train is required (sts: an STS-Benchmark file such as sts-train.csv; wic: a WiC directory)");
  if (init.empty()) throw OptionError("--init is required: the encoder to fine-tune (.safetensors)");
  if (output.empty()) throw OptionError("--output is required: the fine-tuned weights (.safetensors)");
  if (!vectors.empty() && !tokenizer.empty()) throw OptionError("give --vectors (Word2Vec) or --tokenizer (BPE), not both");
  const bool weighted = tune.pool.pooling == enc::Pooling::kWeighted;
  if (weighted && vocab.empty())
    throw OptionError("--pooling sif-weighted needs --vocab COUNTS (the word counts `train -save-vocab` wrote)");
  if (!weighted && !vocab.empty()) throw OptionError("--vocab (word counts) goes with --pooling sif-weighted");
  if (tune.keep_best && dev.empty()) throw OptionError("--keep-best chooses an epoch by its --dev score: give --dev FILE");
  if (task == FinetuneTask::kWic && (weighted || tune.pool.pooling != enc::Pooling::kMean))
    throw OptionError("--pooling: --task wic pools the target word's states (leave --pooling out)");
  if (!(head_lr > 0) || !std::isfinite(head_lr)) throw OptionError("--head-lr must be a positive number");
  if (threads < 1) throw OptionError("--threads must be at least 1");
  tune.validate();
}

void record_finetune(enc::Encoder& model, const FinetuneOptions& opt, const FinetuneResult& r, const std::string& what,
                     const std::string& train_file, const std::string& pooling) {
  auto& meta = model.extra_metadata();
  meta[kFinetunedKey] = what;
  meta["finetune_train"] = std::filesystem::path(train_file).filename().string();
  meta["finetune_train_fingerprint"] = r.train_fingerprint;
  meta["finetune_pooling"] = pooling;
  meta["finetune_epochs"] = std::to_string(opt.tune.epochs);
  meta["finetune_batch"] = std::to_string(opt.tune.batch);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", static_cast<double>(opt.tune.lr));
  meta["finetune_lr"] = buf;
  meta["finetune_seed"] = std::to_string(opt.tune.seed);
  if (opt.tune.keep_best) meta["finetune_best_epoch"] = std::to_string(r.tune.best_epoch);
  if (!r.tune.scores.empty()) {
    const double s = opt.tune.keep_best ? r.tune.scores.at(r.tune.best_epoch) : r.tune.scores.back();
    std::snprintf(buf, sizeof buf, "%.2f", s);
    meta["finetune_dev_score"] = buf;
  }
}

}  // namespace cmp
