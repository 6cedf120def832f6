#include "encoder/objective.h"

#include "encoder/mlm_objective.h"
#include "encoder/simcse_objective.h"

namespace enc {

std::unique_ptr<Objective> make_objective(ObjectiveKind kind, const ObjectiveSettings& s, const EncoderVocab& vocab) {
  if (kind == ObjectiveKind::kSimcse) return std::make_unique<SimcseObjective>(s);
  return std::make_unique<MlmObjective>(s, vocab);
}

}  // namespace enc
