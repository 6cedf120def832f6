// The encoder's parameters and their gradients: one aligned buffer each,
// with the same layout, holding tensors named and shaped as PyTorch's
// nn.TransformerEncoder state dict.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/aligned.h"

namespace enc {

struct TensorSlot {
  std::string name;
  std::vector<std::size_t> shape;
  std::size_t offset = 0;  // in floats, 16-aligned
  std::size_t size = 0;    // number of floats
};

class ParamSet {
 public:
  // Registers a tensor; call all adds before allocate().
  std::size_t add(const std::string& name, std::vector<std::size_t> shape);
  void allocate();
  const std::vector<TensorSlot>& slots() const { return slots_; }
  const TensorSlot* find(const std::string& name) const;
  float* data(std::size_t slot) { return data_.data() + slots_[slot].offset; }
  const float* data(std::size_t slot) const { return data_.data() + slots_[slot].offset; }
  float* grad(std::size_t slot) { return grad_.data() + slots_[slot].offset; }
  float* data_all() { return data_.data(); }
  float* grad_all() { return grad_.data(); }
  std::size_t total() const { return total_; }  // floats, padding included
  std::size_t count() const;                    // parameters, padding excluded
  void zero_grad();

 private:
  std::vector<TensorSlot> slots_;
  std::size_t total_ = 0;
  common::AlignedFloats data_, grad_;
};

}  // namespace enc
