// The encoder against PyTorch: fixtures made by scripts/make_encoder_fixtures.py
// (torch.nn.TransformerEncoder in float64) hold weights, inputs, outputs and
// every parameter gradient of L = Σ output ⊙ R over real tokens.
#include <doctest/doctest.h>

#include <limits>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "common/errors.h"
#include "encoder/batched_forward.h"
#include "encoder/safetensors.h"
#include "encoder/model.h"
#include "test_util.h"

#ifndef WORDLENS_FIXTURE_DIR
#define WORDLENS_FIXTURE_DIR "tests/fixtures"
#endif

namespace {

void check_fixture(const std::string& name) {
  const std::string dir = WORDLENS_FIXTURE_DIR;
  auto model = enc::Encoder::load(dir + "/encoder_" + name + ".safetensors");
  auto io = enc::read_safetensors(dir + "/encoder_" + name + "_io.safetensors");
  const auto& ids_t = io.tensors.at("ids");
  const std::size_t B = ids_t.shape[0], T = ids_t.shape[1], d = model.config().d_model;
  std::vector<std::int32_t> ids, lengths;
  for (auto v : ids_t.as_ints("ids")) ids.push_back(static_cast<std::int32_t>(v));
  for (auto v : io.tensors.at("lengths").as_ints("lengths")) lengths.push_back(static_cast<std::int32_t>(v));
  const auto expect = io.tensors.at("output").as_floats("output");
  auto r = io.tensors.at("R").as_floats("R");
  for (std::size_t b = 0; b < B; ++b)  // padding rows carry no loss
    for (std::size_t t = static_cast<std::size_t>(lengths[b]); t < T; ++t)
      std::fill(r.begin() + static_cast<std::ptrdiff_t>((b * T + t) * d), r.begin() + static_cast<std::ptrdiff_t>((b * T + t + 1) * d), 0.f);
  model.params().zero_grad();
  const float* out = model.forward(ids.data(), lengths.data(), B, T);
  double worst = 0, loss = 0;
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t t = 0; t < static_cast<std::size_t>(lengths[b]); ++t)
      for (std::size_t j = 0; j < d; ++j) {
        const std::size_t i = (b * T + t) * d + j;
        worst = std::max(worst, static_cast<double>(std::fabs(out[i] - expect[i])));
        loss += static_cast<double>(out[i]) * r[i];
      }
  INFO("fixture " << name);
  CHECK(worst <= 1e-4);
  CHECK(loss == doctest::Approx(io.tensors.at("loss").as_floats("loss")[0]).epsilon(1e-4));
  model.backward(r.data());
  std::size_t checked = 0;
  for (std::size_t s = 0; s < model.params().slots().size(); ++s) {
    const auto& slot = model.params().slots()[s];
    const auto ref = io.tensors.at("grad." + slot.name).as_floats(slot.name);
    REQUIRE(ref.size() == slot.size);
    double max_ref = 0, max_diff = 0;
    for (std::size_t i = 0; i < slot.size; ++i) {
      max_ref = std::max(max_ref, static_cast<double>(std::fabs(ref[i])));
      max_diff = std::max(max_diff, static_cast<double>(std::fabs(model.params().grad(s)[i] - ref[i])));
    }
    INFO("gradient of " << slot.name << ": max |diff| " << max_diff << ", max |ref| " << max_ref);
    CHECK(max_diff <= 1e-3 * std::max(max_ref, 1e-6));
    ++checked;
  }
  CHECK(checked == io.order.size() - 5);  // all but ids, lengths, R, output, loss
}

}  // namespace

TEST_CASE("parity with PyTorch: post-norm, ReLU, sinusoidal positions") { check_fixture("post_relu"); }
TEST_CASE("parity with PyTorch: pre-norm, GELU, learned positions, final norm") { check_fixture("pre_gelu"); }
TEST_CASE("parity with PyTorch: pre-norm, GELU, sliding-window attention") { check_fixture("pre_gelu_window"); }
TEST_CASE("parity with PyTorch: post-norm, GELU, 3 layers, 3 heads") { check_fixture("post_gelu_3layers"); }

TEST_CASE("weights files: save/load round trip, missing / mis-shaped tensors, bad metadata") {
  testutil::TempDir dir;
  const std::string src = std::string(WORDLENS_FIXTURE_DIR) + "/encoder_pre_gelu.safetensors";
  auto model = enc::Encoder::load(src);
  model.save(dir.file("copy.safetensors"));
  auto again = enc::Encoder::load(dir.file("copy.safetensors"));
  CHECK(again.config().to_metadata() == model.config().to_metadata());
  CHECK(std::equal(model.params().data(0), model.params().data(0) + model.params().slots()[0].size, again.params().data(0)));
  auto f = enc::read_safetensors(src);
  auto rewrite = [&](const std::string& out, const std::string& drop, const std::string& reshape,
                     std::map<std::string, std::string> meta) {
    std::vector<std::vector<float>> keep;
    std::vector<enc::StWrite> t;
    for (const auto& name : f.order) {
      if (name == drop) continue;
      keep.push_back(f.tensors.at(name).as_floats(name));
      auto shape = f.tensors.at(name).shape;
      if (name == reshape) shape = {shape[0] * shape[1]};
      t.push_back({name, shape, keep.back().data()});
    }
    enc::write_safetensors(dir.file(out), t, meta);
  };
  rewrite("missing.safetensors", "layers.1.linear2.bias", "", f.metadata);
  CHECK(testutil::thrown<common::FormatError>([&] { enc::Encoder::load(dir.file("missing.safetensors")); })
            .find("'layers.1.linear2.bias' is missing") != std::string::npos);
  rewrite("shape.safetensors", "", "layers.0.linear1.weight", f.metadata);
  CHECK(testutil::thrown<common::FormatError>([&] { enc::Encoder::load(dir.file("shape.safetensors")); })
            .find("'layers.0.linear1.weight' has shape") != std::string::npos);
  auto meta = f.metadata;
  meta.erase("d_model");
  rewrite("meta.safetensors", "", "", meta);
  CHECK(testutil::thrown<common::FormatError>([&] { enc::Encoder::load(dir.file("meta.safetensors")); }).find("'d_model'") !=
        std::string::npos);
  meta = f.metadata;
  meta["activation"] = "swish";
  rewrite("act.safetensors", "", "", meta);
  CHECK_THROWS_AS(enc::Encoder::load(dir.file("act.safetensors")), common::FormatError);
  testutil::write_file(dir.file("junk.safetensors"), "this is not a weights file at all");
  CHECK_THROWS_AS(enc::Encoder::load(dir.file("junk.safetensors")), common::FormatError);
  const std::string bytes = testutil::read_file(src);
  testutil::write_file(dir.file("cut.safetensors"), bytes.substr(0, bytes.size() - 100));
  CHECK(testutil::thrown<common::FormatError>([&] { enc::Encoder::load(dir.file("cut.safetensors")); }).find("truncated") !=
        std::string::npos);
}

TEST_CASE("weights files: an overflowing shape and non-finite weights are refused on load") {
  testutil::TempDir dir;
  // [2^62, 16] floats with no data: the element count wraps to 0 in size_t,
  // which matched the empty byte range before the overflow check.
  const std::string header = R"({"w":{"dtype":"F32","shape":[4611686018427387904,16],"data_offsets":[0,0]}})";
  std::string raw(8, '\0');
  for (int i = 0; i < 8; ++i) raw[static_cast<std::size_t>(i)] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
  testutil::write_file(dir.file("huge.safetensors"), raw + header);
  CHECK(testutil::thrown<common::FormatError>([&] { enc::read_safetensors(dir.file("huge.safetensors")); })
            .find("'w': shape is too large") != std::string::npos);
  // A NaN among the weights (a fuzzed or diverged file) is named on load.
  const std::string src = std::string(WORDLENS_FIXTURE_DIR) + "/encoder_pre_gelu.safetensors";
  auto f = enc::read_safetensors(src);
  std::vector<std::vector<float>> keep;
  std::vector<enc::StWrite> t;
  for (const auto& name : f.order) {
    keep.push_back(f.tensors.at(name).as_floats(name));
    if (name == "layers.0.linear1.weight") keep.back()[3] = std::numeric_limits<float>::quiet_NaN();
    t.push_back({name, f.tensors.at(name).shape, keep.back().data()});
  }
  enc::write_safetensors(dir.file("nan.safetensors"), t, f.metadata);
  const auto msg = testutil::thrown<common::FormatError>([&] { enc::Encoder::load(dir.file("nan.safetensors")); });
  CHECK(msg.find("'layers.0.linear1.weight' holds a non-finite value") != std::string::npos);
  CHECK(msg.find("element 3") != std::string::npos);
}

TEST_CASE("hidden states of id sequences: batched and padded, in input order, empty sequences give no rows") {
  auto model = enc::Encoder::load(std::string(WORDLENS_FIXTURE_DIR) + "/encoder_pre_gelu.safetensors");
  const std::size_t d = model.config().d_model;
  const std::vector<std::vector<std::int32_t>> seqs = {{1, 2, 3}, {}, {4, 5}, {6, 7, 8, 9, 1}, {2}};
  const common::Matrix all = enc::hidden_states(model, seqs, 2);  // [11, d]
  REQUIRE(all.rows() == 11);
  REQUIRE(all.cols() == d);
  std::size_t row = 0;
  for (const auto& s : seqs) {
    if (s.empty()) continue;
    const std::vector<std::int32_t> lengths = {static_cast<std::int32_t>(s.size())};
    const float* h = model.forward(s.data(), lengths.data(), 1, s.size());  // [T, d], alone
    // Hidden states leave a LayerNorm (unit scale): 1e-5 absolute. A batch
    // of another size may take another GEMM blocking, so the last bits of
    // small components differ (seen on AMD EPYC: 4e-7 on -0.0012).
    for (std::size_t t = 0; t < s.size(); ++t, ++row)
      for (std::size_t j = 0; j < d; ++j) CHECK(all.at(row, j) == doctest::Approx(h[t * d + j]).epsilon(1e-5).scale(1));
  }
}
