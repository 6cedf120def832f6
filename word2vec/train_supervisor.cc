#include "word2vec/train_supervisor.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>
#include <utility>

#include "common/distributed.h"
#include "common/errors.h"

namespace w2v {

TrainSupervisor::TrainSupervisor(TrainShared& shared, TrainWorkers workers, std::string corpus_fingerprint,
                                 const TrainHooks& hooks, Clock::time_point t0, RankSync* sync)
    : shared_(shared),
      workers_(workers),
      corpus_fingerprint_(std::move(corpus_fingerprint)),
      hooks_(hooks),
      t0_(t0),
      last_report_(Clock::now()),
      words_at_start_(shared.words_done.load()),
      sync_(sync) {
  const std::uint64_t every = shared.opt.checkpoint_every;
  next_checkpoint_ = every ? (words_at_start_ / every + 1) * every : std::numeric_limits<std::uint64_t>::max();
}

void TrainSupervisor::stop_if_diverged(SliceRunner& runner) {
  if (!diverged()) return;
  runner.pause();  // no checkpoint, no vectors: they would hold NaN
  runner.resume(true);
  runner.finish();
  throw common::DivergedError(divergence_message());
}

bool TrainSupervisor::run_ranks(SliceRunner& runner) {
  bool stopped = false, more = true;
  for (;;) {
    if (more) more = runner.run_slice();
    stop_if_diverged(runner);
    if (Clock::now() - last_report_ >= kReportEvery) {
      last_report_ = Clock::now();
      report(false);
    }
    const bool stop = hooks_.stop_requested();
    if (more && !stop && !sync_->due()) continue;
    if (more) runner.pause();
    const RankSync::Outcome o = sync_->sync(!more, stop);  // every rank, the same number of times
    stopped = o.any_stop && !o.all_done;
    if (stopped || shared_.words_done >= next_checkpoint_) {  // the same decision on every rank
      write_checkpoint();
      while (next_checkpoint_ <= shared_.words_done) next_checkpoint_ += shared_.opt.checkpoint_every;
    }
    if (more) runner.resume(stopped);
    if (stopped || o.all_done) break;
  }
  runner.finish();
  if (diverged()) throw common::DivergedError(divergence_message());
  return stopped;
}

bool TrainSupervisor::run(SliceRunner& runner) {
  if (sync_) return run_ranks(runner);
  bool stopped = false;
  while (runner.run_slice()) {
    stop_if_diverged(runner);
    if (Clock::now() - last_report_ >= kReportEvery) {
      last_report_ = Clock::now();
      report(false);
    }
    stopped = hooks_.stop_requested();
    if (!stopped && shared_.words_done < next_checkpoint_) continue;
    runner.pause();
    write_checkpoint();
    while (next_checkpoint_ <= shared_.words_done) next_checkpoint_ += shared_.opt.checkpoint_every;
    runner.resume(stopped);
    if (stopped) break;
  }
  runner.finish();
  // Also after the last slice: a short run can end inside its first slice.
  if (diverged()) throw common::DivergedError(divergence_message());
  return stopped;
}

TrainProgress TrainSupervisor::progress(bool final) const {
  TrainProgress p;
  p.words_done = std::min(shared_.words_done.load(), shared_.words_total);
  p.words_total = shared_.words_total;
  p.words_this_run = p.words_done - std::min(p.words_done, words_at_start_);
  p.seconds = std::chrono::duration<double>(Clock::now() - t0_).count();
  p.alpha = shared_.alpha.load();
  {
    std::lock_guard lock(shared_.loss_mu);
    p.loss_sum = shared_.loss_sum;
    p.loss_count = shared_.loss_count;
  }
  p.final = final;
  return p;
}

bool TrainSupervisor::diverged() const {
  std::lock_guard lock(shared_.loss_mu);
  return !std::isfinite(shared_.loss_sum);
}

std::string TrainSupervisor::divergence_message() const {
  char alpha[32];
  std::snprintf(alpha, sizeof alpha, "%g", static_cast<double>(shared_.alpha0));
  return "training diverged after " + std::to_string(shared_.words_done.load()) +
         " words (the loss is not a finite number): lower the learning rate (-alpha " + alpha + ")";
}

void TrainSupervisor::report(bool final) const {
  if (hooks_.on_progress) hooks_.progress(progress(final));
}

Checkpoint TrainSupervisor::snapshot() const {
  Checkpoint c;
  c.corpus_fingerprint = corpus_fingerprint_;
  c.words_done = shared_.words_done.load();
  for (const auto& w : workers_) c.workers.push_back(w->state());
  return c;
}

void TrainSupervisor::write_checkpoint() {
  const std::string path = shared_.opt.checkpoint_path();
  Checkpoint c = snapshot();
  if (sync_) gather_worker_states(&c);  // rank 0: every rank's workers, in rank order
  if (common::dist::is_root()) save_checkpoint(path, shared_.opt, shared_.vocab, shared_.params, c);
  // No rank goes on (or, stopped, exits and ends the job) before rank 0 has written the file.
  if (sync_) common::dist::barrier();
  checkpoint_written_ = path;
  hooks_.checkpointed(path);
}

}  // namespace w2v
