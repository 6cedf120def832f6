// wordlens index: every line of a text file embedded once, into an index
// that `wordlens search` queries.
#include <chrono>
#include <cstdio>
#include <string>

#include <boost/program_options.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/normalizer_options.h"
#include "cli/progress_line.h"
#include "common/errors.h"
#include "common/file_identity.h"
#include "common/text_format.h"
#include "compare/index_build.h"

namespace po = boost::program_options;

namespace cli {

namespace {

constexpr const char* kUsage =
    "usage: wordlens index --input FILE --output INDEX --method METHOD\n"
    "                      [--vectors V.bin] [--vocab COUNTS] [--model M.safetensors] [--layer N|all-mean]\n"
    "                      [--dtype f32|f16]\n\n"
    "Embeds every line of FILE (a sentence, a paragraph or a document) once, as `wordlens embed`\n"
    "does, and writes INDEX for `wordlens search`: the unit vectors (float32 or fp16), the byte\n"
    "offset of each line in FILE, the method (and the encoder's --layer), the files used and their\n"
    "fingerprints, and the normaliser (for sif and encoder-sif also the first principal component\n"
    "of the lines, removed from every\n"
    "query too). The file is streamed in chunks of lines; lines without a known token get a zero\n"
    "vector, are counted and never match. search reads the lines' text from FILE: keep it.\n\noptions";

void print_summary(const cmp::IndexBuildOptions& o, const cmp::IndexBuildStats& st, double seconds) {
  std::fprintf(stderr, "wrote %s: %s x %zu (%s, %s) in %.1f s (%.0f lines/s); %s without a known token (zero vectors, never found)",
               o.output.c_str(), common::plural(st.lines, "line", "lines").c_str(), st.dim,
               std::string(cmp::to_string(o.embed.method)).c_str(), std::string(cmp::to_string(o.dtype)).c_str(), seconds,
               seconds > 0 ? static_cast<double>(st.lines) / seconds : 0.0, common::plural(st.empty, "line", "lines").c_str());
  if (cmp::uses_encoder(o.embed.method))
    std::fprintf(stderr, ", %s cut at max_len\n", common::plural(st.truncated, "line", "lines").c_str());
  else
    std::fprintf(stderr, "; %zu of %zu tokens known (%.1f%%)\n", st.known, st.tokens,
                 st.tokens ? 100.0 * static_cast<double>(st.known) / static_cast<double>(st.tokens) : 0.0);
}

}  // namespace

int cmd_index(int argc, char** argv) {
  cmp::IndexBuildOptions o;
  std::string method = "avg", dtype = "f32", layer;
  double progress_every = 10;
  po::options_description desc(kUsage);
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("input", po::value(&o.input), "text, one sentence / paragraph / document per line")
    ("output", po::value(&o.output), "the index file to write")
    ("method", po::value(&method)->default_value(method), cmp::sentence_method_list().c_str())
    ("vectors", po::value(&o.embed.vectors), "word vectors (word2vec binary/text)")
    ("vocab", po::value(&o.embed.vocab), "word counts for sif and encoder-sif ('word count' lines, train -save-vocab)")
    ("model", po::value(&o.embed.model), "encoder weights for encoder-*")
    ("layer", po::value(&layer), "encoder-*: the hidden state after layer N (from 0), last, or all-mean (default: last)")
    ("tokenizer", po::value(&o.embed.tokenizer), "the BPE model of an encoder that does not store it (older weights)")
    ("sif-a", po::value(&o.embed.sif_a)->default_value(o.embed.sif_a), "SIF smoothing a")
    ("dtype", po::value(&dtype)->default_value(dtype), "f32 or f16 (half the size; cosines within about 1e-3)")
    ("threads", threads_value(&o.embed.threads), "threads")
    ("chunk", po::value(&o.chunk_lines)->default_value(o.chunk_lines), "lines embedded at a time")
    ("progress-every", po::value(&progress_every)->default_value(progress_every), "seconds between progress lines when stderr is not a terminal");
  // clang-format on
  NormalizerFlags nf;
  add_normalizer_options(desc, nf);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  o.embed.method = cmp::parse_sentence_method(method, "--method");
  if (!layer.empty()) o.embed.layer = enc::parse_layer_choice(layer, "--layer");
  o.dtype = cmp::parse_index_dtype(dtype, "--dtype");
  o.normalizer = normalizer_request(nf, vm);
  o.validate();
  common::check_outputs_distinct({{"--output", o.output}}, {{"--input", o.input}, {"--vectors", o.embed.vectors},
                                                           {"--vocab", o.embed.vocab}, {"--model", o.embed.model},
                                                           {"--tokenizer", o.embed.tokenizer}});
  ProgressLine progress(progress_every);
  const auto t0 = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  const auto st = cmp::build_sentence_index(o, [&](std::uint64_t done, std::uint64_t total) {
    progress.update_bytes(done, total, seconds(), false);
  });
  progress.finish();
  print_summary(o, st, seconds());
  return 0;
}

}  // namespace cli
