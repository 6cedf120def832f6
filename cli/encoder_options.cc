#include "cli/encoder_options.h"

#include <charconv>
#include <climits>
#include <cstdint>
#include <iostream>

#include "common/errors.h"
#include "encoder/settings.h"

namespace po = boost::program_options;

namespace cli {

namespace {

bool given(const po::variables_map& vm, const char* name) { return vm.count(name) && !vm[name].defaulted(); }

}  // namespace

std::size_t parse_size_option(const std::string& name, const std::string& text, bool zero_ok, std::size_t max) {
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto r = std::from_chars(text.data(), end, v);
  const bool ok = !text.empty() && r.ec == std::errc() && r.ptr == end && (zero_ok || v > 0) && v <= max;
  if (!ok)
    throw common::OptionError("--" + name + (zero_ok ? " must be a whole number, 0 or more" : " must be a positive whole number") +
                              (r.ec == std::errc() && r.ptr == end && v > max ? " at most " + std::to_string(max) : "") +
                              " (got '" + text + "')");
  return static_cast<std::size_t>(v);
}

void add_size_option(po::options_description& desc, const char* name, std::size_t& target, const char* help, bool zero_ok) {
  const std::string n = name;
  auto* v = po::value<std::string>()->notifier(
      [n, &target, zero_ok](const std::string& t) { target = parse_size_option(n, t, zero_ok, SIZE_MAX); });
  if (target > 0 || zero_ok) v->default_value(std::to_string(target));  // 0 for a positive option = unset
  desc.add_options()(name, v, help);
}

void add_size_option(po::options_description& desc, const char* name, int& target, const char* help) {
  const std::string n = name;
  auto* v = po::value<std::string>()->default_value(std::to_string(target))->notifier(
      [n, &target](const std::string& t) { target = static_cast<int>(parse_size_option(n, t, false, INT_MAX)); });
  desc.add_options()(name, v, help);
}

void add_shape_options(po::options_description& desc, ShapeOptions& s, const std::string& dim_help) {
  add_size_option(desc, "dim", s.dim, dim_help.c_str());
  add_size_option(desc, "heads", s.heads, "attention heads");
  add_size_option(desc, "layers", s.layers, "layers");
  add_size_option(desc, "ffn-mult", s.ffn_mult, "feed-forward width = ffn-mult x d_model");
  // clang-format off
  desc.add_options()
    ("activation", po::value(&s.activation)->default_value(s.activation), ("feed-forward activation: " + enc::valid_activations()).c_str())
    ("positional", po::value(&s.positional)->default_value(s.positional), ("positions: " + enc::valid_positionals()).c_str());
  // clang-format on
  add_size_option(desc, "window", s.window, "sliding-window attention ±w (0 = full)", true);
  desc.add_options()("post-norm", po::bool_switch(&s.post_norm), "post-norm layers (default pre-norm)");
}

void add_hidden_shape_aliases(po::options_description& hidden, ShapeOptions& s, bool relu) {
  add_size_option(hidden, "ffn", s.ffn, "feed-forward width (old spelling of --ffn-mult)");
  if (relu) hidden.add_options()("relu", po::bool_switch(&s.relu), "old spelling of --activation relu");
}

void apply_shape(const ShapeOptions& s, const po::variables_map& vm, enc::EncoderConfig& cfg) {
  if (given(vm, "ffn") && given(vm, "ffn-mult")) throw common::OptionError("give --ffn-mult or --ffn, not both");
  if (given(vm, "relu") && given(vm, "activation")) throw common::OptionError("give --activation or --relu, not both");
  cfg.d_model = s.dim, cfg.n_heads = s.heads, cfg.n_layers = s.layers, cfg.attention_window = s.window;
  cfg.d_ff = s.ffn;
  if (!given(vm, "ffn") && __builtin_mul_overflow(s.ffn_mult, s.dim, &cfg.d_ff))
    throw common::OptionError("--ffn-mult " + std::to_string(s.ffn_mult) + " x --dim " + std::to_string(s.dim) + " is too large");
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
