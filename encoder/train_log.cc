#include "encoder/train_log.h"

#include <cmath>
#include <cstdio>

#include "common/errors.h"

namespace enc {

TrainLog::TrainLog(const std::string& path, bool append) : out_(path, append ? std::ios::app : std::ios::trunc) {
  if (!out_) throw common::IoError("cannot write the training log '" + path + "'");
  if (!append) out_ << "step,epoch,tokens,seconds,lr,loss,valid_loss,valid_ppl,valid_acc\n";
}

void TrainLog::add_loss(double loss) {
  loss_sum_ += loss;
  ++loss_n_;
}

void TrainLog::write(const LogRow& r) {
  char line[256];
  std::snprintf(line, sizeof line, "%zu,%.4f,%llu,%.2f,%.6g,%.5f,", r.step, r.epoch, static_cast<unsigned long long>(r.tokens),
                r.seconds, r.lr, loss_sum_ / static_cast<double>(loss_n_));
  out_ << line;
  if (r.eval) out_ << r.valid_loss << "," << std::exp(r.valid_loss) << "," << r.valid_acc;
  else out_ << ",,";
  out_ << "\n" << std::flush;
  loss_sum_ = 0;
  loss_n_ = 0;
}

}  // namespace enc
