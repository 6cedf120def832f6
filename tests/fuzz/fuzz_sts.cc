// libFuzzer target: cmp::read_sts (STS-Benchmark files).
// The loader is driven by fuzz::load_sts (fuzz_loaders.h); see fuzz_util.h.
#include "fuzz_loaders.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(fuzz::load_sts, data, size);
}
