// The encoder's named settings: every spelling round-trips, anything else
// is refused with the valid values named, and weights files keep the text.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "common/errors.h"
#include "encoder/config.h"
#include "encoder/model.h"
#include "encoder/settings.h"
#include "test_util.h"

TEST_CASE("encoder settings: spellings round-trip and bad ones name the valid values") {
  for (auto a : {enc::Activation::kGelu, enc::Activation::kRelu})
    CHECK(enc::parse_activation(enc::to_string(a), "x") == a);
  for (auto p : {enc::Positional::kSinusoidal, enc::Positional::kLearned})
    CHECK(enc::parse_positional(enc::to_string(p), "x") == p);
  for (auto o : {enc::ObjectiveKind::kMlm, enc::ObjectiveKind::kSimcse})
    CHECK(enc::parse_objective(enc::to_string(o), "x") == o);
  for (auto s : {enc::Schedule::kLinear, enc::Schedule::kCosine, enc::Schedule::kConstant})
    CHECK(enc::parse_schedule(enc::to_string(s), "x") == s);
  CHECK(testutil::thrown<common::OptionError>([] { enc::parse_activation("tanh", "--activation"); }) ==
        "--activation: 'tanh' is not one of gelu, relu");
  CHECK(testutil::thrown<common::OptionError>([] { enc::parse_schedule("Cosine", "--schedule"); }) ==
        "--schedule: 'Cosine' is not one of linear, cosine, constant");
  CHECK(testutil::thrown<common::OptionError>([] { enc::parse_objective("", "--objective"); }) ==
        "--objective: '' is not one of mlm, simcse");
  CHECK(enc::valid_positionals() == "sinusoidal, learned");
}

TEST_CASE("encoder config metadata keeps the setting strings") {
  enc::EncoderConfig c;
  c.activation = enc::Activation::kRelu, c.positional = enc::Positional::kLearned;
  auto m = c.to_metadata();
  CHECK(m.at("activation") == "relu");
  CHECK(m.at("positional") == "learned");
  auto back = enc::EncoderConfig::from_metadata(m, "x.safetensors");
  CHECK(back.activation == enc::Activation::kRelu);
  CHECK(back.positional == enc::Positional::kLearned);
  m["positional"] = "rotary";
  CHECK(testutil::thrown<common::FormatError>([&] { enc::EncoderConfig::from_metadata(m, "x.safetensors"); }) ==
        "x.safetensors: metadata 'positional': 'rotary' is not one of sinusoidal, learned");
}

TEST_CASE("encoder config bounds every size (issue 12: huge sizes overflowed or ate all memory)") {
  auto bad = [](auto change) {
    enc::EncoderConfig c;
    change(c);
    return testutil::thrown<common::OptionError>([&] { c.validate(); });
  };
  CHECK(bad([](auto& c) { c.vocab_size = std::size_t{1} << 62; }) ==
        "vocab_size must be between 1 and 268435456 (got 4611686018427387904)");
  CHECK(bad([](auto& c) { c.max_len = std::size_t{1} << 62; }) ==
        "max_len must be between 1 and 1048576 (got 4611686018427387904)");
  CHECK(bad([](auto& c) { c.n_layers = 10000000; }) == "n_layers must be between 1 and 1024 (got 10000000)");
  CHECK(bad([](auto& c) { c.d_model = 1 << 20, c.n_heads = 1; }) == "d_model must be between 1 and 65536 (got 1048576)");
  CHECK(bad([](auto& c) { c.n_heads = 512; }) == "n_heads must be between 1 and 256 (got 512)");
  CHECK(bad([](auto& c) { c.d_ff = std::size_t{1} << 40; }) == "d_ff must be between 1 and 1048576 (got 1099511627776)");
  CHECK(bad([](auto& c) { c.attention_window = SIZE_MAX; }).find("attention_window must be at most") == 0);
  CHECK(bad([](auto& c) { c.layer_norm_eps = INFINITY; }) == "layer_norm_eps must be positive");

  enc::EncoderConfig c;
  CHECK(c.parameter_count() == enc::Encoder(c).params().count());
  CHECK_THROWS_AS(c.cache_floats(SIZE_MAX / 2, 512), common::OptionError);
  CHECK_NOTHROW(c.check_fits_in_memory(2, 16));
  c.vocab_size = std::size_t{1} << 28, c.d_model = 65536, c.n_heads = 1, c.d_ff = 1 << 20, c.n_layers = 1024;
  const std::string msg = testutil::thrown<common::OptionError>([&] { c.check_fits_in_memory(); });
  CHECK(msg.find("the model needs ") == 0);
  CHECK(msg.find("1024 layers x d_model 65536") != std::string::npos);
  CHECK(msg.find("more than this machine's ") != std::string::npos);
  CHECK_THROWS_AS(enc::Encoder{c}, common::OptionError);  // refused before allocating
}

TEST_CASE("encoder config metadata: huge or non-numeric sizes are format errors") {
  auto m = enc::EncoderConfig().to_metadata();
  m["n_layers"] = "10000000";
  CHECK(testutil::thrown<common::FormatError>([&] { enc::EncoderConfig::from_metadata(m, "x.safetensors"); }) ==
        "x.safetensors: bad metadata: n_layers must be between 1 and 1024 (got 10000000)");
  m["n_layers"] = "4", m["max_len"] = "4611686018427387904";
  CHECK(testutil::thrown<common::FormatError>([&] { enc::EncoderConfig::from_metadata(m, "x.safetensors"); }) ==
        "x.safetensors: bad metadata: max_len must be between 1 and 1048576 (got 4611686018427387904)");
  m["max_len"] = "lots";
  CHECK(testutil::thrown<common::FormatError>([&] { enc::EncoderConfig::from_metadata(m, "x.safetensors"); }) ==
        "x.safetensors: metadata 'max_len' = 'lots' is not a whole number");
  m["max_len"] = "512", m["layer_norm_eps"] = "tiny";
  CHECK(testutil::thrown<common::FormatError>([&] { enc::EncoderConfig::from_metadata(m, "x.safetensors"); }) ==
        "x.safetensors: metadata 'layer_norm_eps' is not a number");
}
