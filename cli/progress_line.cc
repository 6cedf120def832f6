#include "cli/progress_line.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace cli {

std::string human_count(double v) {
  char buf[32];
  if (v >= 1e9) std::snprintf(buf, sizeof buf, "%.2fG", v / 1e9);
  else if (v >= 1e6) std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  else if (v >= 1e3) std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::string human_duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  long t = std::lround(s);
  char buf[32];
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
  return buf;
}

ProgressLine::ProgressLine(double plain_interval) : tty_(::isatty(2) != 0), plain_interval_(plain_interval) {}

void ProgressLine::update(const w2v::TrainProgress& p) {
  const double interval = tty_ ? 0.2 : plain_interval_;
  if (!p.final && p.seconds - last_print_ < interval) return;
  if (p.final && !tty_ && p.seconds - last_print_ < 1.0) return;  // the summary follows anyway
  last_print_ = p.seconds;
  const double frac = p.words_total ? static_cast<double>(p.words_done) / static_cast<double>(p.words_total) : 0;
  const double wps = p.seconds > 0 ? static_cast<double>(p.words_this_run) / p.seconds : 0;
  const double remaining = static_cast<double>(p.words_total - p.words_done);
  const double eta = wps > 0 ? remaining / wps : NAN;
  const std::uint64_t dn = p.loss_count - last_loss_count_;
  const double loss = dn ? (p.loss_sum - last_loss_sum_) / static_cast<double>(dn) : NAN;
  last_loss_sum_ = p.loss_sum;
  last_loss_count_ = p.loss_count;
  char buf[256];
  std::snprintf(buf, sizeof buf, "progress %5.1f%%  %s words/s  alpha %.6f  loss %.4f  ETA %s", frac * 100,
                human_count(wps).c_str(), p.alpha, loss, human_duration(eta).c_str());
  if (tty_) {
    std::fprintf(stderr, "\r%s\033[K", buf);
    line_open_ = true;
  } else {
    std::fprintf(stderr, "%s\n", buf);
  }
  std::fflush(stderr);
}

void ProgressLine::finish() {
  if (line_open_) std::fprintf(stderr, "\n");
  line_open_ = false;
}

}  // namespace cli
