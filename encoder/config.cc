#include "encoder/config.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "common/errors.h"
#include "common/text_format.h"

namespace enc {

namespace {

// a x b, or OptionError naming `what` when it overflows.
std::size_t mul(std::size_t a, std::size_t b, const char* what) {
  std::size_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) throw common::OptionError(std::string(what) + " is too large to count");
  return r;
}
std::size_t add(std::size_t a, std::size_t b, const char* what) {
  std::size_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) throw common::OptionError(std::string(what) + " is too large to count");
  return r;
}

void check_range(const char* field, std::size_t v, std::size_t hi) {
  if (v < 1 || v > hi)
    throw common::OptionError(std::string(field) + " must be between 1 and " + std::to_string(hi) + " (got " +
                              std::to_string(v) + ")");
}

std::string gib(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", bytes / (1024.0 * 1024.0 * 1024.0));
  return buf;
}

}  // namespace

void EncoderConfig::validate() const {
  using common::OptionError;
  check_range("vocab_size", vocab_size, std::size_t{1} << 28);
  check_range("d_model", d_model, 65536);
  check_range("n_heads", n_heads, d_model);
  if (d_model % n_heads != 0)
    throw OptionError("d_model (" + std::to_string(d_model) + ") must be a positive multiple of n_heads (" +
                      std::to_string(n_heads) + ")");
  check_range("n_layers", n_layers, 1024);
  check_range("d_ff", d_ff, std::size_t{1} << 20);
  check_range("max_len", max_len, std::size_t{1} << 20);
  if (attention_window > (std::size_t{1} << 20))
    throw OptionError("attention_window must be at most " + std::to_string(std::size_t{1} << 20) + " (got " +
                      std::to_string(attention_window) + ")");
  if (!(layer_norm_eps > 0) || !std::isfinite(layer_norm_eps)) throw OptionError("layer_norm_eps must be positive");
}

std::size_t EncoderConfig::parameter_count() const {
  const char* what = "the number of parameters";
  const std::size_t d = d_model, f = d_ff;
  // per layer: in_proj 3d x d + 3d, out_proj d x d + d, linear1 f x d + f, linear2 d x f + d, 2 norms 4d
  std::size_t layer = add(mul(mul(4, d, what), d, what), mul(mul(2, d, what), f, what), what);
  layer = add(layer, add(mul(9, d, what), f, what), what);
  std::size_t n = add(mul(vocab_size, d, what), mul(layer, n_layers, what), what);
  if (positional == Positional::kLearned) n = add(n, mul(max_len, d, what), what);
  if (final_norm) n = add(n, mul(2, d, what), what);
  return n;
}

std::size_t EncoderConfig::cache_floats(std::size_t batch, std::size_t seq) const {
  const char* what = "the batch's activations";
  const std::size_t n = mul(batch, seq, what);
  const std::size_t kw = attention_window == 0 ? seq : std::min(seq, 2 * attention_window + 1);
  const std::size_t probs = mul(mul(mul(batch, n_heads, what), seq, what), kw, what);
  // per layer: 11 [N, d], 3 [N, F], the attention probabilities, 4 [N]; plus 7 [N, d], 1 [N, F], 2 [N]
  std::size_t per_layer = add(add(mul(mul(11, n, what), d_model, what), mul(mul(3, n, what), d_ff, what), what),
                              add(probs, mul(4, n, what), what), what);
  std::size_t global = add(add(mul(mul(7, n, what), d_model, what), mul(n, d_ff, what), what), mul(2, n, what), what);
  return add(mul(per_layer, n_layers, what), global, what);
}

void EncoderConfig::check_fits_in_memory(std::size_t batch, std::size_t seq) const {
  const double params = static_cast<double>(parameter_count());
  const double cache = batch > 0 ? static_cast<double>(cache_floats(batch, seq)) : 0.0;
  const double need = (2 * params + cache) * sizeof(float);  // weights + gradients + caches
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return;  // unknown: do not guess
  const double have = static_cast<double>(pages) * static_cast<double>(page);
  if (need <= have) return;
  std::string why = std::to_string(n_layers) + " layers x d_model " + std::to_string(d_model) + ", d_ff " +
                    std::to_string(d_ff) + ", vocab " + std::to_string(vocab_size) + ": " +
                    std::to_string(parameter_count()) + " parameters with gradients";
  if (batch > 0) why += ", plus activations for " + std::to_string(batch) + " x " + std::to_string(seq) + " tokens";
  throw common::OptionError("the model needs " + gib(need) + " GiB (" + why + "), more than this machine's " + gib(have) +
                            " GiB");
}

std::map<std::string, std::string> EncoderConfig::to_metadata() const {
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
          {"layer_norm_eps", common::shortest(layer_norm_eps)},  // "1e-05": reads back as the same float
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
