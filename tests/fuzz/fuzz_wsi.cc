// libFuzzer target: cmp::read_wsi (RUSSE 2018 word sense induction files),
// then cmp::prepare_wsi. The loader is driven by fuzz::load_wsi
// (fuzz_loaders.h); see fuzz_util.h.
#include "fuzz_loaders.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(fuzz::load_wsi, data, size);
}
