// Progress of long work that is not training (benchmarks, comparisons),
// counted in units of the phase (sentences, repetitions). Library code
// reports it through a WorkProgressFn; the command line prints it
// (cli/progress_line.h). An empty function reports nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace common {

struct WorkProgress {
  std::string phase;  // what is being done, e.g. "sts-dev.csv: encoder-mean"
  std::uint64_t done = 0, total = 0;  // units done of total in this phase (total 0 = unknown)
  std::string unit;   // "sentences", "repetitions", ...
};

using WorkProgressFn = std::function<void(const WorkProgress&)>;

}  // namespace common
