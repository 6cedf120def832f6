// The encoder's named settings: every spelling round-trips, anything else
// is refused with the valid values named, and weights files keep the text.
#include <doctest/doctest.h>

#include <string>

#include "common/errors.h"
#include "encoder/config.h"
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
