#include "cli/encoder_options.h"

#include <iostream>

#include "common/errors.h"
#include "encoder/settings.h"

namespace po = boost::program_options;

namespace cli {

namespace {

bool given(const po::variables_map& vm, const char* name) { return vm.count(name) && !vm[name].defaulted(); }

}  // namespace

void add_shape_options(po::options_description& desc, ShapeOptions& s, const std::string& dim_help) {
  // clang-format off
  desc.add_options()
    ("dim", po::value(&s.dim)->default_value(s.dim), dim_help.c_str())
    ("heads", po::value(&s.heads)->default_value(s.heads), "attention heads")
    ("layers", po::value(&s.layers)->default_value(s.layers), "layers")
    ("ffn-mult", po::value(&s.ffn_mult)->default_value(s.ffn_mult), "feed-forward width = ffn-mult x d_model")
    ("activation", po::value(&s.activation)->default_value(s.activation), ("feed-forward activation: " + enc::valid_activations()).c_str())
    ("positional", po::value(&s.positional)->default_value(s.positional), ("positions: " + enc::valid_positionals()).c_str())
    ("window", po::value(&s.window)->default_value(s.window), "sliding-window attention ±w (0 = full)")
    ("post-norm", po::bool_switch(&s.post_norm), "post-norm layers (default pre-norm)");
  // clang-format on
}

void add_hidden_shape_aliases(po::options_description& hidden, ShapeOptions& s, bool relu) {
  hidden.add_options()("ffn", po::value(&s.ffn), "feed-forward width (old spelling of --ffn-mult)");
  if (relu) hidden.add_options()("relu", po::bool_switch(&s.relu), "old spelling of --activation relu");
}

void apply_shape(const ShapeOptions& s, const po::variables_map& vm, enc::EncoderConfig& cfg) {
  if (given(vm, "ffn") && given(vm, "ffn-mult")) throw common::OptionError("give --ffn-mult or --ffn, not both");
  if (given(vm, "relu") && given(vm, "activation")) throw common::OptionError("give --activation or --relu, not both");
  cfg.d_model = s.dim, cfg.n_heads = s.heads, cfg.n_layers = s.layers, cfg.attention_window = s.window;
  cfg.d_ff = given(vm, "ffn") ? s.ffn : s.ffn_mult * s.dim;
  cfg.activation = s.relu ? enc::Activation::kRelu : enc::parse_activation(s.activation, "--activation");
  cfg.positional = enc::parse_positional(s.positional, "--positional");
  cfg.norm_first = !s.post_norm;
}

void apply_shape(const ShapeOptions& s, const po::variables_map& vm, enc::EncoderTrainOptions& o) {
  o.dim = s.dim, o.heads = s.heads, o.layers = s.layers, o.ffn_mult = s.ffn_mult, o.window = s.window;
  o.activation = enc::parse_activation(s.activation, "--activation");
  o.positional = enc::parse_positional(s.positional, "--positional");
  o.norm_first = !s.post_norm;
  enc::GivenShape& g = o.given;
  g.dim = given(vm, "dim"), g.heads = given(vm, "heads"), g.layers = given(vm, "layers");
  g.ffn_mult = given(vm, "ffn-mult"), g.window = given(vm, "window"), g.post_norm = given(vm, "post-norm");
  g.activation = given(vm, "activation"), g.positional = given(vm, "positional");
}

bool parse_with_hidden(int argc, char** argv, const po::options_description& visible, const po::options_description& hidden,
                       po::variables_map& vm) {
  po::options_description all;
  all.add(visible).add(hidden);
  po::store(po::parse_command_line(argc, argv, all), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << visible;
    return false;
  }
  return true;
}

}  // namespace cli
