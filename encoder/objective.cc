#include "encoder/objective.h"

#include "common/errors.h"
#include "encoder/mlm_objective.h"
#include "encoder/simcse_objective.h"

namespace enc {

double Objective::train_forward_shard(Encoder&, MlmBatch&, std::size_t, std::size_t, std::size_t, common::AlignedFloats&) {
  throw common::OptionError("this objective cannot be split across ranks (its loss couples the whole batch): "
                            "train it in one process, without mpirun");
}

std::unique_ptr<Objective> make_objective(ObjectiveKind kind, const ObjectiveSettings& s, const EncoderVocab& vocab) {
  if (kind == ObjectiveKind::kSimcse) return std::make_unique<SimcseObjective>(s);
  return std::make_unique<MlmObjective>(s, vocab);
}

}  // namespace enc
