#include "encoder/params.h"

#include <algorithm>
#include <cstring>

namespace enc {

std::size_t ParamSet::add(const std::string& name, std::vector<std::size_t> shape) {
  TensorSlot s;
  s.name = name;
  s.shape = std::move(shape);
  s.size = 1;
  for (auto d : s.shape) s.size *= d;
  s.offset = total_;
  total_ += common::padded_ld(s.size);
  slots_.push_back(std::move(s));
  return slots_.size() - 1;
}

void ParamSet::allocate() {
  data_.reset(total_);
  grad_.reset(total_);
}

const TensorSlot* ParamSet::find(const std::string& name) const {
  for (const auto& s : slots_)
    if (s.name == name) return &s;
  return nullptr;
}

std::size_t ParamSet::count() const {
  std::size_t n = 0;
  for (const auto& s : slots_) n += s.size;
  return n;
}

void ParamSet::zero_grad() { std::memset(grad_.data(), 0, total_ * sizeof(float)); }

}  // namespace enc
