#include "encoder/train_log.h"

#include <cmath>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>

#include "common/atomic_file.h"
#include "common/errors.h"

namespace enc {

namespace {

constexpr const char* kHeader = "step,epoch,tokens,seconds,lr,loss,valid_loss,valid_ppl,valid_acc\n";

// Rewrites the log at `path` (atomically) with its header and the rows of
// step <= last. False when there is no log to keep.
bool keep_rows(const std::string& path, std::size_t last) {
  std::ifstream in(path);
  if (!in) return false;
  common::AtomicFile out(path);
  out.write(kHeader);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::size_t step = 0;
    auto r = std::from_chars(line.data(), line.data() + line.size(), step);
    if (r.ec != std::errc() || r.ptr == line.data() + line.size() || *r.ptr != ',' ||
        std::count(line.begin(), line.end(), ',') != 8 || step > last)
      break;
    out.write(line + "\n");
  }
  out.commit();
  return true;
}

}  // namespace

TrainLog::TrainLog(const std::string& path, bool resume, std::size_t resume_step) {
  const bool kept = resume && keep_rows(path, resume_step);
  out_.open(path, kept ? std::ios::app : std::ios::trunc);
  if (!out_) throw common::IoError("cannot write the training log '" + path + "'");
  if (!kept) out_ << kHeader;
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
