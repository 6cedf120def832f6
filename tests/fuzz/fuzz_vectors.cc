// libFuzzer target: w2v::read_vectors (word2vec text and binary, fastText .vec).
// The loader is driven by fuzz::load_vectors (fuzz_loaders.h); see fuzz_util.h.
#include "fuzz_loaders.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(fuzz::load_vectors, data, size);
}
