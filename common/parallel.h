// The one threading convention: a persistent pool whose run(nth, fn) calls
// fn(ith, nth) for ith = 0 .. nth-1 at once, the caller being ith 0 (ggml's
// split). A task takes its share with split_range(n, ith, nth), or pulls
// items from a shared counter with parallel_for when items differ in cost.
// Per-thread scratch is indexed by ith (always < nth).
//
// Every ith runs even when another throws; run() rethrows the exception of
// the lowest ith that threw, once all have finished. Threads are created on
// first need and wait between runs. A run() that cannot have the workers —
// called from inside a task, or while another thread's run() holds them —
// calls fn(0, nth) .. fn(nth-1, nth) in turn on the calling thread, so runs
// never deadlock; shares must therefore never wait for one another (no
// barriers between ith).
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace common {

class ThreadPool {
 public:
  // The process-wide pool; it grows to the largest nth ever asked for. It is
  // never destroyed: its idle workers end with the process, so exit() (from
  // any thread, at any time) never waits on them.
  static ThreadPool& shared();

  ThreadPool() = default;
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  ~ThreadPool();  // joins the workers; never while a run() is in progress

  // Calls fn(ith, nth) for every ith in [0, nth) concurrently and waits.
  // nth <= 1 runs fn(0, 1) on this thread.
  void run(int nth, const std::function<void(int ith, int nth)>& fn);

  // Worker threads created so far (nth - 1 for the largest nth run).
  int workers() const;

 private:
  void grow(int workers);
  void worker_loop(int ith);
  static void run_inline(int nth, const std::function<void(int, int)>& fn);

  std::mutex run_mu_;  // held by the run() that has the workers
  mutable std::mutex mu_;
  std::condition_variable start_cv_, done_cv_;
  std::vector<std::thread> threads_;  // threads_[i] is ith i + 1
  const std::function<void(int, int)>* fn_ = nullptr;
  int nth_ = 0, pending_ = 0;
  std::uint64_t generation_ = 0;
  bool quit_ = false;
  std::vector<std::exception_ptr> errors_;  // [nth]; slot ith written by ith only
};

// ith's contiguous share [begin, end) of n items; shares differ by at most one.
inline std::pair<std::size_t, std::size_t> split_range(std::size_t n, int ith, int nth) {
  const auto i = static_cast<std::size_t>(ith), t = static_cast<std::size_t>(std::max(1, nth));
  return {n * i / t, n * (i + 1) / t};
}

// fn(i, ith) for every i in [0, n), items handed out one at a time from a
// shared counter to min(threads, n) threads of the shared pool (ith <
// threads). After an exception the remaining items are skipped.
template <class Fn>
void parallel_for(std::size_t n, int threads, Fn&& fn) {
  const int nth = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(std::max(1, threads)), n));
  if (nth <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i, 0);
    return;
  }
  std::atomic<std::size_t> next{0};
  ThreadPool::shared().run(nth, [&](int ith, int) {
    try {
      for (std::size_t i; (i = next.fetch_add(1)) < n;) fn(i, ith);
    } catch (...) {
      next = n;
      throw;
    }
  });
}

}  // namespace common
