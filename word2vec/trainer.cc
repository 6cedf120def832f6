#include "word2vec/trainer.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/text_format.h"
#include "common/blas.h"
#include "common/corpus_files.h"
#include "common/distributed.h"
#include "common/errors.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/token_reader.h"
#include "word2vec/checkpoint.h"
#include "word2vec/huffman.h"
#include "word2vec/rank_sync.h"
#include "word2vec/sampling.h"
#include "word2vec/slice_runner.h"
#include "word2vec/train_supervisor.h"
#include "word2vec/train_worker.h"
#include "word2vec/vectors_io.h"
#include "word2vec/vectors_record.h"

namespace w2v {

namespace {

using Clock = std::chrono::steady_clock;

// What training starts from: fresh, or as a checkpoint left it.
struct Model {
  Vocab vocab;
  Params params;
  Checkpoint ckpt;
};

// The fixed tables the workers read.
struct Samplers {
  std::unique_ptr<HuffmanCodes> huffman;    // with -hs
  std::unique_ptr<NegativeSampler> negative;  // with -negative
  Subsampler subsampler;
  SigmoidTable sigmoid;
};

// Opens every output now: an unwritable destination fails before training,
// not after it (a Ctrl-C always writes the checkpoint).
void probe_outputs(const TrainOptions& opt) {
  { common::AtomicFile probe(opt.output); }
  { common::AtomicFile probe(record_path(opt.output)); }
  { common::AtomicFile probe(opt.checkpoint_path()); }
  if (!opt.save_vocab.empty()) common::AtomicFile probe(opt.save_vocab);
}

std::unique_ptr<tok::BpeModel> load_tokenizer(const TrainOptions& opt) {
  if (opt.tokenizer.empty()) return nullptr;
  return std::make_unique<tok::BpeModel>(tok::BpeModel::load(opt.tokenizer));
}

void init_params(Params& p, std::size_t vocab_size, const TrainOptions& opt) {
  const std::size_t dim = static_cast<std::size_t>(opt.size);
  p.syn0.resize(vocab_size, dim);
  // word2vec.c's initialisation: uniform in [-0.5, 0.5) / dim from its LCG.
  common::Lcg rng(opt.seed);
  for (std::size_t w = 0; w < vocab_size; ++w) {
    float* row = p.syn0.row(w);
    for (std::size_t j = 0; j < dim; ++j)
      row[j] = (static_cast<float>(rng.next() & 0xFFFF) / 65536.f - 0.5f) / static_cast<float>(dim);
  }
  if (opt.hs) p.syn1.resize(vocab_size, dim);
  if (opt.negative > 0) p.syn1neg.resize(vocab_size, dim);
}

// A vocabulary counted from the corpus (or read with -read-vocab), fresh
// matrices and worker states that start at their ranges.
void fresh_model(const TrainOptions& opt, const common::CorpusFiles& corpus, const tok::BpeModel* tokenizer,
                 Model* m, VocabStats* stats) {
  VocabOptions vo{opt.min_count, opt.max_vocab, std::min(opt.threads, 8), tokenizer, opt.normalizer_used()};
  vo.across_ranks = common::dist::distributed();
  m->vocab = opt.read_vocab.empty() ? Vocab::build(corpus, vo, stats) : Vocab::read(opt.read_vocab, vo, stats);
  init_params(m->params, m->vocab.size(), opt);
  m->ckpt.corpus_fingerprint = corpus.fingerprint();
  m->ckpt.workers.resize(static_cast<std::size_t>(opt.threads) * static_cast<std::size_t>(common::dist::size()));
}

// Everything from the checkpoint, which must come from the same input.
void resume_model(const TrainOptions& opt, const common::CorpusFiles& corpus, Model* m) {
  const std::string path = opt.checkpoint_path();
  load_checkpoint(path, opt, &m->vocab, &m->params, &m->ckpt);
  if (m->ckpt.corpus_fingerprint != corpus.fingerprint())
    throw common::OptionError("checkpoint '" + path + "' was made from other training input (" +
                              m->ckpt.corpus_fingerprint + "): resume with the same -train files");
  spdlog::info("resuming from '{}': {} already trained", path, common::plural(m->ckpt.words_done, "word", "words"));
}

void make_samplers(const TrainOptions& opt, const Vocab& vocab, Samplers* s) {
  if (opt.hs) s->huffman = std::make_unique<HuffmanCodes>(vocab.counts());
  if (opt.negative > 0) s->negative = std::make_unique<NegativeSampler>(vocab.counts());
  s->subsampler = Subsampler(vocab.counts(), vocab.train_words(), opt.sample);
}

// One worker per thread over its byte range; a fresh one starts at the
// range with seed + t and the starting learning rate. Under mpirun the
// corpus is cut into threads × ranks ranges and rank r's worker t is
// worker r × threads + t (its range, seed and checkpointed state).
std::vector<std::unique_ptr<TrainWorker>> make_workers(TrainShared& shared, const common::CorpusFiles& corpus,
                                                       const Checkpoint& ckpt, const tok::BpeModel* tokenizer) {
  const TrainOptions& opt = shared.opt;
  const auto nth = static_cast<std::size_t>(opt.threads);
  const std::size_t first = static_cast<std::size_t>(common::dist::rank()) * nth;
  const auto ranges = tok::split_ranges(corpus, opt.threads * common::dist::size(), tokenizer != nullptr);
  std::vector<std::unique_ptr<TrainWorker>> workers;
  for (std::size_t t = first; t < first + nth; ++t) {
    WorkerState st = ckpt.workers[t];
    if (!opt.resume) {
      st.position = ranges[t].first;
      st.rng = opt.seed + t;
      st.alpha = shared.alpha0;
    }
    workers.push_back(std::make_unique<TrainWorker>(shared, corpus, ranges[t], st, tokenizer));
  }
  return workers;
}

// Trains until done or stopped; true if stopped.
bool run_workers(const TrainOptions& opt, TrainSupervisor& supervisor, TrainWorkers workers) {
  common::ScopedBlasThreads single_blas(1);  // the workers are the threads; restored on return
  if (opt.deterministic) {
    DeterministicRunner runner(workers);
    return supervisor.run(runner);
  }
  // Under mpirun the supervisor checks every millisecond whether this rank's sync is due.
  HogwildRunner runner(workers, common::dist::distributed() ? std::chrono::milliseconds(1) : HogwildRunner::kSlice);
  return supervisor.run(runner);
}

// The vectors and, beside them, the record of how their text was read;
// both appear or neither.
void write_output(const TrainOptions& opt, const Vocab& vocab, const Params& params) {
  std::vector<std::string_view> words;
  words.reserve(vocab.size());
  for (std::size_t i = 0; i < vocab.size(); ++i) words.push_back(vocab.word(i));
  common::AtomicFile vectors(opt.output), record(record_path(opt.output));
  VectorsRecord r;
  if (opt.normalize) r.normalizer = opt.normalizer;
  r.bpe_model = opt.tokenizer;
  r.vectors_bytes = write_vectors(vectors, words, params.syn0, opt.binary != 0);
  record.write(r.to_json());
  common::commit_all({&vectors, &record});
}

}  // namespace

TrainResult train(const TrainOptions& opt, const TrainHooks& hooks) {
  opt.validate();
  const auto t0 = Clock::now();
  TrainResult result;
  common::CorpusFiles corpus(opt.train);
  if (common::dist::is_root()) probe_outputs(opt);  // rank 0 alone writes
  const auto tokenizer = load_tokenizer(opt);
  Model m;
  if (opt.resume)
    resume_model(opt, corpus, &m);
  else
    fresh_model(opt, corpus, tokenizer.get(), &m, &result.vocab_stats);
  if (!opt.save_vocab.empty() && common::dist::is_root()) m.vocab.save(opt.save_vocab);
  result.vocab_size = m.vocab.size();
  result.train_words = m.vocab.train_words();
  spdlog::info("vocabulary: {}, {} per epoch", common::plural(m.vocab.size(), "word", "words"),
               common::plural(m.vocab.train_words(), "training word", "training words"));

  Samplers s;
  make_samplers(opt, m.vocab, &s);
  TrainShared shared{opt, m.vocab, m.params, s.huffman.get(), s.negative.get(), s.subsampler, s.sigmoid,
                     static_cast<std::uint64_t>(opt.iter) * m.vocab.train_words(), opt.starting_alpha(),
                     {}, {}, {}, 0, 0, 0};
  shared.words_done = m.ckpt.words_done;
  shared.words_scale = static_cast<std::uint64_t>(common::dist::size());
  const auto workers = make_workers(shared, corpus, m.ckpt, tokenizer.get());
  shared.alpha = shared.alpha0;

  std::unique_ptr<RankSync> sync;
  if (common::dist::distributed()) sync = std::make_unique<RankSync>(shared, opt.sync_every);
  TrainSupervisor supervisor(shared, workers, corpus.fingerprint(), hooks, t0, sync.get());
  result.interrupted = run_workers(opt, supervisor, workers);
  supervisor.report(true);
  result.words_trained = supervisor.words_this_run();
  result.predictions = shared.loss_count;  // the workers are joined
  result.flops = shared.flops;
  result.checkpoint_written = supervisor.checkpoint_written();
  if (!result.interrupted && common::dist::is_root()) write_output(opt, m.vocab, m.params);
  if (sync) {
    const auto c = common::dist::comm_stats();
    result.syncs = sync->syncs();
    result.sync_bytes = sync->bytes_per_sync();
    result.comm_seconds = c.seconds;
    result.comm_bytes = c.bytes;
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return result;
}

}  // namespace w2v
