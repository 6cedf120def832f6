// How the workers' training is executed, one slice at a time, between the
// supervisor's checks (progress, stop, checkpoint). Deterministic: every
// worker trains one sentence in turn on the calling thread, so the same seed
// and thread count give bit-identical vectors and a checkpoint between slices
// resumes exactly. Hogwild: one thread per worker, all updating the shared
// matrices at once without locks; a slice is a wait of up to kSlice, and the
// workers stop at a sentence boundary while a checkpoint is written.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "word2vec/train_worker.h"

namespace w2v {

using TrainWorkers = std::span<const std::unique_ptr<TrainWorker>>;

class SliceRunner {
 public:
  virtual ~SliceRunner() = default;
  // Runs one slice of work; false once there is none left (or a worker failed).
  virtual bool run_slice() = 0;
  // Holds every worker at a sentence boundary, so their states and the
  // matrices can be saved.
  virtual void pause() {}
  // Lets the paused workers continue, or with stop ends them.
  virtual void resume(bool stop) { (void)stop; }
  // Waits for the workers to end; rethrows the first worker's exception.
  virtual void finish() {}
};

class DeterministicRunner final : public SliceRunner {
 public:
  explicit DeterministicRunner(TrainWorkers workers) : workers_(workers) {}
  // One sentence of each worker, in order.
  bool run_slice() override;

 private:
  TrainWorkers workers_;
};

class HogwildRunner final : public SliceRunner {
 public:
  static constexpr std::chrono::milliseconds kSlice{100};

  // Starts one thread per worker at once. A slice waits up to `slice`
  // (shorter under mpirun, so that a rank notices its sync is due).
  explicit HogwildRunner(TrainWorkers workers, std::chrono::milliseconds slice = kSlice);
  // Stops and joins the threads if finish() was not reached (an exception).
  ~HogwildRunner() override;
  HogwildRunner(const HogwildRunner&) = delete;
  HogwildRunner& operator=(const HogwildRunner&) = delete;

  bool run_slice() override;
  void pause() override;
  void resume(bool stop) override;
  void finish() override;

 private:
  void work(std::size_t t);  // thread t's whole life
  void pause_point(std::size_t t);  // worker t's side of pause()
  void abort();
  void join();

  TrainWorkers workers_;
  const std::chrono::milliseconds slice_;
  const int n_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> pause_{false}, stop_{false};
  int paused_ = 0, finished_ = 0;
  std::vector<std::exception_ptr> errors_;  // written by thread t before it finishes
  std::atomic<bool> any_error_{false};
  std::vector<std::thread> threads_;
};

}  // namespace w2v
