// libFuzzer target: cmp::read_sentence_index (the index of wordlens index / search).
// The loader is driven by fuzz::load_sentence_index (fuzz_loaders.h); see fuzz_util.h.
#include "fuzz_loaders.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(fuzz::load_sentence_index, data, size);
}
