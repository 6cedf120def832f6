// Shape and options of a transformer encoder; stored as the string
// metadata of its safetensors weights file.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "encoder/settings.h"

namespace enc {

struct EncoderConfig {
  std::size_t vocab_size = 30000;
  std::size_t d_model = 256;
  std::size_t n_heads = 4;
  std::size_t n_layers = 4;
  std::size_t d_ff = 1024;
  std::size_t max_len = 512;
  bool norm_first = true;          // pre-norm (true) or post-norm (false)
  Activation activation = Activation::kGelu;
  Positional positional = Positional::kSinusoidal;
  std::size_t attention_window = 0;       // 0 = full attention, else ±w
  float layer_norm_eps = 1e-5f;
  bool final_norm = true;          // a LayerNorm after the last layer ("norm.*")

  // Longest max_len accepted: the sinusoid table is [max_len, d_model] and
  // attention is quadratic in the sequence length.
  static constexpr std::size_t kMaxLen = 65536;

  std::size_t head_dim() const { return d_model / n_heads; }
  // Throws common::OptionError naming the offending field. Every size has an
  // upper bound (d_model <= 65536, n_heads <= d_model, n_layers <= 1024,
  // d_ff <= 2^20, max_len <= 2^20, vocab_size <= 2^28, window <= 2^20), so
  // the products below cannot overflow.
  void validate() const;
  // Parameters of a model of this shape (padding excluded); overflow-checked.
  std::size_t parameter_count() const;
  // Floats of the forward/backward caches for a batch of batch x seq tokens;
  // OptionError if the count overflows.
  std::size_t cache_floats(std::size_t batch, std::size_t seq) const;
  // OptionError "the model needs N GiB (...), more than this machine's M GiB"
  // when weights + gradients (+ the caches of a batch x seq batch, when
  // batch > 0) exceed the machine's physical memory.
  void check_fits_in_memory(std::size_t batch = 0, std::size_t seq = 0) const;
  std::map<std::string, std::string> to_metadata() const;
  // Throws common::FormatError naming the missing or bad key.
  static EncoderConfig from_metadata(const std::map<std::string, std::string>& m, const std::string& source);
};

}  // namespace enc
