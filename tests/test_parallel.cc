// The threading convention: common::ThreadPool (every ith once, exceptions
// carried back, nested runs inline, no lost wake-ups), split_range,
// parallel_for, gemm_mt on the pool, and the OpenBLAS thread guard.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/blas.h"
#include "common/parallel.h"

namespace {

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Each ith of one run: how often it ran, with which nth, on which thread.
struct Visits {
  explicit Visits(int nth) : count(static_cast<std::size_t>(nth)), nth_seen(static_cast<std::size_t>(nth), -1) {}
  std::vector<std::atomic<int>> count;
  std::vector<int> nth_seen;
  std::mutex mu;
  std::set<std::thread::id> threads;
  void visit(int ith, int nth) {
    ++count[static_cast<std::size_t>(ith)];
    nth_seen[static_cast<std::size_t>(ith)] = nth;
    std::lock_guard<std::mutex> lock(mu);
    threads.insert(std::this_thread::get_id());
  }
};

}  // namespace

TEST_CASE("thread pool: every ith runs exactly once with the right nth, the caller as ith 0") {
  for (int nth : {1, 2, 3, 5, 8}) {
    CAPTURE(nth);
    Visits v(nth);
    std::thread::id ith0;
    common::ThreadPool::shared().run(nth, [&](int ith, int n) {
      if (ith == 0) ith0 = std::this_thread::get_id();
      v.visit(ith, n);
    });
    for (int i = 0; i < nth; ++i) {
      CHECK(v.count[static_cast<std::size_t>(i)] == 1);
      CHECK(v.nth_seen[static_cast<std::size_t>(i)] == nth);
    }
    CHECK(ith0 == std::this_thread::get_id());
  }
  CHECK(common::ThreadPool::shared().workers() >= 7);  // grown once, kept
  int calls = 0;
  common::ThreadPool::shared().run(0, [&](int ith, int nth) {
    CHECK(ith == 0);
    CHECK(nth == 1);
    ++calls;
  });
  CHECK(calls == 1);
}

TEST_CASE("thread pool: split_range covers 0..n in order without overlap") {
  for (std::size_t n : {0ul, 1ul, 2ul, 7ul, 100ul, 1001ul})
    for (int nth : {1, 2, 3, 4, 7, 16}) {
      CAPTURE(n);
      CAPTURE(nth);
      std::size_t expect = 0, smallest = n, largest = 0;
      for (int ith = 0; ith < nth; ++ith) {
        const auto [b, e] = common::split_range(n, ith, nth);
        CHECK(b == expect);
        CHECK(e >= b);
        expect = e;
        smallest = std::min(smallest, e - b), largest = std::max(largest, e - b);
      }
      CHECK(expect == n);
      CHECK(largest - smallest <= 1);
    }
}

TEST_CASE("thread pool: an exception in a worker or in the caller is rethrown, every ith still runs, the pool stays usable") {
  auto& pool = common::ThreadPool::shared();
  for (int thrower : {1, 0, 2}) {
    CAPTURE(thrower);
    Visits v(3);
    CHECK_THROWS_WITH_AS(pool.run(3,
                                  [&](int ith, int nth) {
                                    v.visit(ith, nth);
                                    if (ith == thrower) throw Failure("ith " + std::to_string(ith));
                                  }),
                         ("ith " + std::to_string(thrower)).c_str(), Failure);
    for (int i = 0; i < 3; ++i) CHECK(v.count[static_cast<std::size_t>(i)] == 1);
  }
  // Several throw: the lowest ith's exception wins.
  CHECK_THROWS_WITH_AS(pool.run(4, [&](int ith, int) { if (ith >= 1) throw Failure("ith " + std::to_string(ith)); }),
                       "ith 1", Failure);
  Visits after(4);
  pool.run(4, [&](int ith, int nth) { after.visit(ith, nth); });
  for (int i = 0; i < 4; ++i) CHECK(after.count[static_cast<std::size_t>(i)] == 1);
}

TEST_CASE("thread pool: a nested run executes inline on the calling thread") {
  std::vector<std::atomic<int>> inner(4 * 3);
  std::atomic<int> wrong_thread{0};
  common::ThreadPool::shared().run(4, [&](int outer, int) {
    const auto me = std::this_thread::get_id();
    common::ThreadPool::shared().run(3, [&](int ith, int nth) {
      if (std::this_thread::get_id() != me || nth != 3) ++wrong_thread;
      ++inner[static_cast<std::size_t>(outer * 3 + ith)];
    });
  });
  CHECK(wrong_thread == 0);
  for (auto& c : inner) CHECK(c == 1);
  // An exception from a nested share comes out of both runs.
  CHECK_THROWS_AS(common::ThreadPool::shared().run(2, [&](int, int) {
    common::ThreadPool::shared().run(2, [&](int ith, int) { if (ith == 1) throw Failure("nested"); });
  }),
                  Failure);
}

TEST_CASE("thread pool: runs from two outside threads at once both complete") {
  std::atomic<long> sum{0};
  auto many = [&] {
    for (int r = 0; r < 500; ++r) common::ThreadPool::shared().run(2, [&](int ith, int) { sum += ith + 1; });
  };
  std::thread other(many);
  many();
  other.join();
  CHECK(sum == 2 * 500 * 3);
}

TEST_CASE("thread pool: parallel_for visits each index exactly once with ith < threads") {
  for (std::size_t n : {0ul, 1ul, 3ul, 1000ul}) {
    CAPTURE(n);
    std::vector<std::atomic<int>> seen(n);
    std::atomic<int> bad_ith{0};
    common::parallel_for(n, 3, [&](std::size_t i, int ith) {
      if (ith < 0 || ith >= 3) ++bad_ith;
      ++seen[i];
    });
    CHECK(bad_ith == 0);
    for (auto& s : seen) CHECK(s == 1);
  }
  CHECK_THROWS_AS(common::parallel_for(100, 2, [](std::size_t i, int) { if (i == 50) throw Failure("item"); }), Failure);
}

TEST_CASE("thread pool: 10000 consecutive small runs (no lost wake-ups)") {
  std::vector<long> per_ith(3, 0);
  for (int r = 0; r < 10000; ++r)
    common::ThreadPool::shared().run(3, [&](int ith, int) { ++per_ith[static_cast<std::size_t>(ith)]; });
  for (long c : per_ith) CHECK(c == 10000);
}

TEST_CASE("thread pool: an own pool joins its workers on destruction") {
  std::atomic<int> ran{0};
  {
    common::ThreadPool pool;
    for (int r = 0; r < 100; ++r) pool.run(4, [&](int, int) { ++ran; });
    CHECK(pool.workers() == 3);
  }
  CHECK(ran == 400);
}

TEST_CASE("gemm_mt on the pool matches gemm_ref for row and column splits and any thread count") {
  std::mt19937 rng(3);
  std::normal_distribution<float> g(0.f, 1.f);
  for (int threads : {2, 3, 5})
    // rows; columns (m too small); columns (n > m)
    for (auto mn : {std::pair<std::size_t, std::size_t>{700, 90}, {40, 900}, {300, 900}}) {
      const std::size_t m = mn.first, n = mn.second;  // not a structured binding: CAPTURE is a lambda (clang 14)
      CAPTURE(threads);
      CAPTURE(m);
      const std::size_t k = 64;
      std::vector<float> a(m * k), b(k * n), c(m * n), c2;
      for (auto* v : {&a, &b, &c})
        for (auto& x : *v) x = g(rng);
      c2 = c;
      common::gemm_mt(threads, false, true, m, n, k, 0.5f, a.data(), k, b.data(), k, 1.f, c.data(), n);
      common::gemm_ref(false, true, m, n, k, 0.5f, a.data(), k, b.data(), k, 1.f, c2.data(), n);
      for (std::size_t i = 0; i < m * n; ++i) REQUIRE(c[i] == doctest::Approx(c2[i]).epsilon(1e-4).scale(1.0));
    }
}

TEST_CASE("ScopedBlasThreads pins OpenBLAS for a scope and restores the previous number") {
  const int start = common::blas_threads();
  common::set_blas_threads(2);
  {
    common::ScopedBlasThreads one(1);
    CHECK(common::blas_threads() == 1);
    {
      common::ScopedBlasThreads same(1);
      CHECK(common::blas_threads() == 1);
    }
    CHECK(common::blas_threads() == 1);
  }
  CHECK(common::blas_threads() == 2);
  common::set_blas_threads(1);
  { common::ScopedBlasThreads two(2); }
  CHECK(common::blas_threads() == 1);
  // gemm_mt pins OpenBLAS for its call only.
  common::set_blas_threads(2);
  std::vector<float> a(300 * 100, 1.f), b(100 * 100, 1.f), c(300 * 100);
  common::gemm_mt(2, false, false, 300, 100, 100, 1.f, a.data(), 100, b.data(), 100, 0.f, c.data(), 100);
  CHECK(common::blas_threads() == 2);
  CHECK(c[0] == 100.f);
  common::set_blas_threads(start);
}
