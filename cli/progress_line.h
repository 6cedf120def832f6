// Renders training progress: one line refreshed in place on a terminal,
// plain periodic lines when stderr is a pipe or file.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

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
  // Work counted in items of a named phase ("forward 45.0%  ETA 0:12").
  void update_fraction(const std::string& phase, double done, double total, double seconds, bool final);
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
  bool line_open_ = false;
};

// "1.23M", "456k", "789".
std::string human_count(double v);
// "1:02:03" or "2:03".
std::string human_duration(double seconds);

}  // namespace cli
