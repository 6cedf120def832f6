#include "word2vec/slice_runner.h"

namespace w2v {

bool DeterministicRunner::run_slice() {
  bool any = false;
  for (const auto& w : workers_) any = w->step() || any;
  return any;
}

HogwildRunner::HogwildRunner(TrainWorkers workers, std::chrono::milliseconds slice)
    : workers_(workers), slice_(slice), n_(static_cast<int>(workers.size())), errors_(workers.size()) {
  threads_.reserve(workers.size());
  try {
    for (std::size_t t = 0; t < workers.size(); ++t) threads_.emplace_back([this, t] { work(t); });
  } catch (...) {  // a thread that could not start: end the others
    abort();
    join();
    throw;
  }
}

HogwildRunner::~HogwildRunner() {
  if (threads_.empty()) return;
  abort();
  join();
}

void HogwildRunner::work(std::size_t t) {
  try {
    while (!stop_.load(std::memory_order_relaxed) && workers_[t]->step())
      if (pause_.load(std::memory_order_relaxed)) pause_point(t);
    workers_[t]->flush_shared();
  } catch (...) {
    errors_[t] = std::current_exception();
    any_error_ = true;
  }
  std::lock_guard lock(mu_);
  ++finished_;
  cv_.notify_all();
}

void HogwildRunner::pause_point(std::size_t t) {
  workers_[t]->flush_shared();  // the matrices are read (or replaced) while paused
  std::unique_lock lock(mu_);
  ++paused_;
  cv_.notify_all();
  cv_.wait(lock, [&] { return !pause_.load(); });
  --paused_;
}

bool HogwildRunner::run_slice() {
  {
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, slice_, [&] { return finished_ == n_; })) return false;
  }
  if (any_error_) {
    abort();
    return false;
  }
  return true;
}

void HogwildRunner::pause() {
  std::unique_lock lock(mu_);
  pause_ = true;
  cv_.wait(lock, [&] { return paused_ + finished_ == n_; });
}

void HogwildRunner::resume(bool stop) {
  std::lock_guard lock(mu_);
  if (stop) stop_ = true;
  pause_ = false;
  cv_.notify_all();
}

void HogwildRunner::abort() {
  stop_ = true;
  resume(true);
}

void HogwildRunner::join() {
  for (auto& th : threads_)
    if (th.joinable()) th.join();
  threads_.clear();
}

void HogwildRunner::finish() {
  join();
  for (auto& e : errors_)
    if (e) std::rethrow_exception(e);
}

}  // namespace w2v
