#include "word2vec/trainer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/blas.h"
#include "common/corpus_files.h"
#include "common/errors.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/token_reader.h"
#include "word2vec/checkpoint.h"
#include "word2vec/huffman.h"
#include "word2vec/sampling.h"
#include "word2vec/vectors_io.h"
#include "word2vec/window_kernel.h"

namespace w2v {

namespace {

constexpr int kMaxSentence = 1000;          // words per sentence, as word2vec.c
constexpr std::uint64_t kPublishEvery = 10000;  // words between alpha updates

using Clock = std::chrono::steady_clock;

// State shared by all workers.
struct Shared {
  const TrainOptions& opt;
  const Vocab& vocab;
  Params& params;
  const HuffmanCodes* huffman;
  const NegativeSampler* sampler;
  const Subsampler& subsampler;
  const SigmoidTable& sigmoid;
  std::uint64_t words_total;  // iter × train_words
  float alpha0;
  std::atomic<std::uint64_t> words_done{0};
  std::atomic<float> alpha{0};
  std::mutex loss_mu;
  double loss_sum = 0;
  std::uint64_t loss_count = 0;
};

class Worker {
 public:
  Worker(Shared& s, const common::CorpusFiles& corpus, std::pair<std::uint64_t, std::uint64_t> range,
         const WorkerState& st, const tok::BpeModel* tokenizer)
      : s_(s),
        reader_(tok::make_token_source(corpus, range.first, range.second, tokenizer)),
        kernel_(s.params, s.huffman, s.sampler, s.sigmoid, s.opt.negative),
        st_(st),
        rng_(st.rng) {
    reader_->seek(st.position, st.skip);
  }

  bool done() const { return st_.done; }

  // Reads and trains one sentence. Returns false once every epoch is done.
  bool step() {
    if (st_.done) return false;
    int len = 0;
    bool range_end = false;
    std::string_view tok;
    for (;;) {
      auto kind = reader_->next(&tok);
      if (kind == tok::TokenKind::kEnd) {
        range_end = true;
        break;
      }
      if (kind == tok::TokenKind::kNewline) {
        ++st_.word_count;  // </s> counts as a word, as in word2vec.c
        break;
      }
      if (kind == tok::TokenKind::kBreak) {
        if (len > 0) break;
        continue;
      }
      const std::int32_t id = s_.vocab.find(tok);
      if (id < 0) continue;
      ++st_.word_count;
      if (id == 0) break;
      if (!s_.subsampler.keep(id, rng_)) continue;
      sen_[len++] = id;
      if (len >= kMaxSentence) break;
    }
    const int window = s_.opt.window;
    const float alpha = st_.alpha;
    if (s_.opt.cbow) {
      for (int pos = 0; pos < len; ++pos)
        kernel_.cbow(sen_, len, pos, window - static_cast<int>(rng_.below(static_cast<std::uint32_t>(window))), alpha, rng_);
    } else {
      for (int pos = 0; pos < len; ++pos)
        kernel_.skipgram(sen_, len, pos, window - static_cast<int>(rng_.below(static_cast<std::uint32_t>(window))), alpha, rng_);
    }
    if (range_end || st_.word_count - st_.last_word_count > kPublishEvery) publish();
    if (range_end) {
      ++st_.epoch;
      st_.word_count = st_.last_word_count = 0;
      if (st_.epoch >= static_cast<std::uint32_t>(s_.opt.iter)) {
        st_.done = true;
        return false;
      }
      reader_->seek(reader_->begin());
    }
    return true;
  }

  WorkerState state() const {
    WorkerState st = st_;
    st.position = reader_->position();
    st.skip = reader_->skip();
    st.rng = rng_.state();
    return st;
  }

 private:
  // Adds this worker's new words to the global count and recomputes the
  // learning rate from it (word2vec.c's linear decay with a floor).
  void publish() {
    std::uint64_t delta = st_.word_count - st_.last_word_count;
    st_.last_word_count = st_.word_count;
    std::uint64_t done = s_.words_done.fetch_add(delta, std::memory_order_relaxed) + delta;
    float a = s_.alpha0 * (1.f - static_cast<float>(static_cast<double>(done) / static_cast<double>(s_.words_total + 1)));
    st_.alpha = std::max(a, s_.alpha0 * 0.0001f);
    s_.alpha.store(st_.alpha, std::memory_order_relaxed);
    auto [sum, n] = kernel_.take_loss();
    std::lock_guard lock(s_.loss_mu);
    s_.loss_sum += sum;
    s_.loss_count += n;
  }

  Shared& s_;
  std::unique_ptr<tok::TokenSource> reader_;
  WindowKernel kernel_;
  WorkerState st_;
  common::Lcg rng_;
  std::int32_t sen_[kMaxSentence + 1];
};

// Coordinates pausing the worker threads at sentence boundaries (for a
// checkpoint or a stop) and waiting for them to finish.
class Coordinator {
 public:
  explicit Coordinator(int n) : n_(n) {}
  bool pause_requested() const { return pause_.load(std::memory_order_relaxed); }
  bool stop_requested() const { return stop_.load(std::memory_order_relaxed); }
  // Worker side.
  void pause_point() {
    std::unique_lock lock(mu_);
    ++paused_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return !pause_.load(); });
    --paused_;
  }
  void finished() {
    std::lock_guard lock(mu_);
    ++finished_;
    cv_.notify_all();
  }
  // Main side.
  void pause_all() {
    std::unique_lock lock(mu_);
    pause_ = true;
    cv_.wait(lock, [&] { return paused_ + finished_ == n_; });
  }
  void resume_all(bool stop) {
    std::lock_guard lock(mu_);
    if (stop) stop_ = true;
    pause_ = false;
    cv_.notify_all();
  }
  // Waits up to `d` for all workers to finish; true if they have.
  bool wait_finished(std::chrono::milliseconds d) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, d, [&] { return finished_ == n_; });
  }
  void abort() {
    stop_ = true;
    resume_all(true);
  }

 private:
  int n_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> pause_{false}, stop_{false};
  int paused_ = 0, finished_ = 0;
};

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

}  // namespace

TrainResult train(const TrainOptions& opt, const TrainHooks& hooks) {
  opt.validate();
  const auto t0 = Clock::now();
  TrainResult result;
  common::CorpusFiles corpus(opt.train);
  // Open every output now: an unwritable destination fails before training,
  // not after it (a Ctrl-C always writes the checkpoint).
  { common::AtomicFile probe(opt.output); }
  { common::AtomicFile probe(opt.checkpoint_path()); }
  if (!opt.save_vocab.empty()) common::AtomicFile probe(opt.save_vocab);

  std::unique_ptr<tok::BpeModel> tokenizer;
  if (!opt.tokenizer.empty()) tokenizer = std::make_unique<tok::BpeModel>(tok::BpeModel::load(opt.tokenizer));
  Vocab vocab;
  Params params;
  Checkpoint ckpt;
  const std::string ckpt_path = opt.checkpoint_path();
  if (opt.resume) {
    load_checkpoint(ckpt_path, opt, &vocab, &params, &ckpt);
    if (ckpt.corpus_fingerprint != corpus.fingerprint())
      throw common::OptionError("checkpoint '" + ckpt_path + "' was made from other training input (" +
                                ckpt.corpus_fingerprint + "): resume with the same -train files");
    spdlog::info("resuming from '{}': {} words already trained", ckpt_path, ckpt.words_done);
  } else {
    VocabOptions vo{opt.min_count, opt.max_vocab, std::min(opt.threads, 8), tokenizer.get()};
    vocab = opt.read_vocab.empty() ? Vocab::build(corpus, vo, &result.vocab_stats)
                                   : Vocab::read(opt.read_vocab, vo, &result.vocab_stats);
    init_params(params, vocab.size(), opt);
    ckpt.corpus_fingerprint = corpus.fingerprint();
    ckpt.workers.resize(static_cast<std::size_t>(opt.threads));
  }
  if (!opt.save_vocab.empty()) vocab.save(opt.save_vocab);
  result.vocab_size = vocab.size();
  result.train_words = vocab.train_words();
  spdlog::info("vocabulary: {} words, {} training words per epoch", vocab.size(), vocab.train_words());

  std::unique_ptr<HuffmanCodes> huffman;
  std::unique_ptr<NegativeSampler> sampler;
  if (opt.hs) huffman = std::make_unique<HuffmanCodes>(vocab.counts());
  if (opt.negative > 0) sampler = std::make_unique<NegativeSampler>(vocab.counts());
  Subsampler subsampler(vocab.counts(), vocab.train_words(), opt.sample);
  SigmoidTable sigmoid;

  Shared shared{opt, vocab, params, huffman.get(), sampler.get(), subsampler, sigmoid,
                static_cast<std::uint64_t>(opt.iter) * vocab.train_words(), opt.starting_alpha(), {}, {}, {}, 0, 0};
  shared.words_done = ckpt.words_done;
  const std::uint64_t words_at_start = ckpt.words_done;

  auto ranges = tok::split_ranges(corpus, opt.threads, tokenizer != nullptr);
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < opt.threads; ++t) {
    WorkerState st = ckpt.workers[static_cast<std::size_t>(t)];
    if (!opt.resume) {
      st.position = ranges[static_cast<std::size_t>(t)].first;
      st.rng = opt.seed + static_cast<std::uint64_t>(t);
      st.alpha = shared.alpha0;
    }
    workers.push_back(std::make_unique<Worker>(shared, corpus, ranges[static_cast<std::size_t>(t)], st, tokenizer.get()));
  }
  shared.alpha = shared.alpha0;

  auto progress = [&](bool final) {
    if (!hooks.on_progress) return;
    TrainProgress p;
    p.words_done = std::min(shared.words_done.load(), shared.words_total);
    p.words_total = shared.words_total;
    p.words_this_run = p.words_done - std::min(p.words_done, words_at_start);
    p.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    p.alpha = shared.alpha.load();
    {
      std::lock_guard lock(shared.loss_mu);
      p.loss_sum = shared.loss_sum;
      p.loss_count = shared.loss_count;
    }
    p.final = final;
    hooks.on_progress(p);
  };
  auto snapshot = [&] {
    Checkpoint c;
    c.corpus_fingerprint = corpus.fingerprint();
    c.words_done = shared.words_done.load();
    for (auto& w : workers) c.workers.push_back(w->state());
    return c;
  };
  auto write_checkpoint = [&] {
    save_checkpoint(ckpt_path, opt, vocab, params, snapshot());
    result.checkpoint_written = ckpt_path;
    if (hooks.on_checkpoint) hooks.on_checkpoint(ckpt_path);
  };
  std::uint64_t next_ckpt = opt.checkpoint_every ? (shared.words_done / opt.checkpoint_every + 1) * opt.checkpoint_every
                                                 : UINT64_MAX;
  auto should_stop = [&] { return hooks.should_stop && hooks.should_stop(); };

  if (opt.deterministic) {
    // All workers on this thread, one sentence each in turn: the same seed
    // and thread count give bit-identical results, and a checkpoint taken
    // between rounds resumes to exactly the same vectors.
    auto last = Clock::now();
    for (;;) {
      bool any = false;
      for (auto& w : workers) any = w->step() || any;
      if (!any) break;
      if (shared.words_done >= next_ckpt) {
        write_checkpoint();
        next_ckpt += opt.checkpoint_every;
      }
      if (should_stop()) {
        write_checkpoint();
        result.interrupted = true;
        break;
      }
      if (Clock::now() - last > std::chrono::milliseconds(100)) {
        last = Clock::now();
        progress(false);
      }
    }
  } else {
    Coordinator coord(opt.threads);
    std::vector<std::exception_ptr> errors(workers.size());  // written by worker t before it finishes
    std::atomic<bool> any_error{false};
    common::ScopedBlasThreads single_blas(1);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < workers.size(); ++t)
      threads.emplace_back([&, t] {
        try {
          while (!coord.stop_requested() && workers[t]->step())
            if (coord.pause_requested()) coord.pause_point();
        } catch (...) {
          errors[t] = std::current_exception();
          any_error = true;
        }
        coord.finished();
      });
    while (!coord.wait_finished(std::chrono::milliseconds(100))) {
      if (any_error) {
        coord.abort();
        break;
      }
      bool stop = false;
      try {
        progress(false);
        stop = should_stop();
      } catch (...) {  // a throwing hook must not leave the threads running
        coord.abort();
        for (auto& th : threads) th.join();
        throw;
      }
      if (stop || shared.words_done >= next_ckpt) {
        coord.pause_all();
        try {
          write_checkpoint();
        } catch (...) {
          coord.abort();
          for (auto& th : threads) th.join();
          throw;
        }
        while (next_ckpt <= shared.words_done) next_ckpt += opt.checkpoint_every;
        coord.resume_all(stop);
        if (stop) {
          result.interrupted = true;
          break;
        }
      }
    }
    for (auto& th : threads) th.join();
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
  }
  progress(true);
  result.words_trained = shared.words_done.load() - words_at_start;
  if (!result.interrupted) {
    std::vector<std::string_view> words;
    words.reserve(vocab.size());
    for (std::size_t i = 0; i < vocab.size(); ++i) words.push_back(vocab.word(i));
    write_vectors(opt.output, words, params.syn0, opt.binary != 0);
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return result;
}

}  // namespace w2v
