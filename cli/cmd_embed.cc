// wordlens embed: one vector per input sentence.
#include <cstdio>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "common/errors.h"
#include "common/line_reader.h"
#include "common/npy.h"
#include "tokenizer/normalize.h"
#include "encoder/pooling.h"
#include "word2vec/sentence_vectors.h"

namespace po = boost::program_options;

namespace cli {

int cmd_embed(int argc, char** argv) {
  std::string input, output, method = "avg", vectors, vocab, model_path;
  double sif_a = 1e-3;
  int threads = 2;
  po::options_description desc(
      "usage: wordlens embed --input SENTENCES.txt --output OUT.npy --method avg|sif|encoder-mean|encoder-cls\n"
      "                      --vectors V.bin [--vocab COUNTS] [--model M.safetensors]\n\n"
      "One vector per input line. Sentences are normalised as the benchmark corpus was\n"
      "(lowercase, tokens [a-z0-9]+('[a-z]+)?, punctuation dropped). avg: mean of the known\n"
      "tokens' vectors. sif: weights a/(a + p(w)) from the word counts in --vocab (train\n"
      "-save-vocab writes them), then the first principal component removed (Arora et al.\n"
      "2017). encoder-mean / encoder-cls: the final hidden states of an encoder trained by\n"
      "`wordlens encoder train --vectors V.bin` (the same V.bin is needed for its vocabulary),\n"
      "averaged over the sentence's tokens ([CLS] included) or taken at [CLS].\n"
      "Sentences without a known token get a zero vector and are counted.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("input", po::value(&input), "sentences, one per line")
    ("output", po::value(&output), "output .npy, float32 (sentences, dim)")
    ("method", po::value(&method)->default_value(method), "avg, sif, encoder-mean or encoder-cls")
    ("model", po::value(&model_path), "encoder weights for encoder-*")
    ("threads", po::value(&threads)->default_value(threads), "threads for encoder-*")
    ("vectors", po::value(&vectors), "word vectors (word2vec binary/text)")
    ("vocab", po::value(&vocab), "word counts for sif ('word count' lines)")
    ("sif-a", po::value(&sif_a)->default_value(sif_a), "SIF smoothing a");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  if (input.empty() || output.empty()) throw common::OptionError("--input and --output are required");
  const bool encoder = method == "encoder-mean" || method == "encoder-cls";
  if (method != "avg" && method != "sif" && !encoder)
    throw common::OptionError("--method must be avg, sif, encoder-mean or encoder-cls (got '" + method + "')");
  if (encoder && model_path.empty()) throw common::OptionError("--method " + method + " needs --model (encoder weights)");
  if (vectors.empty()) throw common::OptionError("--method " + method + " needs --vectors");
  if (method == "sif" && vocab.empty()) throw common::OptionError("--method sif needs --vocab (word counts from train -save-vocab)");
  if (!(sif_a > 0)) throw common::OptionError("--sif-a must be positive");
  common::LineReader in(input, "input");
  std::vector<std::vector<std::string>> sentences;
  for (std::string line; in.next(line);) sentences.push_back(tok::normalize_tokens(line));
  if (encoder) {
    auto model = enc::Encoder::load(model_path);
    model.set_threads(threads);
    const auto vocab_ids = enc::vocab_for(model, vectors, model_path);
    enc::PoolStats ps;
    auto m = enc::encode_sentences(model, vocab_ids, sentences, method == "encoder-cls" ? enc::Pooling::kCls : enc::Pooling::kMean,
                                   64, &ps);
    common::write_npy(output, m.data(), m.rows(), m.cols(), m.ld());
    std::fprintf(stderr, "wrote %s: %zu sentences x %zu (%s); %zu sentences without a known token (zero vectors), %zu cut at max_len\n",
                 output.c_str(), m.rows(), m.cols(), method.c_str(), ps.empty, ps.truncated);
    return 0;
  }
  auto e = w2v::read_vectors(vectors);
  w2v::SentenceVectors sv(e);
  if (!vocab.empty()) sv.set_counts(vocab);
  w2v::SentenceStats st;
  auto m = method == "avg" ? sv.average(sentences, &st) : sv.sif(sentences, sif_a, &st);
  common::write_npy(output, m.data(), m.rows(), m.cols(), m.ld());
  std::fprintf(stderr, "wrote %s: %zu sentences x %zu (%s); %zu of %zu tokens known (%.1f%%); %zu sentences without a known token (zero vectors)\n",
               output.c_str(), m.rows(), m.cols(), method.c_str(), st.known, st.tokens,
               st.tokens ? 100.0 * static_cast<double>(st.known) / static_cast<double>(st.tokens) : 0.0, st.empty);
  return 0;
}

}  // namespace cli
