// libFuzzer target: w2v::load_checkpoint with the seed checkpoint's options.
// The loader is driven by fuzz::load_w2v_checkpoint (fuzz_loaders.h); see fuzz_util.h.
#include "fuzz_loaders.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(fuzz::load_w2v_checkpoint, data, size);
}
