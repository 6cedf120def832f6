#include "common/parallel.h"

namespace common {

namespace {
thread_local bool t_in_task = false;  // nested run() calls execute inline
}

ThreadPool& ThreadPool::shared() {
  static ThreadPool pool;
  return pool;
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    quit_ = true;
  }
  start_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void ThreadPool::grow(int workers) {
  while (static_cast<int>(threads_.size()) < workers) {
    const int id = static_cast<int>(threads_.size()) + 1;  // ith of this worker
    threads_.emplace_back([this, id] { worker_loop(id); });
  }
}

void ThreadPool::worker_loop(int id) {
  std::uint64_t seen = 0;
  for (;;) {
    const std::function<void(int, int)>* fn;
    int nth;
    {
      std::unique_lock<std::mutex> lock(mu_);
      start_cv_.wait(lock, [&] { return quit_ || (generation_ != seen && id < nth_); });
      if (quit_) return;
      seen = generation_;
      fn = fn_, nth = nth_;
    }
    std::exception_ptr err;
    t_in_task = true;
    try {
      (*fn)(id, nth);
    } catch (...) {
      err = std::current_exception();
    }
    t_in_task = false;
    std::lock_guard<std::mutex> lock(mu_);
    errors_[static_cast<std::size_t>(id)] = err;
    if (--pending_ == 0) done_cv_.notify_one();
  }
}

void ThreadPool::run(int nth, const std::function<void(int, int)>& fn) {
  if (nth <= 1 || t_in_task) {
    const int n = std::max(1, nth);
    for (int ith = 0; ith < n; ++ith) fn(ith, n);
    return;
  }
  std::lock_guard<std::mutex> one_run(run_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    grow(nth - 1);
    fn_ = &fn, nth_ = nth, pending_ = nth - 1;
    errors_.assign(static_cast<std::size_t>(nth), nullptr);
    ++generation_;
  }
  start_cv_.notify_all();
  t_in_task = true;
  try {
    fn(0, nth);
  } catch (...) {
    errors_[0] = std::current_exception();
  }
  t_in_task = false;
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [&] { return pending_ == 0; });
  fn_ = nullptr;
  for (auto& e : errors_)
    if (e) std::rethrow_exception(e);
}

}  // namespace common
