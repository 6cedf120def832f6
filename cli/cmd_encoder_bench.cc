// wordlens encoder bench: times a random encoder (enc::bench_encoder) and
// prints the result.
#include <cstdio>
#include <string>

#include <boost/program_options.hpp>

#include "cli/cmd_encoder.h"
#include "cli/encoder_options.h"
#include "cli/progress_line.h"
#include "encoder/bench.h"

namespace po = boost::program_options;

namespace cli {

namespace {

void print_bench(const enc::EncoderConfig& cfg, const enc::BenchOptions& o, const enc::BenchResult& r, bool json) {
  if (json) {
    std::printf("{\"forward_ms\": %.2f, \"train_step_ms\": %.2f, \"forward_tokens_per_s\": %.0f, \"train_tokens_per_s\": %.0f, "
                "\"forward_gflops\": %.1f, \"train_gflops\": %.1f, \"sgemm_gflops\": %.1f, \"forward_of_sgemm\": %.4f, "
                "\"train_of_sgemm\": %.4f, \"window\": %zu, \"batch\": %zu, \"seq\": %zu}\n",
                r.forward_ms, r.train_step_ms, r.forward_tokens_per_s(), r.train_tokens_per_s(), r.forward_gflops(),
                r.train_gflops(), r.sgemm_gflops, r.forward_of_sgemm, r.train_of_sgemm, cfg.attention_window, o.batch,
                o.seq);
    return;
  }
  std::printf("encoder: B=%zu T=%zu d=%zu heads=%zu layers=%zu ffn=%zu vocab=%zu window=%zu threads=%d (%s, %s)\n", o.batch,
              o.seq, cfg.d_model, cfg.n_heads, cfg.n_layers, cfg.d_ff, cfg.vocab_size, cfg.attention_window, o.threads,
              cfg.norm_first ? "pre-norm" : "post-norm", std::string(enc::to_string(cfg.activation)).c_str());
  std::printf("forward         %8.2f ms  %9.0f tokens/s  %6.1f GFLOP/s (%.0f%% of sgemm)\n", r.forward_ms,
              r.forward_tokens_per_s(), r.forward_gflops(), 100 * r.forward_of_sgemm);
  std::printf("MLM train step  %8.2f ms  %9.0f tokens/s  %6.1f GFLOP/s (%.0f%% of sgemm)\n", r.train_step_ms,
              r.train_tokens_per_s(), r.train_gflops(), 100 * r.train_of_sgemm);
  std::printf("sgemm 4096x1024x256: %.1f GFLOP/s (median of the reference points; each forward and each step is compared\n"
              "  with the reference measured just before and after it, the median of those fractions shown above)\n",
              r.sgemm_gflops);
}

}  // namespace

int encoder_bench(int argc, char** argv) {
  enc::EncoderConfig cfg;
  ShapeOptions shape;  // d_model 256, 4 heads, 4 layers, d_ff 4 x 256
  enc::BenchOptions o;
  bool json = false;
  po::options_description desc(
      "usage: wordlens encoder bench [--batch 32 --seq 128 --dim 256 --heads 4 --layers 4 --ffn-mult 4\n"
      "                              --vocab 30000 --threads 2 --window 0]\n\n"
      "Times one forward and one MLM training step (forward, tied-embedding output at 15% masked\n"
      "positions, backward, AdamW) of a randomly initialised encoder (pre-norm, GELU by default).\n\noptions");
  desc.add_options()("help,h", "show this help");
  add_size_option(desc, "batch", o.batch, "sequences per batch");
  add_size_option(desc, "seq", o.seq, "tokens per sequence");
  add_shape_options(desc, shape);
  add_size_option(desc, "vocab", cfg.vocab_size, "vocabulary size");
  add_size_option(desc, "threads", o.threads, "threads (default: the cores)");
  add_size_option(desc, "repeats", o.repeats, "timed repetitions (median reported)");
  desc.add_options()("json", po::bool_switch(&json), "print one JSON object");
  po::options_description hidden;
  add_hidden_shape_aliases(hidden, shape, true);
  po::variables_map vm;
  if (!parse_with_hidden(argc, argv, desc, hidden, vm)) return 0;
  apply_shape(shape, vm, cfg);
  ProgressLine line;
  const enc::BenchResult r = enc::bench_encoder(cfg, o, [&line](const common::WorkProgress& p) { line.update_work(p); });
  line.finish();
  cfg.max_len = o.seq;
  print_bench(cfg, o, r, json);
  return 0;
}

}  // namespace cli
