#include "encoder/trainer.h"

#include <chrono>
#include <cstring>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/distributed.h"
#include "common/errors.h"
#include "encoder/batch_plan.h"
#include "encoder/lr_schedule.h"
#include "encoder/objective.h"
#include "encoder/ops.h"
#include "encoder/train_checkpoint.h"
#include "encoder/train_log.h"
#include "encoder/train_setup.h"

namespace enc {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

ObjectiveSettings objective_settings(const EncoderTrainOptions& o) {
  ObjectiveSettings s;
  s.seed = o.seed, s.dropout = o.dropout, s.attention_dropout = o.attention_p(), s.temperature = o.temperature;
  return s;
}

// The one training loop, for any objective: batches from the plan, the
// objective's forward and loss, backward, clipping, AdamW at the
// scheduled rate; held-out evaluations, log rows, progress, checkpoints.
class TrainRun {
 public:
  TrainRun(const EncoderTrainOptions& opt, const common::TrainHooks<EncoderProgress>& hooks, TrainModel& tm,
           const TrainData& td, Clock::time_point t0);
  // Runs to the last step or a stop request.
  void run(EncoderTrainResult& result);

 private:
  struct StepResult {
    double loss = 0, lr = 0;
  };
  StepResult step_once();  // one optimizer step
  // Under mpirun: this rank's share of the batch forward and backward, then
  // one allreduce of the gradients, the loss and the stop flags (fused);
  // returns the loss of the whole batch.
  double shard_step(MlmBatch& m, std::size_t step);
  EvalSums evaluate();     // over every held-out batch
  void after_step(const StepResult& r, EncoderTrainResult& result);
  void write_checkpoint();
  void check_finite(const StepResult& r) const;  // OptionError when the loss is not finite

  const EncoderTrainOptions& opt_;
  const common::TrainHooks<EncoderProgress>& hooks_;
  Encoder& model_;
  const EncoderVocab& vocab_;
  const TrainData& td_;
  std::unique_ptr<Objective> objective_;
  BatchPlan plan_;
  std::vector<Batch> heldout_;
  LrSchedule schedule_;
  AdamW adam_;
  TrainCounters counters_;
  const ResumeKey key_;
  double seconds_before_ = 0;  // wall time of the earlier sessions (resume)
  std::size_t emb_floats_;  // frozen prefix of the parameters (the embedding matrix), or 0
  common::AlignedFloats dh_;  // [B·T, d]
  Clock::time_point t0_, run_start_;
  std::uint64_t run_tokens_ = 0;
  std::unique_ptr<TrainLog> log_;  // rank 0 only
  common::AlignedFloats fused_;    // mpirun: gradients, loss, stop flag
  bool stop_all_ = false;          // mpirun: some rank was asked to stop (this step)
};

TrainRun::TrainRun(const EncoderTrainOptions& opt, const common::TrainHooks<EncoderProgress>& hooks, TrainModel& tm,
                   const TrainData& td, Clock::time_point t0)
    : opt_(opt),
      hooks_(hooks),
      model_(tm.model),
      vocab_(tm.vocab),
      td_(td),
      objective_(make_objective(opt.objective, objective_settings(opt), tm.vocab)),
      plan_(td.data, td.n_train, objective_->sentence_tokens(opt.batch_tokens), opt.seed),
      heldout_(heldout_batches(td.data, td.n_train, objective_->sentence_tokens(opt.batch_tokens))),
      adam_(tm.model.params().total()),
      key_{train_signature(opt) + (tm.normalizer ? ";normalizer=" + tm.normalizer->spec() : std::string()), tm.vocab.fingerprint,
           td.stats.corpus_fingerprint},
      emb_floats_(opt.freeze_embeddings ? common::padded_ld(tm.model.params().slots()[0].size) : 0),
      t0_(t0) {
  schedule_.kind = opt.schedule, schedule_.peak = opt.lr, schedule_.warmup = opt.warmup;
  schedule_.total = opt.steps ? opt.steps : plan_.steps_for(opt.epochs);
  if (opt.resume) {
    counters_ = read_train_checkpoint(opt.checkpoint_path(), key_, model_, adam_);
    seconds_before_ = counters_.seconds;
    spdlog::info("resuming from '{}' at step {}", opt.checkpoint_path(), counters_.step);
  }
  if (common::dist::is_root()) log_ = std::make_unique<TrainLog>(opt.log_path(), opt.resume, counters_.step);
}

TrainRun::StepResult TrainRun::step_once() {
  const std::size_t step = counters_.step;
  MlmBatch m = make_batch(td_.data, plan_.batch(plan_.position(step)), vocab_.pad);
  objective_->prepare(m);
  model_.params().zero_grad();
  StepResult r;
  if (common::dist::distributed()) {
    r.loss = shard_step(m, step);
  } else {
    r.loss = objective_->train_forward(model_, m, step, dh_);
    model_.backward(dh_.data());
  }
  // Clipping: the factor goes into the AdamW pass (no separate pass scaling the gradients).
  const float clip = opt_.clip > 0 ? clip_factor(grad_norm(model_.params().grad_all(), model_.params().total(),
                                                           model_.threads()), opt_.clip)
                                   : 1.f;
  r.lr = schedule_.at(step);
  adam_.step(model_.params(), static_cast<float>(r.lr), opt_.weight_decay, emb_floats_, model_.threads(), clip);
  ++counters_.step;
  std::uint64_t n_tok = 0;
  for (auto len : m.lengths) n_tok += static_cast<std::uint64_t>(len);
  counters_.tokens_seen += n_tok;
  run_tokens_ += n_tok;
  return r;
}

double TrainRun::shard_step(MlmBatch& m, std::size_t step) {
  const auto ranks = static_cast<std::size_t>(common::dist::size()), rank = static_cast<std::size_t>(common::dist::rank());
  const std::size_t first = m.batch * rank / ranks, last = m.batch * (rank + 1) / ranks;
  double loss = 0;
  if (last > first) {
    loss = objective_->train_forward_shard(model_, m, step, first, last - first, dh_);
    model_.backward(dh_.data());
  }
  ParamSet& p = model_.params();
  const std::size_t n = p.total();
  fused_.ensure(n + 2);
  float* buf = fused_.data();
  std::memcpy(buf, p.grad_all(), n * sizeof(float));
  buf[n] = static_cast<float>(loss);
  buf[n + 1] = hooks_.stop_requested() ? 1.f : 0.f;
  common::dist::allreduce_sum(buf, n + 2);
  std::memcpy(p.grad_all(), buf, n * sizeof(float));
  stop_all_ = buf[n + 1] > 0;
  return buf[n];
}

EvalSums TrainRun::evaluate() {
  EvalSums sums;
  for (const Batch& b : heldout_) {
    MlmBatch m = make_batch(td_.data, b, vocab_.pad);
    objective_->prepare(m);
    sums.add(objective_->evaluate(model_, m, b.seqs.front()));
  }
  return sums;
}

void TrainRun::check_finite(const StepResult& r) const {
  if (std::isfinite(r.loss)) return;
  std::ostringstream s;
  s << "training diverged at step " << counters_.step << " (loss " << (std::isnan(r.loss) ? "nan" : "inf")
    << "): lower --lr (now " << opt_.lr << ")";
  throw common::DivergedError(s.str());
}

void TrainRun::write_checkpoint() {
  if (common::dist::is_root()) {  // rank 0 alone writes
    TrainCounters c = counters_;
    c.seconds = seconds_before_ + seconds_since(t0_);
    write_train_checkpoint(opt_.checkpoint_path(), model_, adam_, key_, c);
    hooks_.checkpointed(opt_.checkpoint_path());
  }
  // No rank goes on (or, stopped, exits and ends the job) before the file is written.
  common::dist::barrier();
}

void TrainRun::after_step(const StepResult& r, EncoderTrainResult& result) {
  if (!log_) return;  // under mpirun rank 0 alone evaluates, logs and reports
  const std::size_t step = counters_.step, total = schedule_.total;
  log_->add_loss(r.loss);
  EncoderProgress p;
  p.step = step, p.steps = total, p.lr = r.lr, p.loss = r.loss;
  p.seconds = seconds_before_ + seconds_since(t0_);
  p.tokens_per_s = static_cast<double>(run_tokens_) / seconds_since(run_start_);
  const bool eval_now = td_.n_valid > 0 && ((opt_.eval_every && step % opt_.eval_every == 0) || step == total);
  if (eval_now) {
    const EvalSums s = evaluate();
    p.valid_loss = s.count ? s.loss_sum / static_cast<double>(s.count) : NAN;
    p.valid_acc = s.count ? static_cast<double>(s.correct) / static_cast<double>(s.count) : NAN;
    p.eval = true;
    result.valid_loss = p.valid_loss, result.valid_acc = p.valid_acc;
  }
  if (step % 10 == 0 || eval_now || step == total) {
    LogRow row;
    row.step = step, row.epoch = plan_.epochs_done(step), row.tokens = counters_.tokens_seen;
    row.seconds = p.seconds, row.lr = p.lr, row.eval = eval_now, row.valid_loss = p.valid_loss, row.valid_acc = p.valid_acc;
    log_->write(row);
  }
  hooks_.progress(p);
}

void TrainRun::run(EncoderTrainResult& result) {
  run_start_ = Clock::now();
  const std::size_t total = schedule_.total;
  while (counters_.step < total) {
    const StepResult r = step_once();
    check_finite(r);  // before anything (log, checkpoint, output) sees the diverged state
    after_step(r, result);
    const std::size_t step = counters_.step;
    if (opt_.checkpoint_every && step % opt_.checkpoint_every == 0 && step < total) write_checkpoint();
    const bool root = common::dist::is_root();
    if (opt_.snapshot_every && step % opt_.snapshot_every == 0 && step < total && root) model_.save(opt_.snapshot_path(step));
    const bool stop = common::dist::distributed() ? stop_all_ : hooks_.stop_requested();  // the same on every rank
    if (stop && step < total) {
      write_checkpoint();
      result.interrupted = true;
      break;
    }
  }
  result.steps = counters_.step;
  if (!result.interrupted && common::dist::is_root()) model_.save(opt_.output);
}

}  // namespace

EncoderTrainResult train_encoder(const EncoderTrainOptions& opt, const common::TrainHooks<EncoderProgress>& hooks) {
  opt.validate();
  if (common::dist::distributed() && opt.objective != ObjectiveKind::kMlm)
    throw common::OptionError("under mpirun only --objective mlm is split across ranks (SimCSE's in-batch negatives "
                              "couple the whole batch): train SimCSE in one process");
  const auto t0 = Clock::now();
  if (common::dist::is_root()) { common::AtomicFile probe(opt.output); }
  if (std::filesystem::is_directory(opt.checkpoint_path()))
    throw common::OptionError("--checkpoint '" + opt.checkpoint_path() + "' is a directory: give a file name");
  if (common::dist::is_root()) { common::AtomicFile probe(opt.checkpoint_path()); }
  if (opt.resume && !std::ifstream(opt.checkpoint_path()))  // fail before reading the corpus
    throw common::InputError("cannot open checkpoint '" + opt.checkpoint_path() +
                             "' (nothing to resume: train without --resume first)");
  TrainModel tm = setup_model(opt);
  tm.model.set_threads(opt.threads);
  // Every rank starts from rank 0's weights (a resume then loads the same checkpoint everywhere).
  common::dist::broadcast(tm.model.params().data_all(), tm.model.params().total() * sizeof(float));
  const TrainData td = split_data(opt, tm);
  EncoderTrainResult result;
  result.sequences = td.data.size(), result.splits = td.stats.splits, result.tokens = td.stats.tokens;
  result.unknown = td.stats.unknown, result.valid_sequences = td.n_valid;
  TrainRun run(opt, hooks, tm, td, t0);
  run.run(result);
  result.seconds = seconds_since(t0);
  const auto comm = common::dist::comm_stats();
  result.comm_seconds = comm.seconds, result.comm_bytes = comm.bytes;
  return result;
}

}  // namespace enc
