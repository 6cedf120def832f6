#include "encoder/config.h"

#include <charconv>
#include <cstdint>
#include <cstdio>

#include "common/errors.h"

namespace enc {

void EncoderConfig::validate() const {
  using common::OptionError;
  if (vocab_size < 1) throw OptionError("vocab_size must be at least 1");
  if (d_model < 1 || n_heads < 1 || d_model % n_heads != 0)
    throw OptionError("d_model (" + std::to_string(d_model) + ") must be a positive multiple of n_heads (" +
                      std::to_string(n_heads) + ")");
  if (n_layers < 1) throw OptionError("n_layers must be at least 1");
  if (d_ff < 1) throw OptionError("d_ff must be at least 1");
  if (max_len < 1) throw OptionError("max_len must be at least 1");
  if (max_len > kMaxLen) throw OptionError("max_len must be at most " + std::to_string(kMaxLen));
  if (!(layer_norm_eps > 0)) throw OptionError("layer_norm_eps must be positive");
  if (parameter_count() == SIZE_MAX) throw OptionError("the model is too large (its parameter count overflows)");
}

std::size_t EncoderConfig::parameter_count() const {
  const std::size_t d = d_model, f = d_ff;
  if (d > SIZE_MAX / 16) return SIZE_MAX;  // 4d, 8d and 2d + 1 below cannot wrap
  std::size_t emb, attn, ffn, layer, layers, pos = 0, total;
  // Per layer: in_proj [3d, d] + [3d], out_proj [d, d] + [d] (4d² + 4d),
  // linear1 [f, d] + [f], linear2 [d, f] + [d] (f(2d + 1) + d), two LayerNorms 4d.
  const bool overflow =
      __builtin_mul_overflow(vocab_size, d, &emb) || __builtin_mul_overflow(d, 4 * d, &attn) ||
      __builtin_add_overflow(attn, 9 * d, &attn) || __builtin_mul_overflow(f, 2 * d + 1, &ffn) ||
      __builtin_add_overflow(attn, ffn, &layer) || __builtin_mul_overflow(layer, n_layers, &layers) ||
      (positional == Positional::kLearned && __builtin_mul_overflow(max_len, d, &pos)) ||
      __builtin_add_overflow(emb, layers, &total) || __builtin_add_overflow(total, pos, &total) ||
      __builtin_add_overflow(total, final_norm ? 2 * d : 0, &total);
  return overflow ? SIZE_MAX : total;
}

std::map<std::string, std::string> EncoderConfig::to_metadata() const {
  char eps[32];
  std::snprintf(eps, sizeof eps, "%.9g", static_cast<double>(layer_norm_eps));
  return {{"vocab_size", std::to_string(vocab_size)},
          {"d_model", std::to_string(d_model)},
          {"n_heads", std::to_string(n_heads)},
          {"n_layers", std::to_string(n_layers)},
          {"d_ff", std::to_string(d_ff)},
          {"max_len", std::to_string(max_len)},
          {"norm_first", norm_first ? "true" : "false"},
          {"activation", std::string(to_string(activation))},
          {"positional", std::string(to_string(positional))},
          {"attention_window", std::to_string(attention_window)},
          {"layer_norm_eps", eps},
          {"final_norm", final_norm ? "true" : "false"}};
}

EncoderConfig EncoderConfig::from_metadata(const std::map<std::string, std::string>& m, const std::string& source) {
  auto get = [&](const char* key) -> const std::string& {
    auto it = m.find(key);
    if (it == m.end()) throw common::FormatError(source + ": metadata key '" + key + "' is missing (not a wordlens encoder?)");
    return it->second;
  };
  auto num = [&](const char* key) {
    const std::string& v = get(key);
    std::size_t x = 0;
    auto r = std::from_chars(v.data(), v.data() + v.size(), x);
    if (r.ec != std::errc() || r.ptr != v.data() + v.size())
      throw common::FormatError(source + ": metadata '" + key + "' = '" + v + "' is not a whole number");
    return x;
  };
  auto flag = [&](const char* key, bool dflt) {
    if (!m.count(key)) return dflt;
    const std::string& v = get(key);
    if (v == "true" || v == "True" || v == "1") return true;
    if (v == "false" || v == "False" || v == "0") return false;
    throw common::FormatError(source + ": metadata '" + key + "' = '" + v + "' is not true or false");
  };
  EncoderConfig c;
  c.vocab_size = num("vocab_size");
  c.d_model = num("d_model");
  c.n_heads = num("n_heads");
  c.n_layers = num("n_layers");
  c.d_ff = num("d_ff");
  c.max_len = num("max_len");
  c.norm_first = flag("norm_first", true);
  try {
    c.activation = parse_activation(get("activation"), "metadata 'activation'");
    c.positional = parse_positional(get("positional"), "metadata 'positional'");
  } catch (const common::OptionError& e) {
    throw common::FormatError(source + ": " + e.what());
  }
  c.attention_window = num("attention_window");
  try {
    c.layer_norm_eps = std::stof(get("layer_norm_eps"));
  } catch (const std::logic_error&) {
    throw common::FormatError(source + ": metadata 'layer_norm_eps' is not a number");
  }
  c.final_norm = flag("final_norm", false);
  try {
    c.validate();
  } catch (const common::OptionError& e) {
    throw common::FormatError(source + ": bad metadata: " + e.what());
  }
  return c;
}

}  // namespace enc
