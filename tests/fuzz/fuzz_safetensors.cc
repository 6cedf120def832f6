// libFuzzer target: enc::Encoder::load, then one forward pass of a small model.
// The loader is driven by fuzz::load_safetensors (fuzz_loaders.h); see fuzz_util.h.
#include "fuzz_loaders.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(fuzz::load_safetensors, data, size);
}
