// The CSV log of an encoder training run (the curves): one row every 10
// steps, at each held-out evaluation and at the last step, with the mean
// training loss since the previous row.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>

namespace enc {

struct LogRow {
  std::size_t step = 0;
  double epoch = 0;  // epochs done, fractional
  std::uint64_t tokens = 0;
  double seconds = 0, lr = 0;
  bool eval = false;  // the held-out columns are filled
  double valid_loss = 0, valid_acc = 0;
};

class TrainLog {
 public:
  // Starts a log with its header; when resuming, keeps the rows of an
  // existing log up to step `resume_step` (the checkpoint's; later rows were
  // written after it, and are written again) and appends to it. IoError when
  // it cannot be written.
  TrainLog(const std::string& path, bool resume, std::size_t resume_step);
  // The training loss of one step, averaged into the next row.
  void add_loss(double loss);
  void write(const LogRow& row);

 private:
  std::ofstream out_;
  double loss_sum_ = 0;
  std::size_t loss_n_ = 0;
};

}  // namespace enc
