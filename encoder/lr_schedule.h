// The learning rate of each training step: a linear warm-up to the peak,
// then linear decay to 0, a cosine decay, or the peak held constant.
#pragma once

#include <cstddef>

#include "encoder/settings.h"

namespace enc {

struct LrSchedule {
  Schedule kind = Schedule::kLinear;
  float peak = 5e-4f;
  std::size_t warmup = 0;  // steps
  std::size_t total = 1;   // steps of the whole run

  // The rate of step `step` (0-based).
  double at(std::size_t step) const;
};

}  // namespace enc
