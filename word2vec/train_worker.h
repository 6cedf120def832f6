// One Word2Vec training worker: reads sentences from its byte range of the
// corpus, subsamples them and trains every window with the WindowKernel
// (Hogwild on the shared matrices), epoch after epoch, publishing its word
// count and the decayed learning rate. Its state checkpoints exactly.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "common/corpus_files.h"
#include "common/rng.h"
#include "tokenizer/token_source.h"
#include "word2vec/batch_kernel.h"
#include "word2vec/cbow_batch_kernel.h"
#include "word2vec/checkpoint.h"
#include "word2vec/huffman.h"
#include "word2vec/id_cache.h"
#include "word2vec/sampling.h"
#include "word2vec/train_options.h"
#include "word2vec/vocab.h"
#include "word2vec/window_kernel.h"

namespace w2v {

// State shared by all workers of one run.
struct TrainShared {
  const TrainOptions& opt;
  const Vocab& vocab;
  Params& params;
  const HuffmanCodes* huffman;     // null without -hs
  const NegativeSampler* sampler;  // null without -negative
  const Subsampler& subsampler;
  const SigmoidTable& sigmoid;
  std::uint64_t words_total;  // iter × train_words
  float alpha0;
  std::atomic<std::uint64_t> words_done{0};  // word2vec.c's word_count_actual
  std::atomic<float> alpha{0};               // the latest published learning rate
  std::mutex loss_mu;
  double loss_sum = 0;
  std::uint64_t loss_count = 0;
  std::uint64_t flops = 0;  // nominal arithmetic of the updates (LossTally), this run
  // Under mpirun (RankSync): words_done estimates the count of all ranks by
  // adding this rank's words × words_scale (the rank count) between syncs,
  // which set it exactly; local_words counts this rank's words alone.
  std::uint64_t words_scale = 1;
  std::atomic<std::uint64_t> local_words{0};
};

class TrainWorker {
 public:
  static constexpr int kMaxSentence = 1000;          // words per sentence, as word2vec.c
  static constexpr std::uint64_t kPublishEvery = 10000;  // words between alpha updates

  // Reads [range.first, range.second) of corpus, starting from st (a fresh
  // state or one from a checkpoint).
  TrainWorker(TrainShared& s, const common::CorpusFiles& corpus, std::pair<std::uint64_t, std::uint64_t> range,
              const WorkerState& st, const tok::BpeModel* tokenizer);

  bool done() const { return st_.done; }

  // Reads and trains one sentence. Returns false once every epoch is done.
  bool step();

  // The state to resume from, as of the last completed step().
  WorkerState state() const;

  // Writes this worker's private rows (HotRows) back into the shared
  // matrices; the next step() reloads them. Called by its own thread before
  // the matrices are read or replaced: HogwildRunner at each pause and when
  // the thread ends (DeterministicRunner's workers have no private rows).
  void flush_shared();
  // How many hot nodes a worker of these options keeps private (0 = none):
  // --private-nodes with -hs 1, --update batch and 2+ Hogwild threads.
  static std::size_t hot_nodes(const TrainOptions& opt);

 private:
  // Fills sen_ with the next sentence's kept word ids; returns its length and
  // sets *range_end when the range is exhausted.
  int read_sentence(bool* range_end);
  // The next vocabulary id, IdCache::kNewline, kBreak or kEnd: replayed from
  // the cache, or read (and recorded while the cache records).
  std::int32_t next_event();
  // Records the epoch starting now into the cache if a later epoch will replay it.
  void record_if_replayed();
  void train_sentence(int len);
  // Counts the epoch just finished; false once it was the last one.
  bool next_epoch();
  // Adds this worker's new words to the global count and recomputes the
  // learning rate from it (word2vec.c's linear decay with a floor).
  void publish();

  TrainShared& s_;
  std::unique_ptr<tok::TokenSource> reader_;
  WindowKernel kernel_;
  std::optional<BatchKernel> batch_;            // skip-gram with --update batch
  std::optional<CbowBatchKernel> cbow_batch_;   // CBOW with --update batch
  IdCache cache_;
  WorkerState st_;
  common::Lcg rng_;
  std::int32_t sen_[kMaxSentence + 1];
};

}  // namespace w2v
