// Renders training progress: one line refreshed in place on a terminal,
// plain periodic lines when stderr is a pipe or file.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/work_progress.h"
#include "word2vec/trainer.h"

namespace cli {

class ProgressLine {
 public:
  // interval: seconds between plain lines when not on a terminal.
  explicit ProgressLine(double plain_interval = 10.0);
  void update(const w2v::TrainProgress& p);
  // Work measured in input bytes (normalize): percent done when the total is
  // known (total > 0), MB/s and ETA.
  void update_bytes(std::uint64_t done, std::uint64_t total, double seconds, bool final);
  // Work counted in units (compare, encoder bench): the phase, units done
  // of total with percent, units/s and ETA within the phase. A new phase
  // always gets a line.
  void update_work(const common::WorkProgress& p) { update_work(p, {}); }
  // The same with `detail` after the ETA (e.g. "loss 0.4321").
  void update_work(const common::WorkProgress& p, std::string_view detail);
  // Ends the refreshing line (newline) if one is showing.
  void finish();

 private:
  bool due(double seconds, bool final);  // time for a line?
  void show(const char* text);
  bool tty_;
  double plain_interval_;
  double last_print_ = -1e9;
  double last_loss_sum_ = 0;
  std::uint64_t last_loss_count_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::string phase_;
  double phase_start_ = 0;
};

// Erases a refreshing progress line from the terminal, if one is showing, so
// that a log line can take its place (the next update draws it again).
void clear_progress_line();

// "1.23M", "456k", "789".
std::string human_count(double v);
// "1:02:03" or "2:03".
std::string human_duration(double seconds);

}  // namespace cli
