// Named pre-training recipes for `encoder train --preset`: the model shape
// and optimisation of a measured run (bench/recipe_bench.sh; numbers in
// bench/RESULTS.md, "Pre-training recipes"). A preset sets defaults only:
// an option given on the command line still wins.
#pragma once

#include <string>
#include <string_view>

#include "encoder/train_options.h"

namespace enc {

enum class TrainPreset {
  kQuick,     // 13.5 min for bench.txt (d = 128 vectors) on 2 busy cores
  kStandard,  // 75 min there (4 layers, 5 epochs)
};

std::string_view to_string(TrainPreset p);
TrainPreset parse_preset(std::string_view text, std::string_view what);  // OptionError
std::string valid_presets();

// Writes the preset's layers, heads, ffn_mult, max_len, batch_tokens,
// epochs, lr, warmup and schedule into o (the rest is left alone).
void apply_preset(TrainPreset p, EncoderTrainOptions& o);

// "2 layers, 4 heads, ..., 1.5 epochs, lr 1e-3": for --help and logs.
std::string describe_preset(TrainPreset p);

}  // namespace enc
