#include "encoder/train_preset.h"

#include "common/enum_names.h"
#include "common/text_format.h"

namespace enc {

namespace {

constexpr common::EnumNames<TrainPreset, 2> kPresets{{{TrainPreset::kQuick, "quick"}, {TrainPreset::kStandard, "standard"}}};

}  // namespace

std::string_view to_string(TrainPreset p) { return common::enum_name(kPresets, p); }
TrainPreset parse_preset(std::string_view text, std::string_view what) { return common::parse_enum(kPresets, text, what); }
std::string valid_presets() { return common::enum_list(kPresets); }

void apply_preset(TrainPreset p, EncoderTrainOptions& o) {
  o.heads = 4, o.ffn_mult = 4, o.max_len = 64, o.batch_tokens = 8192, o.schedule = Schedule::kLinear;
  o.steps = 0;
  switch (p) {
    case TrainPreset::kQuick:
      o.layers = 2, o.epochs = 1.5, o.lr = 1e-3f, o.warmup = 100;
      break;
    case TrainPreset::kStandard:
      o.layers = 4, o.epochs = 5, o.lr = 5e-4f, o.warmup = 400;
      break;
  }
}

std::string describe_preset(TrainPreset p) {
  EncoderTrainOptions o;
  apply_preset(p, o);
  return std::to_string(o.layers) + " layers, " + std::to_string(o.heads) + " heads, d_ff " + std::to_string(o.ffn_mult) +
         "d, max-len " + std::to_string(o.max_len) + ", " + std::to_string(o.batch_tokens) + " tokens a batch, " +
         common::shortest(o.epochs) + " epochs, lr " + common::shortest(o.lr) + " (warm-up " + std::to_string(o.warmup) +
         ", linear decay)";
}

}  // namespace enc
