// wordlens embed: one vector per input sentence.
#include <cstdio>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "common/text_format.h"
#include "cli/normalizer_options.h"
#include "common/errors.h"
#include "common/file_identity.h"
#include "common/line_reader.h"
#include "common/npy.h"
#include "compare/sentence_embedder.h"
#include "encoder/text_normalizer.h"
#include "tokenizer/normalizer.h"

namespace po = boost::program_options;

namespace cli {

namespace {

// --strict: the first line without a known token, as an InputError naming it.
common::InputError strict_error(const std::string& input, const std::vector<std::vector<std::string>>& sentences,
                                const cmp::EmbedStats& st, const std::string& vectors) {
  const std::size_t row = st.empty_rows.front();
  const bool no_words = row >= sentences.size() || sentences[row].empty();
  return common::InputError(input + ":" + std::to_string(row + 1) + ": " +
                            (no_words ? std::string("no token left after normalisation")
                                      : "none of its " + std::to_string(sentences[row].size()) +
                                            " words is in the vocabulary of " + vectors) +
                            " (" + std::to_string(st.empty) + " such line" + (st.empty == 1 ? "" : "s") +
                            "; without --strict they get zero vectors)");
}

// The one-line report on stderr: what was written and how many tokens were known.
void print_summary(const std::string& output, const std::string& method, const cmp::SentenceEmbedderOptions& o,
                   const common::Matrix& m, const cmp::EmbedStats& st) {
  using common::plural;
  const std::string what = method + (cmp::uses_encoder(o.method) ? ", layer " + enc::to_string(o.layer) : "");
  std::fprintf(stderr, "wrote %s: %s x %zu (%s); ", output.c_str(), plural(m.rows(), "sentence", "sentences").c_str(), m.cols(),
               what.c_str());
  const std::string empty = plural(st.empty, "sentence", "sentences") + " without a known token (zero vectors)";
  if (cmp::uses_encoder(o.method))
    std::fprintf(stderr, "%s, %zu cut at max_len\n", empty.c_str(), st.truncated);
  else
    std::fprintf(stderr, "%zu of %s known (%.1f%%); %s\n", st.known, plural(st.tokens, "token", "tokens").c_str(),
                 st.tokens ? 100.0 * static_cast<double>(st.known) / static_cast<double>(st.tokens) : 0.0, empty.c_str());
}

}  // namespace

int cmd_embed(int argc, char** argv) {
  std::string input, output, method = "avg", layer;
  bool strict = false;
  cmp::SentenceEmbedderOptions o;
  po::options_description desc(
      "usage: wordlens embed --input SENTENCES.txt --output OUT.npy --method METHOD\n"
      "                      [--vectors V.bin] [--vocab COUNTS] [--model M.safetensors] [--layer N|all-mean]\n"
      "                      [--tokenizer BPE]\n\n"
      "One vector per input line. Sentences are normalised like `wordlens normalize` (words of any\n"
      "script, lowercased, punctuation dropped; on ASCII text the benchmark corpus' rule,\n"
      "[a-z0-9]+('[a-z]+)?), as the vectors' (and model's) text was, as their files record it.\n"
      "avg: mean of the known\n"
      "tokens' vectors. sif: weights a/(a + p(w)) from the word counts in --vocab (train\n"
      "-save-vocab writes them), then the first principal component removed (Arora et al.\n"
      "2017); sif-weighted: the same weights, the component kept. encoder-mean / encoder-cls: the final hidden states of an encoder trained by\n"
      "`wordlens encoder train --vectors V.bin` (the same V.bin is needed for its vocabulary),\n"
      "averaged over the sentence's tokens ([CLS] included) or taken at [CLS];\n"
      "encoder-mean-no-cls: averaged over the tokens without [CLS]; encoder-sif: sif's weights\n"
      "a/(a + p(w)) on the hidden states (--vocab; [CLS] and unknown words left out), then the first\n"
      "principal component of the input's sentences removed; encoder-sif-weighted: the same without\n"
      "that removal. --layer N (from 0) pools the hidden state after layer N instead of the final one,\n"
      "read through the final LayerNorm as `context --layer` reads it; --layer all-mean the mean of every\n"
      "layer's. An encoder trained\n"
      "with --tokenizer (BPE) needs no --vectors: it stores its BPE model and reads the raw lines\n"
      "(encoder-sif needs word counts: a word-level encoder).\n"
      "Sentences without a known token get a zero vector and are counted (--strict: an error).\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("input", po::value(&input), "sentences, one per line")
    ("output", po::value(&output), "output .npy, float32 (sentences, dim)")
    ("method", po::value(&method)->default_value(method), cmp::sentence_method_list().c_str())
    ("model", po::value(&o.model), "encoder weights for encoder-*")
    ("layer", po::value(&layer), "encoder-*: the hidden state after layer N (from 0), last, or all-mean (default: last)")
    ("threads", threads_value(&o.threads), "threads for encoder-*")
    ("vectors", po::value(&o.vectors), "word vectors (word2vec binary/text)")
    ("tokenizer", po::value(&o.tokenizer), "the BPE model of an encoder that does not store it (older weights)")
    ("vocab", po::value(&o.vocab), "word counts for sif and encoder-sif ('word count' lines)")
    ("sif-a", value_default(&o.sif_a), "SIF smoothing a")
    ("strict", po::bool_switch(&strict), "a sentence without a known word is an error (naming its line), not a zero vector");
  // clang-format on
  NormalizerFlags nf;
  add_normalizer_options(desc, nf);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  if (input.empty() || output.empty()) throw common::OptionError("--input and --output are required");
  o.method = cmp::parse_sentence_method(method, "--method");
  if (!layer.empty()) o.layer = enc::parse_layer_choice(layer, "--layer");
  o.validate();
  common::check_outputs_distinct({{"--output", output}}, {{"--input", input}, {"--vectors", o.vectors},
                                                         {"--vocab", o.vocab}, {"--model", o.model},
                                                         {"--tokenizer", o.tokenizer}});
  common::LineReader in(input, "input");
  std::vector<std::string> lines;
  for (std::string line; in.next(line);) lines.push_back(std::move(line));
  cmp::SentenceEmbedder embedder(o);
  cmp::EmbedStats st;
  common::Matrix m;
  std::vector<std::vector<std::string>> sentences;
  if (embedder.reads_raw_text()) {
    if (!normalizer_request(nf, vm).given.empty())
      throw common::OptionError("the normalisation options: " + o.model + " reads raw text as BPE pieces");
    m = embedder.embed_text(lines, &st);
  } else {
    tok::Normalizer norm(enc::sentence_normalizer(normalizer_request(nf, vm), o.vectors, cmp::uses_encoder(o.method) ? o.model : ""));
    for (std::size_t i = 0; i < lines.size(); ++i) {
      try {
        sentences.push_back(norm.tokens(lines[i]));
      } catch (const tok::TextError& e) {
        throw e.at(input + ":" + std::to_string(i + 1));
      }
    }
    m = embedder.embed(sentences, &st);
  }
  if (strict && !st.empty_rows.empty()) throw strict_error(input, sentences, st, o.vectors);
  common::write_npy(output, m.data(), m.rows(), m.cols(), m.ld());
  print_summary(output, method, o, m, st);
  return 0;
}

}  // namespace cli
