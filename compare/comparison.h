// wordlens compare: averaged Word2Vec sentence vectors against the
// encoder's contextual vectors, on one vocabulary, over STS-Benchmark, WiC
// and Lee. Scores are kept as JSON (the shape `compare --json` prints) and
// the sentence vectors of the first STS file are kept for the report's
// embedding map.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/aligned.h"
#include "compare/sts.h"
#include "compare/lee.h"
#include "encoder/model.h"
#include "encoder/train_data.h"
#include "compare/wic.h"
#include "tokenizer/normalizer.h"
#include "word2vec/sentence_vectors.h"
#include "word2vec/vectors_io.h"

namespace cmp {

struct CompareOptions {
  std::string vectors;            // Word2Vec vectors (required)
  std::string model;              // encoder trained from those vectors (optional)
  std::string vocab;              // word counts for SIF (optional)
  std::vector<std::string> sts;   // STS-Benchmark files
  std::string wic, lee;           // benchmark directories
  std::string report;             // output directory of report.md / report.html
  std::size_t wic_window = 5;     // WiC static_window: ±wic_window words around the target
  std::size_t batch = 64;         // sentences per encoder forward
  int threads = 2;
  tok::NormalizerOptions normalizer;  // how every benchmark sentence is normalised
  // Throws OptionError: no vectors, nothing to compare.
  void validate() const;
};

// Sentence vectors of one STS file (both sides stacked: rows 0..n-1 are
// sentence 1, n..2n-1 sentence 2) for the embedding map.
struct StsVectors {
  std::string file;
  std::vector<std::string> genre, text;      // [2n]
  common::Matrix avg, encoder_mean;          // [2n, d] (encoder_mean 0 x 0 without a model)
};

class Comparison {
 public:
  // Reads every benchmark file the options name first (bad input fails
  // before any work), then loads the vectors (and the encoder, refused if
  // trained on other vectors).
  explicit Comparison(const CompareOptions& opt);
  bool has_model() const { return model_ != nullptr; }
  bool has_counts() const { return sv_->has_counts(); }
  enc::Encoder* model() { return model_.get(); }
  const enc::EncoderVocab& encoder_vocab() const { return ev_; }
  const w2v::Embeddings& embeddings() const { return e_; }
  // The normaliser of every sentence (opt.normalizer), for the report's examples too.
  tok::Normalizer& normalizer() { return norm_; }

  // {"avg": x, "sif": x|null, "encoder_mean": x|null, "encoder_cls": x|null}
  // for opt.sts[i].
  nlohmann::ordered_json run_sts(std::size_t i, StsVectors* keep);
  // {"<split>": {"static": x, "static_window": x, "encoder": x|null}} for
  // every split but train; *thresholds gets {"<method>": {"threshold": t,
  // "train_accuracy": x}}.
  nlohmann::ordered_json run_wic(nlohmann::ordered_json* thresholds);
  // {"avg": x, "sif": x|null, "encoder_mean": x|null, "encoder_cls": x|null}
  nlohmann::ordered_json run_lee();
  // Every benchmark the options name, in the shape `compare --json` prints:
  // {"sts": {FILE: ...}, "wic": ..., "lee": ..., "wic_threshold": ...};
  // *keep gets the first STS file's sentence vectors (for the report's map).
  nlohmann::ordered_json run_all(StsVectors* keep);

 private:
  CompareOptions opt_;
  tok::Normalizer norm_;
  std::vector<StsData> sts_;
  std::vector<WicSplit> wic_;
  LeeData lee_;
  w2v::Embeddings e_;
  std::unique_ptr<w2v::SentenceVectors> sv_;
  std::unique_ptr<enc::Encoder> model_;
  enc::EncoderVocab ev_;
};

}  // namespace cmp
