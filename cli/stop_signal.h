// Ctrl-C and SIGTERM during a command: the first one asks the work to stop
// (common::request_stop: trainers write a checkpoint, other long loops
// throw common::Interrupted), a second one kills at once. Installed for the
// life of a StopSignal object.
#pragma once

namespace cli {

class StopSignal {
 public:
  StopSignal();
  ~StopSignal();
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;
};

}  // namespace cli
