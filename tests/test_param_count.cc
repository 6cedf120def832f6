// encoder info: parameter counts per part from a configuration equal the
// tensors a saved model holds, and the feed-forward share by hand.
#include <doctest/doctest.h>

#include "common/errors.h"
#include "encoder/model.h"
#include "encoder/param_count.h"
#include "encoder/safetensors.h"
#include "test_util.h"

using namespace testutil;

namespace {

std::size_t part(const enc::ParamCounts& c, enc::ParamPart p) { return c.total[static_cast<std::size_t>(p)]; }

}  // namespace

TEST_CASE("param counts equal the sum of the tensor sizes in the safetensors file") {
  TempDir dir;
  for (const bool learned : {false, true})
    for (const bool final_norm : {false, true}) {
      enc::EncoderConfig cfg;
      cfg.vocab_size = 37;
      cfg.d_model = 12;
      cfg.n_heads = 3;
      cfg.n_layers = 3;
      cfg.d_ff = 20;
      cfg.max_len = 9;
      cfg.positional = learned ? enc::Positional::kLearned : enc::Positional::kSinusoidal;
      cfg.final_norm = final_norm;
      enc::Encoder model(cfg);
      model.init_random(1);
      const std::string path = dir.file("m.safetensors");
      model.save(path);
      const auto file = enc::read_safetensors(path);
      std::size_t floats = 0;
      std::vector<std::pair<std::string, std::size_t>> tensors;
      for (const auto& [name, t] : file.tensors) {
        floats += t.numel();
        tensors.emplace_back(name, t.numel());
      }
      const auto want = enc::param_counts(cfg);
      CHECK(want.all() == floats);
      CHECK(want.all() == cfg.parameter_count());
      CHECK(enc::measured_param_counts(tensors, cfg.n_layers, path) == want);
      const auto loaded = enc::Encoder::load(path);
      CHECK(enc::checked_param_counts(loaded.config(), loaded.params(), path) == want);
      // By hand: d = 12, d_ff = 20, 3 layers.
      CHECK(part(want, enc::ParamPart::kEmbeddings) == 37 * 12);
      CHECK(part(want, enc::ParamPart::kPositions) == (learned ? 9 * 12 : 0));
      CHECK(part(want, enc::ParamPart::kQuery) == 3 * (12 * 12 + 12));
      CHECK(part(want, enc::ParamPart::kFeedForward) == 3 * (20 * 12 + 20 + 12 * 20 + 12));
      CHECK(part(want, enc::ParamPart::kLayerNorms) == 3 * 4 * 12);
      CHECK(part(want, enc::ParamPart::kFinalNorm) == (final_norm ? 24 : 0));
      CHECK(want.layer_all() * 3 + part(want, enc::ParamPart::kEmbeddings) + part(want, enc::ParamPart::kPositions) +
                part(want, enc::ParamPart::kFinalNorm) ==
            want.all());
    }
}

TEST_CASE("feed-forward share of a layer, by hand") {
  // d = 4, d_ff = 16: feed-forward 16*4 + 16 + 4*16 + 4 = 148; attention 4 * (16 + 4) = 80; norms 16.
  CHECK(enc::ffn_share(4, 16) == doctest::Approx(148.0 / 244.0));
  enc::EncoderConfig cfg;
  cfg.vocab_size = 10, cfg.d_model = 4, cfg.n_heads = 2, cfg.n_layers = 2, cfg.d_ff = 16, cfg.max_len = 8;
  CHECK(enc::param_counts(cfg).ffn_share_of_layer() == doctest::Approx(148.0 / 244.0));
  // The share grows with K = d_ff / d_model, towards 2K / (2K + 4) for large d.
  CHECK(enc::ffn_share(1024, 2 * 1024) < enc::ffn_share(1024, 4 * 1024));
  CHECK(enc::ffn_share(1024, 4 * 1024) == doctest::Approx(8.0 / 12.0).epsilon(0.01));
  CHECK(enc::ffn_share(1024, 8 * 1024) == doctest::Approx(16.0 / 20.0).epsilon(0.01));
}

TEST_CASE("measured param counts refuse tensors of no known part") {
  CHECK_THROWS_AS(enc::measured_param_counts({{"layers.0.mystery.weight", 4}}, 1, "m"), common::FormatError);
  CHECK_THROWS_AS(enc::measured_param_counts({{"layers.0.self_attn.in_proj_weight", 4}}, 1, "m"), common::FormatError);
  CHECK_THROWS_AS(enc::measured_param_counts({{"layers.1.linear1.weight", 4}}, 1, "m"), common::FormatError);
  CHECK_THROWS_AS(enc::measured_param_counts({{"layers.0.linear1.weight", 4}, {"layers.1.linear1.weight", 5}}, 2, "m"),
                  common::FormatError);
}
