// libFuzzer target: tok::BpeModel::load, then encode and decode a fixed UTF-8 text.
// The loader is driven by fuzz::load_bpe_model (fuzz_loaders.h); see fuzz_util.h.
#include "fuzz_loaders.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(fuzz::load_bpe_model, data, size);
}
