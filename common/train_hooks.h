// How a caller watches and steers a long training run, the same for the
// Word2Vec trainer and the encoder trainer: progress reports, a stop request
// (answered with a checkpoint and a clean return), and a note after each
// checkpoint write. Every hook is optional and runs on the calling thread.
#pragma once

#include <functional>
#include <string>

namespace common {

template <class Progress>
struct TrainHooks {
  std::function<void(const Progress&)> on_progress;       // a few times a second, or once per step
  std::function<bool()> should_stop;                      // polled; true = write a checkpoint and return
  std::function<void(const std::string&)> on_checkpoint;  // after each checkpoint write, with its path

  void progress(const Progress& p) const {
    if (on_progress) on_progress(p);
  }
  bool stop_requested() const { return should_stop && should_stop(); }
  void checkpointed(const std::string& path) const {
    if (on_checkpoint) on_checkpoint(path);
  }
};

}  // namespace common
