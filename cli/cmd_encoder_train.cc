// wordlens encoder train: options into enc::EncoderTrainOptions, progress
// lines, Ctrl-C as a stop request, and the summary.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>

#include <boost/program_options.hpp>

#include "cli/cli_util.h"
#include "cli/cmd_encoder.h"
#include "cli/encoder_options.h"
#include "cli/normalizer_options.h"
#include "cli/progress_line.h"
#include "cli/stop_signal.h"
#include "common/distributed.h"
#include "common/stop_request.h"
#include "common/errors.h"
#include "encoder/train_preset.h"
#include "encoder/trainer.h"

namespace po = boost::program_options;

namespace cli {

namespace {

// The settings that are text on the command line, parsed after it.
struct TrainText {
  std::string objective = "mlm", schedule = "linear";
};

void add_train_options(po::options_description& desc, enc::EncoderTrainOptions& o, ShapeOptions& shape, TrainText& text,
                       double& progress_every) {
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("corpus", po::value(&o.corpus)->multitoken(), "training text: files, directories or - (one sentence per line)")
    ("vectors", po::value(&o.vectors), "Word2Vec vectors: vocabulary and initial embeddings")
    ("tokenizer", po::value(&o.tokenizer), "BPE model instead of --vectors (random embeddings)")
    ("output", po::value(&o.output), "weights to write (.safetensors)")
    ("random-init", po::bool_switch(&o.random_init), "with --vectors: their vocabulary, random embeddings (ablation)")
    ("objective", po::value(&text.objective)->default_value(text.objective), "mlm, or simcse (contrastive tuning of sentence vectors)")
    ("init", po::value(&o.init), "simcse: start from these weights (an MLM model trained with the same --vectors); its shape is kept")
    ("temperature", value_default(&o.temperature), "simcse: InfoNCE temperature")
    ("preset", po::value<std::string>(), ("a measured recipe's settings as the defaults below (given options still win): " +
        enc::valid_presets() + "; quick = " + enc::describe_preset(enc::TrainPreset::kQuick) + "; standard = " +
        enc::describe_preset(enc::TrainPreset::kStandard)).c_str());
  add_shape_options(desc, shape, "d_model with --tokenizer (with --vectors: their size; another --dim is an error)");
  add_size_option(desc, "max-len", o.max_len, "longest sequence ([CLS] included); longer lines are split");
  add_size_option(desc, "batch-tokens", o.batch_tokens, "tokens per batch (padding included)");
  add_size_option(desc, "steps", o.steps, "optimizer steps (0: use --epochs)", true);
  add_size_option(desc, "threads", o.threads, "threads (default: the cores)");
  desc.add_options()
    ("epochs", po::value(&o.epochs)->default_value(o.epochs), "passes over the training sequences")
    ("lr", value_default(&o.lr), "peak learning rate")
    ("warmup", po::value(&o.warmup)->default_value(o.warmup), "linear warm-up steps")
    ("schedule", po::value(&text.schedule)->default_value(text.schedule), "after warm-up: linear (to 0), cosine or constant")
    ("weight-decay", value_default(&o.weight_decay), "AdamW weight decay")
    ("clip", value_default(&o.clip), "gradient-norm clipping (0 = off)")
    ("dropout", value_default(&o.dropout), "dropout after the attention block, the activation and the feed-forward block")
    ("attention-dropout", po::value(&o.attention_dropout), "dropout on the attention probabilities (default: --dropout, as PyTorch)")
    ("freeze-embeddings", po::bool_switch(&o.freeze_embeddings), "do not update the embedding matrix")
    ("valid-fraction", value_default(&o.valid_fraction), "share of sequences held out")
    ("eval-every", po::value(&o.eval_every)->default_value(o.eval_every), "steps between held-out evaluations")
    ("checkpoint-every", po::value(&o.checkpoint_every)->default_value(0), "steps between checkpoints (Ctrl-C always writes one)")
    ("checkpoint", po::value(&o.checkpoint), "checkpoint file (default OUTPUT.ckpt)")
    ("snapshot-every", po::value(&o.snapshot_every)->default_value(0), "steps between copies of the weights, OUTPUT.stepN.safetensors (for curves)")
    ("resume", po::bool_switch(&o.resume), "continue from the checkpoint (same options)")
    ("deterministic", "accepted: training is always reproducible for the same seed and --threads")
    ("log", po::value(&o.log), "CSV log of the curves (default OUTPUT.csv)")
    ("seed", po::value(&o.seed)->default_value(o.seed), "random seed")
    ("progress-every", value_default(&progress_every), "seconds between progress lines when not on a terminal");
  // clang-format on
}

// Progress lines on stderr: refreshed in place on a terminal, else one
// every progress_every seconds; held-out evaluations always get a line.
struct ProgressPrinter {
  bool tty;
  double every, last = -1e9;
  void operator()(const enc::EncoderProgress& p) {
    const double interval = tty ? 0.2 : every;
    if (!p.eval && p.step != p.steps && p.seconds - last < interval) return;
    last = p.seconds;
    const double eta = p.tokens_per_s > 0 && p.step > 0 ? p.seconds / static_cast<double>(p.step) * static_cast<double>(p.steps - p.step) : NAN;
    char buf[256];
    std::snprintf(buf, sizeof buf, "step %zu/%zu  %s tokens/s  loss %.4f  lr %.2e  ETA %s", p.step, p.steps,
                  human_count(p.tokens_per_s).c_str(), p.loss, p.lr, human_duration(eta).c_str());
    if (p.eval) {
      std::fprintf(stderr, tty ? "\r%s  | held-out loss %.4f ppl %.1f acc %.4f\033[K\n" : "%s  | held-out loss %.4f ppl %.1f acc %.4f\n",
                   buf, p.valid_loss, std::exp(p.valid_loss), p.valid_acc);
    } else {
      std::fprintf(stderr, tty ? "\r%s\033[K" : "%s\n", buf);
    }
  }
};

void print_result(const enc::EncoderTrainOptions& o, const enc::EncoderTrainResult& r) {
  std::printf("steps             %zu\n", r.steps);
  std::printf("sequences         %zu (%zu long lines split), %zu held out\n", r.sequences, r.splits, r.valid_sequences);
  if (o.objective == enc::ObjectiveKind::kSimcse)
    std::printf("held-out SimCSE   loss %.4f, own-twin retrieval accuracy %.4f\n", r.valid_loss, r.valid_acc);
  else
    std::printf("held-out MLM      loss %.4f, perplexity %.1f, masked-token accuracy %.4f\n", r.valid_loss, std::exp(r.valid_loss), r.valid_acc);
  std::printf("wall time         %s\n", human_duration(r.seconds).c_str());
  std::printf("weights written   %s (log %s)\n", o.output.c_str(), o.log_path().c_str());
  if (common::dist::distributed())
    std::printf("ranks             %d (%.2f s in communication on rank 0, %.2f MB sent per step)\n", common::dist::size(),
                r.comm_seconds, r.steps ? static_cast<double>(r.comm_bytes) / 1e6 / static_cast<double>(r.steps) : 0.0);
}

// --preset NAME (or --preset=NAME) anywhere in argv, read before the
// options are declared so that the preset's values become their defaults.
void apply_preset_option(int argc, char** argv, enc::EncoderTrainOptions& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    std::string name;
    if (a == "--preset" && i + 1 < argc) name = argv[i + 1];
    else if (a.rfind("--preset=", 0) == 0) name = a.substr(9);
    else continue;
    enc::apply_preset(enc::parse_preset(name, "--preset"), o);
    return;
  }
}

}  // namespace

int encoder_train(int argc, char** argv) {
  enc::EncoderTrainOptions o;
  apply_preset_option(argc, argv, o);
  ShapeOptions shape;
  shape.dim = o.dim, shape.heads = o.heads, shape.layers = o.layers, shape.ffn_mult = o.ffn_mult, shape.window = o.window;
  TrainText text;
  double progress_every = 10;
  po::options_description desc(
      "usage: wordlens encoder train --corpus FILE... (--vectors V.bin | --tokenizer BPE) --output M.safetensors [options]\n\n"
      "Masked-language-model pre-training: 15% of the tokens (80% [MASK], 10% random, 10% kept)\n"
      "are predicted through the tied embedding matrix. With --vectors the vocabulary and the\n"
      "initial embeddings come from a Word2Vec run (d_model = their size).\n"
      "--objective simcse --init MLM.safetensors: unsupervised SimCSE — each sentence encoded twice\n"
      "with different dropout must find its twin in the batch (mean-pooled, cosine / temperature).\n"
      "The model keeps its shape; a shape option given with it must agree with the model.\n"
      "The corpus is normalised on the fly as the vectors' text was (their record V.bin.json, written by\n"
      "`train --normalize`), or as the normalisation options say; the model records the normaliser.\n\noptions");
  add_train_options(desc, o, shape, text, progress_every);
  NormalizerFlags nf;
  add_normalizer_options(desc, nf);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  o.normalizer = normalizer_request(nf, vm);
  o.objective = enc::parse_objective(text.objective, "--objective");
  o.schedule = enc::parse_schedule(text.schedule, "--schedule");
  apply_shape(shape, vm, o);
  o.validate();
  common::TrainHooks<enc::EncoderProgress> hooks;
  if (common::dist::is_root()) hooks.on_progress = ProgressPrinter{::isatty(2) != 0, progress_every};
  hooks.should_stop = [] { return common::stop_requested(); };
  enc::EncoderTrainResult r;
  {
    StopSignal stop_on_ctrl_c;
    r = enc::train_encoder(o, hooks);
  }
  if (::isatty(2) && common::dist::is_root()) std::fprintf(stderr, "\n");
  if (!common::dist::is_root()) return r.interrupted ? 130 : 0;  // rank 0 reports
  if (r.interrupted) {
    std::fprintf(stderr, "wordlens encoder train: interrupted at step %zu; state saved to '%s': run the same command with --resume\n",
                 r.steps, o.checkpoint_path().c_str());
    return 130;
  }
  print_result(o, r);
  return 0;
}

}  // namespace cli
