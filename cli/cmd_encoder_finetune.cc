// wordlens encoder finetune: options into cmp::FinetuneOptions, the progress
// line, a line per epoch, Ctrl-C as a stop request, and the summary (or one
// JSON object).
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_util.h"
#include "cli/cmd_encoder.h"
#include "cli/encoder_options.h"
#include "cli/normalizer_options.h"
#include "cli/progress_line.h"
#include "cli/stop_signal.h"
#include "common/stop_request.h"
#include "common/text_format.h"
#include "compare/sts_finetune.h"
#include "compare/wic_finetune.h"
#include "encoder/text_normalizer.h"

namespace po = boost::program_options;

namespace cli {

namespace {

// The settings that are text on the command line, parsed after it.
struct FinetuneCli {
  std::string task = "sts", pooling = "mean";
  bool json = false;
  double progress_every = 10;
};

po::options_description finetune_description(cmp::FinetuneOptions& o, FinetuneCli& c, NormalizerFlags& nf) {
  po::options_description desc(
      "usage: wordlens encoder finetune --task sts --train sts-train.csv --init M.safetensors --output OUT.safetensors\n"
      "                                 [--vectors V.bin] [--dev sts-dev.csv] [options]\n"
      "       wordlens encoder finetune --task wic --train WIC_DIR --init M.safetensors --vectors V.bin --output OUT.safetensors\n"
      "                                 [--dev WIC_DIR] [options]\n\n"
      "Supervised fine-tuning on STS-Benchmark pairs with the CoSENT loss: each step encodes the two\n"
      "sentences of --batch pairs (dropout on), pools their final states as compare's encoder row of\n"
      "--pooling does (mean = encoder-mean, sif-weighted = encoder-sif-weighted with --vocab counts),\n"
      "and learns to order the pairs' cosines as their gold scores; AdamW, linear warm-up (--warmup, a\n"
      "fraction of the steps) and decay to 0. --dev FILE prints its Spearman x100 after each epoch\n"
      "(--keep-best ends with the weights of the best epoch). Sentences are normalised and looked up as\n"
      "compare does; the output keeps the --init model's metadata (vocabulary, normaliser) and records\n"
      "the run (finetuned, finetune_train_fingerprint, finetune_pooling, finetune_epochs, ...).\n"
      "--task wic: the target word's final states u, v in the two sentences of WIC_DIR/train.data.txt go to a\n"
      "logistic head on [u*v, |u-v|] (binary cross-entropy, its own AdamW at --head-lr), trained with the\n"
      "encoder; only the encoder is written. --dev WIC_DIR scores its dev split after each epoch as\n"
      "compare's WiC encoder row (cosine threshold chosen on train), and the head's own accuracy.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("task", po::value(&c.task)->default_value(c.task), ("what to tune on: " + cmp::finetune_task_list()).c_str())
    ("train", po::value(&o.train), "sts: the STS-Benchmark train file (tab-separated, score in column 5); wic: the WiC directory")
    ("dev", po::value(&o.dev), "scored after each epoch: sts: an STS-Benchmark file; wic: a WiC directory (its dev split)")
    ("init", po::value(&o.init), "the encoder to start from (.safetensors)")
    ("output", po::value(&o.output), "the fine-tuned weights to write (.safetensors)")
    ("vectors", po::value(&o.vectors), "the Word2Vec vectors the encoder was trained from (its vocabulary)")
    ("tokenizer", po::value(&o.tokenizer), "the BPE model of an encoder that does not store it (older weights)")
    ("vocab", po::value(&o.vocab), "word counts for --pooling sif-weighted")
    ("pooling", po::value(&c.pooling)->default_value(c.pooling), ("pooling trained through: " + cmp::finetune_pooling_list()).c_str())
    ("epochs", value_default(&o.tune.epochs), "passes over the training pairs")
    ("batch", value_default(&o.tune.batch), "pairs per step")
    ("lr", value_default(&o.tune.lr), "peak learning rate")
    ("warmup", value_default(&o.tune.warmup), "fraction of the steps spent warming up")
    ("weight-decay", value_default(&o.tune.weight_decay), "AdamW weight decay")
    ("clip", value_default(&o.tune.clip), "gradient-norm clipping (0 = off)")
    ("dropout", value_default(&o.tune.dropout), "dropout (attention probabilities, after attention, activation and feed-forward)")
    ("seed", value_default(&o.tune.seed), "random seed (pair order, dropout)")
    ("head-lr", value_default(&o.head_lr), "wic: the logistic head's learning rate")
    ("keep-best", po::bool_switch(&o.tune.keep_best), "with --dev: write the weights of the epoch with the best dev score")
    ("threads", threads_value(&o.threads), "threads")
    ("json", po::bool_switch(&c.json), "print one JSON object")
    ("progress-every", value_default(&c.progress_every), "seconds between progress lines when not on a terminal");
  // clang-format on
  add_normalizer_options(desc, nf);
  return desc;
}

// The progress line within an epoch; a line on stderr at each epoch's end.
struct TuneReporter {
  ProgressLine* line;
  const char* metric;  // "dev Spearman x100", "dev accuracy %"
  void operator()(const enc::TuneProgress& p) const {
    if (!p.epoch_end) {
      char loss[48];
      std::snprintf(loss, sizeof loss, "loss %.4f", p.loss);
      line->update_work({"epoch " + std::to_string(p.epoch) + "/" + std::to_string(p.epochs), p.step, p.steps, "steps"}, loss);
      return;
    }
    clear_progress_line();
    if (std::isnan(p.score))
      std::fprintf(stderr, "epoch %zu/%zu  train loss %.4f  (%s)\n", p.epoch, p.epochs, p.loss, human_duration(p.seconds).c_str());
    else
      std::fprintf(stderr, "epoch %zu/%zu  train loss %.4f  %s %.2f  (%s)\n", p.epoch, p.epochs, p.loss, metric, p.score,
                   human_duration(p.seconds).c_str());
  }
};

const char* metric_key(cmp::FinetuneTask t) { return t == cmp::FinetuneTask::kSts ? "dev_spearman" : "dev_accuracy"; }

nlohmann::ordered_json result_json(const cmp::FinetuneOptions& o, const cmp::FinetuneResult& r) {
  nlohmann::ordered_json j;
  const enc::TuneResult& t = r.tune;
  const std::string key = metric_key(o.task);
  j["task"] = std::string(cmp::to_string(o.task));
  j["pooling"] = o.task == cmp::FinetuneTask::kSts ? std::string(cmp::finetune_pooling_name(o.tune.pool.pooling)) : "target";
  j["train_pairs"] = r.train_pairs, j["dev_pairs"] = r.dev_pairs, j["steps"] = t.steps;
  j["empty_sentences"] = r.empty, j["truncated_sentences"] = r.truncated;
  j[key + "_initial"] = t.scores.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(t.scores[0]);
  j["epochs"] = nlohmann::ordered_json::array();
  for (std::size_t e = 0; e < t.epoch_loss.size(); ++e) {
    nlohmann::ordered_json row;
    row["epoch"] = e + 1, row["loss"] = t.epoch_loss[e], row["seconds"] = t.epoch_seconds[e];
    row[key] = e + 1 < t.scores.size() ? nlohmann::ordered_json(t.scores[e + 1]) : nlohmann::ordered_json();
    if (e < r.head_scores.size()) row["dev_head_accuracy"] = r.head_scores[e];
    j["epochs"].push_back(row);
  }
  j["best_epoch"] = o.tune.keep_best ? nlohmann::ordered_json(t.best_epoch) : nlohmann::ordered_json();
  j["seconds"] = r.seconds, j["tuning_seconds"] = t.seconds;
  j["output"] = o.output;
  return j;
}

void print_result(const cmp::FinetuneOptions& o, const cmp::FinetuneResult& r) {
  const enc::TuneResult& t = r.tune;
  std::printf("pairs             %zu train, %zu dev\n", r.train_pairs, r.dev_pairs);
  const bool sts = o.task == cmp::FinetuneTask::kSts;
  std::printf("steps             %zu (%s of batch %zu, pooling %s)\n", t.steps,
              common::plural(t.epoch_loss.size(), "epoch", "epochs").c_str(), o.tune.batch,
              sts ? std::string(cmp::finetune_pooling_name(o.tune.pool.pooling)).c_str() : "the target word's state");
  if (!t.scores.empty()) {
    std::printf(sts ? "dev Spearman x100 %.2f before" : "dev accuracy %%    %.2f before", t.scores[0]);
    for (std::size_t e = 1; e < t.scores.size(); ++e) std::printf(", %.2f after epoch %zu", t.scores[e], e);
    std::printf("\n");
    if (!r.head_scores.empty()) {
      std::printf("head dev accuracy");
      for (std::size_t e = 0; e < r.head_scores.size(); ++e) std::printf("%s %.2f after epoch %zu", e ? "," : "", r.head_scores[e], e + 1);
      std::printf("\n");
    }
    if (o.tune.keep_best) std::printf("kept              the weights after epoch %zu (--keep-best)\n", t.best_epoch);
  }
  std::printf("wall time         %s (tuning %s)\n", human_duration(r.seconds).c_str(), human_duration(t.seconds).c_str());
  std::printf("weights written   %s\n", o.output.c_str());
}

}  // namespace

int encoder_finetune(int argc, char** argv) {
  cmp::FinetuneOptions o;
  FinetuneCli c;
  NormalizerFlags nf;
  const auto desc = finetune_description(o, c, nf);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  o.task = cmp::parse_finetune_task(c.task, "--task");
  o.tune.pool = enc::PoolSpec(cmp::parse_finetune_pooling(c.pooling, "--pooling"));
  o.validate();
  o.normalizer = enc::sentence_normalizer(normalizer_request(nf, vm), o.vectors, o.init);
  ProgressLine line(c.progress_every);
  common::TrainHooks<enc::TuneProgress> hooks;
  const bool sts = o.task == cmp::FinetuneTask::kSts;
  hooks.on_progress = TuneReporter{&line, sts ? "dev Spearman x100" : "dev accuracy %"};
  hooks.should_stop = [] { return common::stop_requested(); };
  cmp::FinetuneResult r;
  {
    StopSignal stop_on_ctrl_c;
    r = sts ? cmp::finetune_sts(o, hooks) : cmp::finetune_wic(o, hooks);
  }
  line.finish();
  if (r.tune.interrupted) {
    std::fprintf(stderr, "wordlens encoder finetune: interrupted at step %zu; nothing written\n", r.tune.steps);
    return 130;
  }
  if (c.json)
    std::printf("%s\n", result_json(o, r).dump().c_str());
  else
    print_result(o, r);
  return 0;
}

}  // namespace cli
