// The encoder's shape options, declared once and spelled the same in
// `encoder init`, `encoder bench` and `encoder train`: --dim, --heads,
// --layers, --ffn-mult, --activation, --positional, --window, --post-norm.
#pragma once

#include <cstddef>
#include <string>

#include <boost/program_options.hpp>

#include "encoder/config.h"
#include "encoder/train_options.h"

namespace cli {

struct ShapeOptions {
  std::size_t dim = 256, heads = 4, layers = 4, ffn_mult = 4, window = 0;
  std::string activation = "gelu", positional = "sinusoidal";  // parsed by apply()
  bool post_norm = false;
  std::size_t ffn = 0;  // hidden alias --ffn N (absolute width, the old init/bench spelling); 0 = unset
  bool relu = false;    // hidden alias --relu (old bench spelling)
};

// Adds a size option --NAME whose value lands in `target` (its current value is
// the default). Boost would parse "-1" into a size_t as 2^64 - 1, so the value
// is read as text and checked: OptionError "--NAME must be a positive whole
// number (got '-1')" (or "... a whole number, 0 or more" when zero_ok).
void add_size_option(boost::program_options::options_description& desc, const char* name, std::size_t& target,
                     const char* help, bool zero_ok = false);
void add_size_option(boost::program_options::options_description& desc, const char* name, int& target,
                     const char* help);
// The checked parse behind add_size_option; `name` is the option's name without "--".
std::size_t parse_size_option(const std::string& name, const std::string& text, bool zero_ok, std::size_t max);

// Adds the shape options with `s`'s values as defaults. dim_help describes --dim.
void add_shape_options(boost::program_options::options_description& desc, ShapeOptions& s,
                       const std::string& dim_help = "d_model");
// The old spellings, kept working but not shown in --help: --ffn N (init,
// bench) and --relu (bench).
void add_hidden_shape_aliases(boost::program_options::options_description& hidden, ShapeOptions& s, bool relu);

// The shape into a model config (vocab_size and max_len are left alone).
// OptionError for a bad --activation / --positional, or --ffn with --ffn-mult.
void apply_shape(const ShapeOptions& s, const boost::program_options::variables_map& vm, enc::EncoderConfig& cfg);
// The same into training options, noting which options were given.
void apply_shape(const ShapeOptions& s, const boost::program_options::variables_map& vm, enc::EncoderTrainOptions& o);

// Parses argv with `visible` (shown by --help) and `hidden` options.
// Returns false when --help was given (after printing it).
bool parse_with_hidden(int argc, char** argv, const boost::program_options::options_description& visible,
                       const boost::program_options::options_description& hidden,
                       boost::program_options::variables_map& vm);

}  // namespace cli
