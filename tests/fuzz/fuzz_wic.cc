// libFuzzer target: cmp::read_wic (a directory: the input split at fuzz::kSeparator).
// The loader is driven by fuzz::load_wic (fuzz_loaders.h); see fuzz_util.h.
#include "fuzz_loaders.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(fuzz::load_wic, data, size);
}
