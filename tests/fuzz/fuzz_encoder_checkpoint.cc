// libFuzzer target: enc::read_train_checkpoint into the seed checkpoint's model.
// The loader is driven by fuzz::load_encoder_checkpoint (fuzz_loaders.h); see fuzz_util.h.
#include "fuzz_loaders.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(fuzz::load_encoder_checkpoint, data, size);
}
