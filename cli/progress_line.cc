#include "cli/progress_line.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>

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

namespace {
std::atomic<bool> g_line_open{false};  // a refreshing line is on stderr (there is one stderr)
}  // namespace

void clear_progress_line() {
  if (g_line_open.exchange(false)) std::fputs("\r\033[K", stderr);
}

ProgressLine::ProgressLine(double plain_interval) : tty_(::isatty(2) != 0), plain_interval_(plain_interval) {}

bool ProgressLine::due(double seconds, bool final) {
  const double interval = tty_ ? 0.2 : plain_interval_;
  if (!final && seconds - last_print_ < interval) return false;
  if (final && !tty_ && seconds - last_print_ < 1.0) return false;  // the summary follows anyway
  last_print_ = seconds;
  return true;
}

void ProgressLine::show(const char* text) {
  if (tty_) {
    std::fprintf(stderr, "\r%s\033[K", text);
    g_line_open = true;
  } else {
    std::fprintf(stderr, "%s\n", text);
  }
  std::fflush(stderr);
}

void ProgressLine::update_bytes(std::uint64_t done, std::uint64_t total, double seconds, bool final) {
  if (!due(seconds, final)) return;
  const double mbs = seconds > 0 ? static_cast<double>(done) / 1e6 / seconds : 0;
  char buf[256];
  if (total > 0) {
    const double eta = mbs > 0 && total > done ? static_cast<double>(total - done) / 1e6 / mbs : (total <= done ? 0 : NAN);
    std::snprintf(buf, sizeof buf, "progress %5.1f%%  %.1f MB/s  ETA %s",
                  100.0 * static_cast<double>(std::min(done, total)) / static_cast<double>(total), mbs,
                  human_duration(eta).c_str());
  } else {
    std::snprintf(buf, sizeof buf, "progress %s read  %.1f MB/s", (human_count(static_cast<double>(done)) + "B").c_str(), mbs);
  }
  show(buf);
}

void ProgressLine::update(const w2v::TrainProgress& p) {
  if (!due(p.seconds, p.final)) return;
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
  show(buf);
}

void ProgressLine::update_work(const common::WorkProgress& p, std::string_view detail) {
  const double now = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const bool new_phase = p.phase != phase_;
  if (new_phase) {
    phase_ = p.phase;
    phase_start_ = now;
    last_print_ = -1e9;  // a new phase always shows
  }
  const bool final = p.total > 0 && p.done >= p.total;
  if (!new_phase && !due(now, final)) return;
  if (new_phase) last_print_ = now;
  char buf[320];
  if (p.total == 0) {
    std::snprintf(buf, sizeof buf, "%s ...", p.phase.c_str());
  } else {
    const double s = now - phase_start_, rate = s > 0 ? static_cast<double>(p.done) / s : 0;
    const double eta = p.done >= p.total ? 0.0 : rate > 0 ? static_cast<double>(p.total - p.done) / rate : NAN;
    std::snprintf(buf, sizeof buf, "%s  %s / %s %s (%.0f%%)  %s/s  ETA %s", p.phase.c_str(),
                  human_count(static_cast<double>(p.done)).c_str(), human_count(static_cast<double>(p.total)).c_str(),
                  p.unit.c_str(), 100.0 * static_cast<double>(std::min(p.done, p.total)) / static_cast<double>(p.total),
                  human_count(rate).c_str(), human_duration(eta).c_str());
  }
  if (!detail.empty())
    std::snprintf(buf + std::strlen(buf), sizeof buf - std::strlen(buf), "  %.*s", static_cast<int>(detail.size()), detail.data());
  show(buf);
}

void ProgressLine::finish() {
  if (g_line_open.exchange(false)) std::fprintf(stderr, "\n");
}

}  // namespace cli
