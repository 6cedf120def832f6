// libFuzzer target: w2v::Vocab::read (-save-vocab format).
// The loader is driven by fuzz::load_vocab (fuzz_loaders.h); see fuzz_util.h.
#include "fuzz_loaders.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(fuzz::load_vocab, data, size);
}
