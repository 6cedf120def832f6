#include "encoder/lr_schedule.h"

#include <cmath>

namespace enc {

double LrSchedule::at(std::size_t step) const {
  if (step < warmup) return peak * static_cast<double>(step + 1) / static_cast<double>(warmup);
  if (kind == Schedule::kConstant || total <= warmup) return peak;
  const double t = static_cast<double>(step - warmup) / static_cast<double>(total - warmup);
  if (kind == Schedule::kCosine) return peak * 0.5 * (1 + std::cos(M_PI * t));
  return peak * (1 - t);
}

}  // namespace enc
