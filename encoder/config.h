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
  // Number of weights (floats, padding excluded) of the model this config
  // describes, or SIZE_MAX if that does not fit in size_t.
  std::size_t parameter_count() const;
  // Throws common::OptionError naming the offending field (also for a model
  // whose size overflows, or a max_len above kMaxLen).
  void validate() const;
  std::map<std::string, std::string> to_metadata() const;
  // Throws common::FormatError naming the missing or bad key.
  static EncoderConfig from_metadata(const std::map<std::string, std::string>& m, const std::string& source);
};

}  // namespace enc
