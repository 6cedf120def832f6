#include "common/parallel.h"

namespace common {

namespace {
// True on pool workers and on a caller while it runs its share: a run()
// from there executes inline instead of waiting for workers that are busy.
thread_local bool t_in_task = false;

// Sets t_in_task for a scope and restores the previous value.
class InTask {
 public:
  InTask() : prev_(t_in_task) { t_in_task = true; }
  ~InTask() { t_in_task = prev_; }
  InTask(const InTask&) = delete;
  InTask& operator=(const InTask&) = delete;

 private:
  bool prev_;
};
}  // namespace

ThreadPool& ThreadPool::shared() {
  static ThreadPool* const pool = new ThreadPool;  // never destroyed (see header)
  return *pool;
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    quit_ = true;
  }
  start_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

int ThreadPool::workers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(threads_.size());
}

void ThreadPool::grow(int workers) {
  while (static_cast<int>(threads_.size()) < workers) {
    const int ith = static_cast<int>(threads_.size()) + 1;
    threads_.emplace_back([this, ith] { worker_loop(ith); });
  }
}

void ThreadPool::worker_loop(int ith) {
  t_in_task = true;  // for the thread's whole life
  std::uint64_t seen = 0;
  for (;;) {
    const std::function<void(int, int)>* fn;
    int nth;
    {
      std::unique_lock<std::mutex> lock(mu_);
      start_cv_.wait(lock, [&] { return quit_ || (generation_ != seen && ith < nth_); });
      if (quit_) return;
      seen = generation_;
      fn = fn_, nth = nth_;
    }
    std::exception_ptr err;
    try {
      (*fn)(ith, nth);
    } catch (...) {
      err = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mu_);
    errors_[static_cast<std::size_t>(ith)] = std::move(err);
    if (--pending_ == 0) done_cv_.notify_one();
  }
}

void ThreadPool::run_inline(int nth, const std::function<void(int, int)>& fn) {
  const int n = std::max(1, nth);
  std::exception_ptr first;
  for (int ith = 0; ith < n; ++ith) {
    try {
      fn(ith, n);
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

void ThreadPool::run(int nth, const std::function<void(int, int)>& fn) {
  if (nth <= 1 || t_in_task) return run_inline(nth, fn);
  std::unique_lock<std::mutex> one_run(run_mu_, std::try_to_lock);
  if (!one_run.owns_lock()) return run_inline(nth, fn);  // another thread's run() has the workers
  {
    std::lock_guard<std::mutex> lock(mu_);
    grow(nth - 1);  // may throw (no thread): nothing started yet
    errors_.assign(static_cast<std::size_t>(nth), nullptr);
    fn_ = &fn, nth_ = nth, pending_ = nth - 1;
    ++generation_;
  }
  start_cv_.notify_all();
  std::exception_ptr err0;
  {
    InTask in_task;
    try {
      fn(0, nth);
    } catch (...) {
      err0 = std::current_exception();
    }
  }
  std::vector<std::exception_ptr> errors;
  {
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [&] { return pending_ == 0; });
    fn_ = nullptr;
    errors.swap(errors_);
  }
  one_run.unlock();
  if (err0) std::rethrow_exception(err0);
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace common
