// Encoder pre-training: masking statistics, the loss going down on a tiny
// corpus, and resume giving bit-identical weights.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "encoder/mlm.h"
#include "encoder/model_vocab.h"
#include "encoder/pooling.h"
#include "encoder/simcse.h"
#include "encoder/model.h"
#include "encoder/trainer.h"
#include "test_util.h"
#include "word2vec/trainer.h"

using namespace testutil;

TEST_CASE("MLM masking: 15% of real tokens, 80/10/10, never [CLS] or padding") {
  enc::MlmBatch b;
  b.batch = 64, b.seq = 100;
  b.ids.assign(b.batch * b.seq, 7);
  b.lengths.assign(b.batch, 100);
  b.lengths[3] = 40;  // padding after 40
  for (std::size_t i = 0; i < b.batch; ++i) b.ids[i * b.seq] = 2;  // [CLS]
  const auto original = b.ids;
  std::mt19937_64 rng(1);
  enc::mask_tokens(b, 0.15, /*mask_id=*/4, /*first_regular=*/10, /*vocab=*/1000, rng, /*skip_first=*/1);
  std::size_t real = 0;
  for (auto l : b.lengths) real += static_cast<std::size_t>(l) - 1;
  const double rate = static_cast<double>(b.positions.size()) / static_cast<double>(real);
  CHECK(std::fabs(rate - 0.15) < 0.015);
  std::size_t masked = 0, random = 0, kept = 0;
  for (std::size_t i = 0; i < b.positions.size(); ++i) {
    const auto r = static_cast<std::size_t>(b.positions[i]);
    CHECK(r % b.seq != 0);                                   // never [CLS]
    CHECK(static_cast<std::int32_t>(r % b.seq) < b.lengths[r / b.seq]);  // never padding
    CHECK(b.targets[i] == original[r]);
    if (b.ids[r] == 4) ++masked;
    else if (b.ids[r] == 7) ++kept;
    else {
      ++random;
      CHECK(b.ids[r] >= 10);
    }
  }
  const double n = static_cast<double>(b.positions.size());
  CHECK(std::fabs(masked / n - 0.8) < 0.04);
  CHECK(std::fabs(random / n - 0.1) < 0.03);
  CHECK(std::fabs(kept / n - 0.1) < 0.03);
}

namespace {

struct Setup {
  TempDir dir;
  std::string corpus = dir.file("c.txt"), vectors = dir.file("v.bin");
  Setup() {
    spdlog::set_level(spdlog::level::warn);
    // Planted classes: every sentence uses the words of one class.
    std::mt19937 rng(4);
    std::ofstream out(corpus);
    for (int s = 0; s < 3000; ++s) {
      const int c = static_cast<int>(rng() % 5), len = 5 + static_cast<int>(rng() % 6);
      for (int i = 0; i < len; ++i) out << (i ? " " : "") << "c" << c << "w" << rng() % 6;
      out << "\n";
    }
    out.close();
    w2v::TrainOptions o;
    o.train = {corpus}, o.output = vectors, o.size = 16, o.iter = 2, o.threads = 2, o.min_count = 1, o.binary = 1;
    o.deterministic = true;
    w2v::train(o);
  }
  enc::EncoderTrainOptions options(const std::string& out) const {
    enc::EncoderTrainOptions o;
    o.corpus = {corpus}, o.vectors = vectors, o.output = dir.file(out);
    o.layers = 1, o.heads = 2, o.ffn_mult = 2, o.max_len = 16, o.batch_tokens = 256;
    o.steps = 60, o.warmup = 5, o.lr = 3e-3f, o.dropout = 0.1f, o.eval_every = 20, o.threads = 2;
    o.valid_fraction = 0.05;
    return o;
  }
};

double first_valid_loss(const std::string& csv) {
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    auto pos = line.find(',');
    for (int i = 0; i < 5; ++i) pos = line.find(',', pos + 1);
    const std::string rest = line.substr(pos + 1);
    if (!rest.empty() && rest[0] != ',') return std::stod(rest);
  }
  return NAN;
}

}  // namespace

TEST_CASE("MLM pre-training lowers the held-out loss on a tiny corpus") {
  Setup s;
  auto o = s.options("m.safetensors");
  auto r = enc::train_encoder(o);
  CHECK(r.steps == 60);
  CHECK(r.valid_sequences > 0);
  const double first = first_valid_loss(o.log_path());
  INFO("held-out loss at step 20: " << first << ", at the end: " << r.valid_loss);
  CHECK(r.valid_loss < first);
  CHECK(r.valid_loss < std::log(30.0));  // 30 words + specials: far below uniform
  CHECK(r.valid_acc > 0.1);
  CHECK(std::filesystem::exists(o.output));
}

TEST_CASE("encoder training resumes to bit-identical weights") {
  Setup s;
  auto full = s.options("full.safetensors");
  enc::train_encoder(full);
  auto part = s.options("part.safetensors");
  int calls = 0;
  std::vector<std::string> checkpoints;
  common::TrainHooks<enc::EncoderProgress> hooks;
  hooks.should_stop = [&] { return ++calls >= 23; };
  hooks.on_checkpoint = [&](const std::string& path) { checkpoints.push_back(path); };
  auto r = enc::train_encoder(part, hooks);
  REQUIRE(r.interrupted);
  CHECK(r.steps == 23);
  CHECK(checkpoints == std::vector<std::string>{part.checkpoint_path()});
  CHECK_FALSE(std::filesystem::exists(part.output));
  part.resume = true;
  auto r2 = enc::train_encoder(part);
  CHECK(r2.steps == 60);
  CHECK(read_file(part.output) == read_file(full.output));
  auto bad = part;
  bad.lr = 1e-2f;
  CHECK_THROWS_AS(enc::train_encoder(bad), common::OptionError);
}

TEST_CASE("sentence pooling ignores padding, and the vocabulary must match") {
  Setup s;
  auto o = s.options("m.safetensors");
  o.steps = 5;
  enc::train_encoder(o);
  auto model = enc::Encoder::load(o.output);
  auto vocab = enc::vocab_for(model, s.vectors, o.output);
  std::vector<std::vector<std::string>> one = {{"c1w1", "c1w2"}};
  std::vector<std::vector<std::string>> batch = {{"c1w1", "c1w2"}, {"c2w1", "c2w2", "c2w3", "c2w4", "c2w5", "c2w0"}, {"zzz"}};
  for (auto pooling : {enc::Pooling::kMean, enc::Pooling::kCls}) {
    auto a = enc::encode_sentences(model, vocab, one, pooling, 8, nullptr);
    enc::PoolStats st;
    auto b = enc::encode_sentences(model, vocab, batch, pooling, 8, &st);  // first one padded to 7 tokens
    for (std::size_t j = 0; j < a.cols(); ++j) CHECK(a.at(0, j) == doctest::Approx(b.at(0, j)).epsilon(1e-5).scale(1e-5));
    CHECK(st.empty == 1);  // "zzz" is unknown
    for (std::size_t j = 0; j < b.cols(); ++j) CHECK(b.at(2, j) == 0.f);
  }
  // Vectors with another vocabulary are refused.
  w2v::TrainOptions w;
  w.train = {s.corpus}, w.output = s.dir.file("other.bin"), w.size = 16, w.iter = 1, w.threads = 1, w.min_count = 1, w.max_vocab = 10, w.binary = 1;
  w2v::train(w);
  CHECK(thrown<common::InputError>([&] { enc::vocab_for(model, s.dir.file("other.bin"), o.output); }).find("differs") !=
        std::string::npos);
}

TEST_CASE("SimCSE: InfoNCE gradient matches finite differences, and tuning lowers the held-out loss") {
  std::mt19937 rng(3);
  const std::size_t b = 4, d = 6;
  std::vector<float> z(2 * b * d), dz(2 * b * d), tmp(2 * b * d);
  for (auto& x : z) x = std::normal_distribution<float>(0.f, 1.f)(rng);
  enc::simcse_loss(z.data(), b, d, 0.5f, dz.data());
  for (std::size_t i = 0; i < z.size(); i += 3) {
    const float keep = z[i];
    z[i] = keep + 1e-3f;
    const double up = enc::simcse_loss(z.data(), b, d, 0.5f, tmp.data());
    z[i] = keep - 1e-3f;
    const double down = enc::simcse_loss(z.data(), b, d, 0.5f, tmp.data());
    z[i] = keep;
    CHECK(dz[i] == doctest::Approx((up - down) / 2e-3).epsilon(2e-2).scale(1e-3));
  }
  // Two identical views: the loss is small and every row finds its twin.
  std::vector<float> same(2 * b * d);
  for (std::size_t i = 0; i < b * d; ++i) same[i] = same[b * d + i] = z[i];
  std::size_t correct = 0;
  CHECK(enc::simcse_loss(same.data(), b, d, 0.05f, nullptr, &correct) < 0.1);
  CHECK(correct == b);

  Setup s;
  auto mlm = s.options("mlm.safetensors");
  enc::train_encoder(mlm);
  auto o = s.options("simcse.safetensors");
  o.objective = enc::ObjectiveKind::kSimcse, o.init = mlm.output, o.steps = 40, o.lr = 1e-3f, o.eval_every = 10, o.batch_tokens = 512;
  auto r = enc::train_encoder(o);
  const double first = first_valid_loss(o.log_path());
  INFO("SimCSE held-out loss at step 10: " << first << ", at the end: " << r.valid_loss);
  CHECK(r.valid_loss < first);
  auto model = enc::Encoder::load(o.output);
  CHECK(model.extra_metadata().at("vocab_source") == "vectors");

  // The shape comes from --init: a given shape option must agree with it.
  auto shaped = o;
  shaped.output = s.dir.file("shaped.safetensors");
  shaped.layers = 4, shaped.given.layers = true;
  CHECK(thrown<common::OptionError>([&] { enc::train_encoder(shaped); }) ==
        "--layers 4: the --init model " + mlm.output +
            " has n_layers 1 (--objective simcse keeps the model's shape: leave the option out)");
  shaped.layers = 1, shaped.activation = enc::Activation::kRelu, shaped.given.activation = true;
  CHECK(thrown<common::OptionError>([&] { enc::train_encoder(shaped); }).find("--activation relu: the --init model") == 0);
  shaped.activation = enc::Activation::kGelu, shaped.ffn_mult = 2, shaped.given.ffn_mult = true;
  shaped.steps = 1;
  enc::train_encoder(shaped);  // all given options agree
  CHECK(std::filesystem::exists(shaped.output));
}

TEST_CASE("MLM head: NaN logits give a NaN loss, not a scan off the row") {
  enc::EncoderConfig c;
  c.vocab_size = 20, c.d_model = 8, c.n_heads = 2, c.n_layers = 1, c.d_ff = 16, c.max_len = 4;
  enc::Encoder model(c);
  model.init_random(1);
  enc::MlmBatch b;
  b.batch = 1, b.seq = 4;
  b.ids = {2, 5, 6, 7};
  b.lengths = {4};
  b.positions = {1, 3};
  b.targets = {5, 7};
  std::vector<float> hidden(b.batch * b.seq * c.d_model, std::nanf(""));  // every logit NaN
  enc::MlmHead head;
  const enc::MlmResult r = head.evaluate(model, hidden.data(), b);
  CHECK(r.count == 2);
  CHECK(r.correct <= 2);
  CHECK(std::isnan(r.loss));
}
