#include "cli/stop_signal.h"

#include <csignal>

#include "common/stop_request.h"

namespace cli {

namespace {

void on_stop_signal(int sig) {
  common::request_stop();
  std::signal(sig, SIG_DFL);  // a second Ctrl-C kills at once
}

}  // namespace

StopSignal::StopSignal() {
  common::clear_stop_request();
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

StopSignal::~StopSignal() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

}  // namespace cli
