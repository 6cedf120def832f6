// wordlens encoder forward | bench
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/progress_line.h"
#include "common/aligned.h"
#include "common/blas.h"
#include "common/errors.h"
#include "common/npy.h"
#include "encoder/mlm.h"
#include "encoder/model.h"
#include "encoder/ops.h"
#include "encoder/trainer.h"

namespace po = boost::program_options;

namespace cli {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

std::vector<std::vector<std::int32_t>> read_id_lines(const std::string& path, const enc::EncoderConfig& cfg) {
  std::ifstream in(path);
  if (!in) throw common::InputError("cannot open input '" + path + "'");
  std::vector<std::vector<std::int32_t>> seqs;
  std::string line;
  std::size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    auto ids = parse_id_line(line, cfg.vocab_size, path + ":" + std::to_string(lineno));
    if (ids.size() > cfg.max_len)
      throw common::InputError(path + ":" + std::to_string(lineno) + ": " + std::to_string(ids.size()) +
                               " tokens, longer than the model's max_len " + std::to_string(cfg.max_len));
    seqs.push_back(std::move(ids));
  }
  return seqs;
}

int encoder_forward(int argc, char** argv) {
  std::string model_path, input, output;
  int threads = 2;
  std::size_t batch = 32;
  po::options_description desc(
      "usage: wordlens encoder forward --model M.safetensors --input IDS.txt --output OUT.npy\n\n"
      "Each input line is one sequence of token ids; OUT.npy is float32 (total tokens, d_model):\n"
      "the final hidden states of every token, in input order.\n\noptions");
  desc.add_options()("help,h", "show this help")("model", po::value(&model_path), "encoder weights (safetensors)")(
      "input", po::value(&input), "token ids, one sequence per line")("output", po::value(&output), "output .npy")(
      "batch", po::value(&batch)->default_value(batch), "sequences per batch")(
      "threads", po::value(&threads)->default_value(threads), "threads");
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  if (model_path.empty() || input.empty() || output.empty())
    throw common::OptionError("--model, --input and --output are required");
  if (threads < 1 || batch < 1) throw common::OptionError("--threads and --batch must be at least 1");
  auto model = enc::Encoder::load(model_path);
  model.set_threads(threads);
  const auto& cfg = model.config();
  auto seqs = read_id_lines(input, cfg);
  std::size_t total = 0;
  for (const auto& s : seqs) total += s.size();
  common::AlignedFloats out(std::max<std::size_t>(total, 1) * cfg.d_model);  // [total, d]
  std::size_t row = 0;
  for (std::size_t s0 = 0; s0 < seqs.size(); s0 += batch) {
    const std::size_t bn = std::min(batch, seqs.size() - s0);
    std::size_t t = 1;
    for (std::size_t i = 0; i < bn; ++i) t = std::max(t, seqs[s0 + i].size());
    std::vector<std::int32_t> ids(bn * t, 0), lengths(bn);
    std::vector<std::size_t> real;  // sequences with at least one token
    for (std::size_t i = 0; i < bn; ++i) {
      const auto& q = seqs[s0 + i];
      std::copy(q.begin(), q.end(), ids.begin() + static_cast<std::ptrdiff_t>(i * t));
      lengths[i] = static_cast<std::int32_t>(std::max<std::size_t>(q.size(), 1));  // empty: one pad token, not output
    }
    const float* h = model.forward(ids.data(), lengths.data(), bn, t);
    for (std::size_t i = 0; i < bn; ++i)
      for (std::size_t k = 0; k < seqs[s0 + i].size(); ++k)
        std::copy(h + (i * t + k) * cfg.d_model, h + (i * t + k + 1) * cfg.d_model, out.data() + (row++) * cfg.d_model);
  }
  common::write_npy(output, out.data(), total, cfg.d_model, cfg.d_model);
  std::fprintf(stderr, "wrote %s: %zu tokens x %zu from %zu sequences\n", output.c_str(), total, cfg.d_model, seqs.size());
  return 0;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int encoder_bench(int argc, char** argv) {
  enc::EncoderConfig cfg;
  std::size_t batch = 32, seq = 128, repeats = 5;
  int threads = 2;
  bool post_norm = false, relu = false, json = false;
  po::options_description desc(
      "usage: wordlens encoder bench [--batch 32 --seq 128 --dim 256 --heads 4 --layers 4 --ffn 1024\n"
      "                              --vocab 30000 --threads 2 --window 0]\n\n"
      "Times one forward and one MLM training step (forward, tied-embedding output at 15% masked\n"
      "positions, backward, AdamW) of a randomly initialised encoder (pre-norm, GELU by default).\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("batch", po::value(&batch)->default_value(batch), "sequences per batch")
    ("seq", po::value(&seq)->default_value(seq), "tokens per sequence")
    ("dim", po::value(&cfg.d_model)->default_value(cfg.d_model), "d_model")
    ("heads", po::value(&cfg.n_heads)->default_value(cfg.n_heads), "attention heads")
    ("layers", po::value(&cfg.n_layers)->default_value(cfg.n_layers), "layers")
    ("ffn", po::value(&cfg.d_ff)->default_value(cfg.d_ff), "feed-forward width")
    ("vocab", po::value(&cfg.vocab_size)->default_value(cfg.vocab_size), "vocabulary size")
    ("window", po::value(&cfg.attention_window)->default_value(0), "sliding-window attention ±w (0 = full)")
    ("threads", po::value(&threads)->default_value(threads), "threads")
    ("repeats", po::value(&repeats)->default_value(repeats), "timed repetitions (median reported)")
    ("post-norm", po::bool_switch(&post_norm), "post-norm layers instead of pre-norm")
    ("relu", po::bool_switch(&relu), "ReLU instead of GELU")
    ("json", po::bool_switch(&json), "print one JSON object");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  if (batch < 1 || seq < 1 || repeats < 1 || threads < 1) throw common::OptionError("sizes, --repeats and --threads must be positive");
  cfg.max_len = seq;
  cfg.norm_first = !post_norm;
  cfg.activation = relu ? enc::Activation::kRelu : enc::Activation::kGelu;
  cfg.validate();
  common::set_blas_threads(threads);
  enc::Encoder model(cfg);
  model.init_random(1);
  model.set_threads(threads);
  std::mt19937_64 rng(2);
  enc::MlmBatch b;
  b.batch = batch, b.seq = seq;
  b.ids.resize(batch * seq);
  b.lengths.assign(batch, static_cast<std::int32_t>(seq));
  std::uniform_int_distribution<std::int32_t> id(5, static_cast<std::int32_t>(cfg.vocab_size) - 1);
  for (auto& x : b.ids) x = id(rng);
  enc::MlmBatch masked = b;
  enc::mask_tokens(masked, 0.15, 4, 5, cfg.vocab_size, rng);
  enc::MlmHead head;
  enc::AdamW opt(model.params().total());
  common::AlignedFloats dh(batch * seq * cfg.d_model);
  std::vector<double> fwd, step;
  for (std::size_t r = 0; r <= repeats; ++r) {  // r = 0 is a warm-up
    auto t0 = Clock::now();
    model.forward(b.ids.data(), b.lengths.data(), batch, seq);
    const double f = ms_since(t0);
    t0 = Clock::now();
    model.params().zero_grad();
    const float* h = model.forward(masked.ids.data(), masked.lengths.data(), batch, seq);
    head.forward_backward(model, h, masked, dh.data());
    model.backward(dh.data());
    enc::clip_grad_norm(model.params().grad_all(), model.params().total(), 1.0);
    opt.step(model.params(), 1e-4f, 0.01f);
    const double s = ms_since(t0);
    if (r > 0) fwd.push_back(f), step.push_back(s);
  }
  // Reference point: a plain 4096 x 1024 x 256 sgemm with OpenBLAS's own threads.
  common::set_blas_threads(threads);
  const std::size_t M = 4096, N = 1024, K = 256;
  common::AlignedFloats A(M * K), B(K * N), C(M * N);
  for (std::size_t i = 0; i < M * K; ++i) A.data()[i] = static_cast<float>(i % 7) * 0.1f;
  for (std::size_t i = 0; i < K * N; ++i) B.data()[i] = static_cast<float>(i % 5) * 0.1f;
  std::vector<double> g;
  for (int r = 0; r < 11; ++r) {
    auto t0 = Clock::now();
    common::gemm(false, false, M, N, K, 1.f, A.data(), K, B.data(), N, 0.f, C.data(), N);
    if (r > 0) g.push_back(2.0 * M * N * K / (ms_since(t0) * 1e6));
  }
  const double fwd_ms = median(fwd), step_ms = median(step), sgemm = median(g);
  const double flops = model.forward_flops(batch, seq);
  const double m = static_cast<double>(masked.positions.size());
  const double step_flops = 3 * flops + 3 * 2 * m * static_cast<double>(cfg.vocab_size * cfg.d_model);
  const double fwd_gflops = flops / (fwd_ms * 1e6), step_gflops = step_flops / (step_ms * 1e6);
  const double tokens = static_cast<double>(batch * seq);
  if (json) {
    std::printf("{\"forward_ms\": %.2f, \"train_step_ms\": %.2f, \"forward_tokens_per_s\": %.0f, \"train_tokens_per_s\": %.0f, "
                "\"forward_gflops\": %.1f, \"train_gflops\": %.1f, \"sgemm_gflops\": %.1f, \"window\": %zu, \"batch\": %zu, \"seq\": %zu}\n",
                fwd_ms, step_ms, tokens / (fwd_ms / 1e3), tokens / (step_ms / 1e3), fwd_gflops, step_gflops, sgemm,
                cfg.attention_window, batch, seq);
    return 0;
  }
  std::printf("encoder: B=%zu T=%zu d=%zu heads=%zu layers=%zu ffn=%zu vocab=%zu window=%zu threads=%d (%s, %s)\n", batch,
              seq, cfg.d_model, cfg.n_heads, cfg.n_layers, cfg.d_ff, cfg.vocab_size, cfg.attention_window, threads,
              cfg.norm_first ? "pre-norm" : "post-norm", std::string(enc::to_string(cfg.activation)).c_str());
  std::printf("forward         %8.2f ms  %9.0f tokens/s  %6.1f GFLOP/s (%.0f%% of sgemm)\n", fwd_ms, tokens / (fwd_ms / 1e3),
              fwd_gflops, 100 * fwd_gflops / sgemm);
  std::printf("MLM train step  %8.2f ms  %9.0f tokens/s  %6.1f GFLOP/s (%.0f%% of sgemm)\n", step_ms,
              tokens / (step_ms / 1e3), step_gflops, 100 * step_gflops / sgemm);
  std::printf("sgemm 4096x1024x256: %.1f GFLOP/s (median of 10)\n", sgemm);
  return 0;
}

int encoder_init(int argc, char** argv) {
  enc::EncoderConfig cfg;
  std::string output;
  std::uint64_t seed = 1;
  bool post_norm = false, no_final_norm = false;
  std::string activation = "gelu", positional = "sinusoidal";
  po::options_description desc(
      "usage: wordlens encoder init --output M.safetensors [shape options]\n\n"
      "Writes a randomly initialised encoder (PyTorch's default initialisation for\n"
      "nn.TransformerEncoderLayer; embeddings N(0, 0.02)).\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("output", po::value(&output), "weights file to write (safetensors)")
    ("vocab", po::value(&cfg.vocab_size)->default_value(cfg.vocab_size), "vocabulary size")
    ("dim", po::value(&cfg.d_model)->default_value(cfg.d_model), "d_model")
    ("heads", po::value(&cfg.n_heads)->default_value(cfg.n_heads), "attention heads")
    ("layers", po::value(&cfg.n_layers)->default_value(cfg.n_layers), "layers")
    ("ffn", po::value(&cfg.d_ff)->default_value(cfg.d_ff), "feed-forward width")
    ("max-len", po::value(&cfg.max_len)->default_value(cfg.max_len), "longest sequence")
    ("activation", po::value(&activation)->default_value(activation), "relu or gelu")
    ("positional", po::value(&positional)->default_value(positional), "sinusoidal or learned")
    ("window", po::value(&cfg.attention_window)->default_value(0), "sliding-window attention ±w (0 = full)")
    ("post-norm", po::bool_switch(&post_norm), "post-norm layers (default pre-norm)")
    ("no-final-norm", po::bool_switch(&no_final_norm), "no LayerNorm after the last layer")
    ("seed", po::value(&seed)->default_value(seed), "random seed");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  if (output.empty()) throw common::OptionError("--output is required");
  cfg.activation = enc::parse_activation(activation, "--activation");
  cfg.positional = enc::parse_positional(positional, "--positional");
  cfg.norm_first = !post_norm;
  cfg.final_norm = !no_final_norm;
  cfg.validate();
  enc::Encoder model(cfg);
  model.init_random(seed);
  model.save(output);
  std::printf("wrote %s: %zu parameters\n", output.c_str(), model.params().count());
  return 0;
}

volatile std::sig_atomic_t g_encoder_stop = 0;
void on_encoder_signal(int sig) {
  g_encoder_stop = 1;
  std::signal(sig, SIG_DFL);
}

int encoder_train(int argc, char** argv) {
  enc::EncoderTrainOptions o;
  bool post_norm = false;
  double progress_every = 10;
  std::string objective = "mlm", activation = "gelu", positional = "sinusoidal", schedule = "linear";
  po::options_description desc(
      "usage: wordlens encoder train --corpus FILE... (--vectors V.bin | --tokenizer BPE) --output M.safetensors [options]\n\n"
      "Masked-language-model pre-training: 15% of the tokens (80% [MASK], 10% random, 10% kept)\n"
      "are predicted through the tied embedding matrix. With --vectors the vocabulary and the\n"
      "initial embeddings come from a Word2Vec run (d_model = their size).\n"
      "--objective simcse --init MLM.safetensors: unsupervised SimCSE — each sentence encoded twice\n"
      "with different dropout must find its twin in the batch (mean-pooled, cosine / temperature).\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("corpus", po::value(&o.corpus)->multitoken(), "training text: files, directories or - (one sentence per line)")
    ("vectors", po::value(&o.vectors), "Word2Vec vectors: vocabulary and initial embeddings")
    ("tokenizer", po::value(&o.tokenizer), "BPE model instead of --vectors (random embeddings)")
    ("output", po::value(&o.output), "weights to write (.safetensors)")
    ("random-init", po::bool_switch(&o.random_init), "with --vectors: their vocabulary, random embeddings (ablation)")
    ("objective", po::value(&objective)->default_value(objective), "mlm, or simcse (contrastive tuning of sentence vectors)")
    ("init", po::value(&o.init), "simcse: start from these weights (an MLM model trained with the same --vectors)")
    ("temperature", po::value(&o.temperature)->default_value(o.temperature), "simcse: InfoNCE temperature")
    ("dim", po::value(&o.dim)->default_value(o.dim), "d_model with --tokenizer")
    ("layers", po::value(&o.layers)->default_value(o.layers), "layers")
    ("heads", po::value(&o.heads)->default_value(o.heads), "attention heads")
    ("ffn-mult", po::value(&o.ffn_mult)->default_value(o.ffn_mult), "feed-forward width = ffn-mult x d_model")
    ("post-norm", po::bool_switch(&post_norm), "post-norm layers (default pre-norm, with a final LayerNorm)")
    ("activation", po::value(&activation)->default_value(activation), "gelu or relu")
    ("positional", po::value(&positional)->default_value(positional), "sinusoidal or learned")
    ("window", po::value(&o.window)->default_value(o.window), "sliding-window attention ±w (0 = full)")
    ("max-len", po::value(&o.max_len)->default_value(o.max_len), "longest sequence ([CLS] included); longer lines are split")
    ("batch-tokens", po::value(&o.batch_tokens)->default_value(o.batch_tokens), "tokens per batch (padding included)")
    ("steps", po::value(&o.steps)->default_value(0), "optimizer steps (0: use --epochs)")
    ("epochs", po::value(&o.epochs)->default_value(o.epochs), "passes over the training sequences")
    ("lr", po::value(&o.lr)->default_value(o.lr), "peak learning rate")
    ("warmup", po::value(&o.warmup)->default_value(o.warmup), "linear warm-up steps")
    ("schedule", po::value(&schedule)->default_value(schedule), "after warm-up: linear (to 0), cosine or constant")
    ("weight-decay", po::value(&o.weight_decay)->default_value(o.weight_decay), "AdamW weight decay")
    ("clip", po::value(&o.clip)->default_value(o.clip), "gradient-norm clipping (0 = off)")
    ("dropout", po::value(&o.dropout)->default_value(o.dropout), "dropout after the attention block, the activation and the feed-forward block")
    ("attention-dropout", po::value(&o.attention_dropout), "dropout on the attention probabilities (default: --dropout, as PyTorch)")
    ("freeze-embeddings", po::bool_switch(&o.freeze_embeddings), "do not update the embedding matrix")
    ("valid-fraction", po::value(&o.valid_fraction)->default_value(o.valid_fraction), "share of sequences held out")
    ("eval-every", po::value(&o.eval_every)->default_value(o.eval_every), "steps between held-out evaluations")
    ("checkpoint-every", po::value(&o.checkpoint_every)->default_value(0), "steps between checkpoints (Ctrl-C always writes one)")
    ("checkpoint", po::value(&o.checkpoint), "checkpoint file (default OUTPUT.ckpt)")
    ("resume", po::bool_switch(&o.resume), "continue from the checkpoint (same options)")
    ("deterministic", "accepted: training is always reproducible for the same seed and --threads")
    ("log", po::value(&o.log), "CSV log of the curves (default OUTPUT.csv)")
    ("seed", po::value(&o.seed)->default_value(o.seed), "random seed")
    ("threads", po::value(&o.threads)->default_value(o.threads), "threads")
    ("progress-every", po::value(&progress_every)->default_value(progress_every), "seconds between progress lines when not on a terminal");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  o.objective = enc::parse_objective(objective, "--objective");
  o.activation = enc::parse_activation(activation, "--activation");
  o.positional = enc::parse_positional(positional, "--positional");
  o.schedule = enc::parse_schedule(schedule, "--schedule");
  o.norm_first = !post_norm;
  o.validate();
  const bool tty = ::isatty(2);
  double last = -1e9;
  auto progress = [&](const enc::EncoderProgress& p) {
    const double interval = tty ? 0.2 : progress_every;
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
  };
  std::signal(SIGINT, on_encoder_signal);
  std::signal(SIGTERM, on_encoder_signal);
  common::TrainHooks<enc::EncoderProgress> hooks;
  hooks.on_progress = progress;
  hooks.should_stop = [] { return g_encoder_stop != 0; };
  auto r = enc::train_encoder(o, hooks);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (tty) std::fprintf(stderr, "\n");
  if (r.interrupted) {
    std::fprintf(stderr, "wordlens encoder train: interrupted at step %zu; state saved to '%s': run the same command with --resume\n",
                 r.steps, o.checkpoint_path().c_str());
    return 130;
  }
  std::printf("steps             %zu\n", r.steps);
  std::printf("sequences         %zu (%zu long lines split), %zu held out\n", r.sequences, r.splits, r.valid_sequences);
  if (o.objective == enc::ObjectiveKind::kSimcse)
    std::printf("held-out SimCSE   loss %.4f, own-twin retrieval accuracy %.4f\n", r.valid_loss, r.valid_acc);
  else
    std::printf("held-out MLM      loss %.4f, perplexity %.1f, masked-token accuracy %.4f\n", r.valid_loss, std::exp(r.valid_loss), r.valid_acc);
  std::printf("wall time         %s\n", human_duration(r.seconds).c_str());
  std::printf("weights written   %s (log %s)\n", o.output.c_str(), o.log_path().c_str());
  return 0;
}

}  // namespace

int cmd_encoder(int argc, char** argv) {
  const std::string sub = argc > 1 ? argv[1] : "";
  if (sub == "forward") return encoder_forward(argc - 1, argv + 1);
  if (sub == "bench") return encoder_bench(argc - 1, argv + 1);
  if (sub == "init") return encoder_init(argc - 1, argv + 1);
  if (sub == "train") return encoder_train(argc - 1, argv + 1);
  if (sub.empty() || sub == "-h" || sub == "--help") {
    std::printf(
        "usage: wordlens encoder init|train|forward|bench [options]   (--help on each)\n\n"
        "  init     write a randomly initialised encoder\n"
        "  train    masked-LM pre-training on a corpus\n"
        "  forward  final hidden states of token-id sequences with a trained encoder\n"
        "  bench    time forward and MLM training steps of a random encoder\n");
    return sub.empty() ? 2 : 0;
  }
  throw common::OptionError("unknown encoder command '" + sub + "' (init, train, forward or bench)");
}

}  // namespace cli
