// Inputs that once crashed a fuzz target (tests/fuzz/regressions/<target>/,
// each found by bench/fuzz.sh and minimised) are refused with a
// common::Error, driven exactly as the target drives its loader
// (tests/fuzz/fuzz_loaders.h) — in the normal build and under ASan/UBSan.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "fuzz_loaders.h"
#include "test_util.h"

namespace {

namespace fs = std::filesystem;

// Feeds every file of regressions/<target>/ to the loader; returns how many.
std::size_t check_all_refused(const std::string& target, fuzz::Loader load) {
  const fs::path dir = fs::path(WORDLENS_FUZZ_REGRESSION_DIR) / target;
  std::vector<fs::path> files;
  if (fs::is_directory(dir))
    for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  for (const auto& f : files) {
    const std::string bytes = testutil::read_file(f.string());
    CAPTURE(f.filename().string());
    CHECK_THROWS_AS(load(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), common::Error);
  }
  return files.size();
}

}  // namespace

TEST_CASE("fuzz regressions: inputs that crashed a loader are refused with a common::Error") {
  std::size_t n = 0;
  n += check_all_refused("vectors", fuzz::load_vectors);
  n += check_all_refused("safetensors", fuzz::load_safetensors);
  n += check_all_refused("bpe_model", fuzz::load_bpe_model);
  n += check_all_refused("w2v_checkpoint", fuzz::load_w2v_checkpoint);
  n += check_all_refused("encoder_checkpoint", fuzz::load_encoder_checkpoint);
  n += check_all_refused("vocab", fuzz::load_vocab);
  n += check_all_refused("sts", fuzz::load_sts);
  n += check_all_refused("wic", fuzz::load_wic);
  n += check_all_refused("lee", fuzz::load_lee);
  n += check_all_refused("wsi", fuzz::load_wsi);
  n += check_all_refused("sentence_index", fuzz::load_sentence_index);
  CHECK(n > 0);
}
