// wordlens compare: averaged Word2Vec sentence vectors against the
// encoder's contextual vectors, on one vocabulary, over STS-Benchmark, WiC,
// Lee and word sense induction (RUSSE 2018 layout). Scores are kept as JSON
// (the shape `compare --json` prints) and the sentence vectors of the first
// STS file are kept for the report's embedding map.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/text_format.h"
#include "common/aligned.h"
#include "common/work_progress.h"
#include "compare/sts.h"
#include "compare/lee.h"
#include "encoder/model.h"
#include "encoder/pooling.h"
#include "encoder/train_data.h"
#include "compare/wic.h"
#include "compare/wsi.h"
#include "compare/wsi_score.h"
#include "tokenizer/normalizer.h"
#include "word2vec/sentence_vectors.h"
#include "word2vec/vectors_io.h"

namespace cmp {

// The rows of the STS and Lee blocks: (JSON key, method name), in order.
extern const std::vector<std::pair<std::string, std::string>> kSentenceRows;

struct CompareOptions {
  std::string vectors;            // Word2Vec vectors: the static rows (and the vocabulary of an encoder trained from them)
  std::string model;              // encoder trained from those vectors, or on BPE tokens (optional)
  std::string tokenizer;          // BPE model of an encoder that does not store its own (optional)
  std::string vocab;              // word counts for SIF (optional)
  std::vector<std::string> sts;   // STS-Benchmark files
  std::string wic, lee;           // benchmark directories
  std::vector<std::string> wsi;   // word sense induction files (RUSSE 2018 layout)
  std::string report;             // output directory of report.md / report.html
  std::size_t wic_window = 5;     // WiC static_window: ±wic_window words around the target
  std::size_t wsi_window = 5;     // WSI static_window: ±wsi_window words around the target
  std::size_t batch = 64;         // sentences per encoder forward
  enc::LayerChoice layer;         // the encoder rows' hidden states (default: the final ones)
  int threads = common::default_threads();
  tok::NormalizerOptions normalizer;  // how every benchmark sentence is normalised
  bool strict = false;            // a sentence without a word of the vectors is an InputError (else counted)
  // Supervised rows (issue 15): a CoSENT linear map per sentence row learned on this STS-B train
  // file, scored on every --sts file; the WiC classifier with --supervised (implied by sts_train).
  std::string sts_train;
  bool supervised = false;
  std::uint64_t seed = 1;         // minibatch order of the maps, held-out slice, cross-validation folds
  bool wic_supervised() const { return !wic.empty() && (supervised || !sts_train.empty()); }
  // Throws OptionError: neither vectors nor model, nothing to compare, --wsi
  // without --vectors, two WSI files with the same base name (the JSON key),
  // --sts-train without --sts, --supervised without --wic.
  void validate() const;
};

// Sentence vectors of one STS file (both sides stacked: rows 0..n-1 are
// sentence 1, n..2n-1 sentence 2) for the embedding map.
struct StsVectors {
  std::string file;
  std::vector<std::string> genre, text;      // [2n]
  common::Matrix avg, encoder_mean;          // [2n, d] (0 x 0 without vectors / a model)
};

// The target vectors of a WiC split's items in their two sentences: [S, d] each.
struct WicPairs {
  common::Matrix u, v;
};

class Comparison {
 public:
  // Reads every benchmark file the options name first (bad input fails
  // before any work; WSI contexts go through
  // opt.normalizer too), then loads the vectors and the encoder (refused if trained on
  // other vectors; an encoder trained on BPE tokens brings its own
  // vocabulary and reads the raw text). Without vectors the static rows
  // (avg, sif, static, static_window) are null: skipped, and logged.
  explicit Comparison(const CompareOptions& opt);
  bool has_model() const { return model_ != nullptr; }
  bool has_vectors() const { return sv_ != nullptr; }
  bool has_counts() const { return sv_ && sv_->has_counts(); }
  enc::Encoder* model() { return model_.get(); }
  const enc::EncoderVocab& encoder_vocab() const { return ev_; }
  const w2v::Embeddings& embeddings() const { return e_; }
  // The normaliser of every sentence (opt.normalizer), for the report's examples too.
  tok::Normalizer& normalizer() { return norm_; }

  // {"avg": x|null, "sif": x|null, "encoder_mean": x|null, "encoder_cls": x|null,
  //  "encoder_mean_no_cls": x|null, "encoder_sif": x|null, "encoder_sif_weighted": x|null}
  // (kSentenceRows) for opt.sts[i]; the encoder rows at opt.layer, encoder_sif* need counts
  // and a word-level encoder.
  nlohmann::ordered_json run_sts(std::size_t i, StsVectors* keep);
  // {"<split>": {"static": x|null, "static_window": x|null, "encoder": x|null}} for
  // every split but train; *thresholds gets {"<method>": {"threshold": t,
  // "train_accuracy": x}}.
  nlohmann::ordered_json run_wic(nlohmann::ordered_json* thresholds);
  // The same rows as run_sts.
  nlohmann::ordered_json run_lee();
  // Learns a linear map per sentence row on opt.sts_train (before run_sts, which then also
  // fills sts_supervised() with the rows of the mapped vectors).
  void learn_sts_maps();
  // {FILE: {row: x|null}}: the dev Spearman of cos(W x1, W x2) of every STS file run so far.
  const nlohmann::ordered_json& sts_supervised() const { return sts_sup_; }
  // After run_wic with opt.wic_supervised(): {"<split>": {"static_window": x|null, "encoder": x|null}},
  // the accuracy of a logistic-regression classifier trained on the train split.
  nlohmann::ordered_json run_wic_supervised();
  // How the supervised rows were obtained: {"sts_train", "sts_train_pairs", "map": {settings},
  // "sts_maps": {row: {weight_decay, epochs, held_out, held_out_identity}}, "wic_classifier":
  // {method: {lambda, cv_accuracy, train_accuracy, features}}, "encoder_finetuned": x|null}.
  const nlohmann::ordered_json& supervision() const { return supervision_; }
  // Word sense induction on opt.wsi[i] (the block score_wsi describes).
  nlohmann::ordered_json run_wsi(std::size_t i);
  // Every benchmark the options name, in the shape `compare --json` prints:
  // {"sts": {FILE: ...}, "wic": ..., "lee": ..., "wsi": {FILE: ...}, "wic_threshold": ...,
  //  "zero_vectors": {"sts": {FILE: n}, "wic": {SPLIT: {"static": n,
  //  "static_window": n}}, "lee": n}}, the last counting the sentences (or
  // WiC items) without a word of the vectors, whose vectors are zero;
  // *keep gets the first STS file's sentence vectors (for the report's map).
  nlohmann::ordered_json run_all(StsVectors* keep);
  // The "zero_vectors" counts of the benchmarks run so far.
  const nlohmann::ordered_json& zero_vectors() const { return zero_; }
  // Reports the benchmarks' progress: each phase as it starts (done 0,
  // total 0: "sts-dev.csv: avg"), and the encoder's forward passes batch by
  // batch (sentences done of total).
  void set_progress(common::WorkProgressFn fn) { progress_ = std::move(fn); }

 private:
  // The encoder's token ids of raw texts (BPE) or of their normalised words.
  enc::TokenIds encoder_ids(const std::vector<std::string>& raw, const std::vector<std::vector<std::string>>& words) const;
  // WiC: the target's contextual vectors in the two sentences, read as BPE pieces.
  WicPairs wic_encoder_bpe(const std::vector<WicItem>& items, const std::string& what);
  // Counts and reports `rows` (of `total`), the sentences of `what` without
  // a word of the vectors (zero vectors, cosine 0): a warning naming the
  // first (where(row)), or an InputError under --strict.
  std::size_t report_zero(const std::vector<std::size_t>& rows, std::size_t total, const std::string& what,
                          const std::function<std::string(std::size_t)>& where, const std::string& why);
  std::vector<std::size_t> rows_without_known(const std::vector<std::vector<std::string>>& sentences) const;
  // The zero-vector counts of STS file i, of Lee, and of WiC split s: for
  // WiC, targets without a vector (static) and items with a window of no
  // known word on either side (static_window).
  void zero_sts(std::size_t i);
  void zero_lee();
  void zero_wic(std::size_t s);
  // Reports that phase `name` starts; returns the reporter of its encoder batches (empty without set_progress).
  enc::BatchProgress phase(const std::string& name) const;

  CompareOptions opt_;
  tok::Normalizer norm_;
  std::vector<StsData> sts_;
  std::vector<WicSplit> wic_;
  LeeData lee_;
  std::vector<WsiPrepared> wsi_;
  w2v::Embeddings e_;
  std::unique_ptr<w2v::SentenceVectors> sv_;
  std::unique_ptr<enc::Encoder> model_;
  enc::EncoderVocab ev_;
  std::vector<std::vector<std::vector<std::string>>> sts_both_;  // per STS file: both sides normalised, stacked
  std::vector<std::vector<std::string>> lee_docs_;                // the Lee documents normalised
  nlohmann::ordered_json zero_ = nlohmann::ordered_json::object();
  common::WorkProgressFn progress_;
  std::vector<float> token_weights_;  // SIF weights by encoder id (word-level encoder and counts), else empty
  StsData sts_train_;                                            // opt.sts_train
  std::vector<std::vector<std::string>> sts_train_both_;         // its sentences normalised, both sides stacked
  std::vector<std::pair<std::string, common::Matrix>> maps_;    // row key -> W [d, d]
  nlohmann::ordered_json sts_sup_ = nlohmann::ordered_json::object(), supervision_ = nlohmann::ordered_json::object();
  std::vector<std::array<WicPairs, 2>> wic_pairs_;  // per split: {static_window, encoder} (wic_supervised only)

  // Handed each row's vectors (JSON key, x[rows, d]); x may be moved from.
  using RowFn = std::function<void(const std::string&, common::Matrix&)>;
  using PoolFn = std::function<common::Matrix(const enc::PoolSpec&, const enc::BatchProgress&)>;
  // Every sentence row of kSentenceRows with its inputs (static rows with vectors, sif* with counts,
  // encoder rows with a model) over the sentences both / raw, in order.
  void sentence_rows(const std::string& what, const std::vector<std::vector<std::string>>& both,
                     const std::vector<std::string>& raw, const RowFn& each);
  // The encoder rows of a block: `pool` (pool_sentences or pool_documents
  // with a PoolSpec) for each pooling (a component removed for encoder_sif).
  void encoder_rows(const std::string& what, const PoolFn& pool, const RowFn& each);
  const common::Matrix* map_of(const std::string& key) const;
};

}  // namespace cmp
