// A minimal parallel for: runs fn(i, worker) for i in [0, n) on `threads`
// threads (the caller is worker 0), and rethrows the first exception.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace common {

template <class Fn>
void parallel_for(std::size_t n, int threads, Fn&& fn) {
  const int t = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(std::max(1, threads)), n));
  if (t <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i, 0);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(t));
  auto work = [&](int w) {
    try {
      for (std::size_t i; (i = next.fetch_add(1)) < n;) fn(i, w);
    } catch (...) {
      errors[static_cast<std::size_t>(w)] = std::current_exception();
      next = n;
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < t; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace common
