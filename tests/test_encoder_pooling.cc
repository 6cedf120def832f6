// Pooling of the encoder's states (encoder/pooling.h, encoder/layer_choice.h)
// against plain references built one sentence at a time from
// cmp::layer_states (the states `context --layer` reads): the layer choice
// (one layer, the final states, the mean of all layers), mean with and
// without [CLS], [CLS], and the SIF-weighted mean (weights by token id,
// [CLS] and [UNK] left out), in padded batches and for documents cut into
// pieces; SIF's token weights are a / (a + p(w)) from the word counts.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "common/errors.h"
#include "compare/inspect.h"
#include "encoder/layer_choice.h"
#include "encoder/model.h"
#include "encoder/pooling.h"
#include "encoder/train_data.h"
#include "test_util.h"
#include "word2vec/sentence_vectors.h"

namespace {

constexpr std::size_t kWords = 17;  // + [UNK] [MASK] [CLS] = vocab_size 20

enc::EncoderConfig small_config(std::size_t layers) {
  enc::EncoderConfig c;
  c.vocab_size = kWords + 3;
  c.d_model = 16;
  c.n_heads = 2;
  c.n_layers = layers;
  c.d_ff = 32;
  c.max_len = 8;
  return c;
}

// A model whose final LayerNorm is not the identity (so reading a layer
// "through the final LayerNorm" is tested, not assumed).
enc::Encoder small_model(std::size_t layers) {
  enc::Encoder m(small_config(layers));
  m.init_random(3);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-0.5f, 0.5f);
  for (const char* name : {"norm.weight", "norm.bias"}) {
    auto& ps = m.params();
    const enc::TensorSlot* s = ps.find(name);
    REQUIRE(s != nullptr);
    float* p = ps.data(static_cast<std::size_t>(s - ps.slots().data()));
    for (std::size_t j = 0; j < m.config().d_model; ++j) p[j] += u(rng);
  }
  return m;
}

enc::EncoderVocab small_vocab() {
  w2v::Embeddings e;
  e.words.push_back("</s>");
  for (std::size_t i = 1; i < kWords; ++i) e.words.push_back("w" + std::to_string(i));
  e.vectors.resize(kWords, 4);
  return enc::EncoderVocab::from_vectors(e);
}

// Sentences of different lengths (padded in one batch), one with an unknown word, one longer than max_len - 1.
std::vector<std::vector<std::string>> sentences() {
  return {{"w3", "w1", "w7"}, {"w2"}, {"w5", "zzz", "w5", "w9", "w16"}, {"w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9"}};
}

// The reference: one sentence alone through cmp::layer_states (cut to max_len - 1 words as pooling cuts).
std::vector<float> reference_states(enc::Encoder& m, const enc::EncoderVocab& v, std::vector<std::string> words,
                                    const enc::LayerChoice& c) {
  words.resize(std::min(words.size(), m.config().max_len - 1));
  const auto tokens = cmp::inspect_tokens(m, v, words);
  const std::size_t n = m.config().n_layers;
  if (c.kind == enc::LayerChoice::Kind::kOne) return cmp::layer_states(m, tokens, c.layer);
  if (c.kind == enc::LayerChoice::Kind::kFinal) return cmp::layer_states(m, tokens, n - 1);
  std::vector<float> sum;
  for (std::size_t l = 0; l < n; ++l) {
    const auto s = cmp::layer_states(m, tokens, l);
    if (sum.empty()) sum.assign(s.size(), 0.f);
    for (std::size_t i = 0; i < s.size(); ++i) sum[i] += s[i] / static_cast<float>(n);
  }
  return sum;
}

// Plain pooling of states[T, d] ([CLS] first) of ids.
std::vector<float> reference_pool(const std::vector<float>& states, const std::vector<std::int32_t>& ids, std::size_t d,
                                  enc::Pooling p, const std::vector<float>& w, std::int32_t unk) {
  std::vector<double> acc(d, 0.0);
  if (p == enc::Pooling::kCls) return std::vector<float>(states.begin(), states.begin() + static_cast<std::ptrdiff_t>(d));
  double n = 0;
  for (std::size_t k = (p == enc::Pooling::kMean ? 0 : 1); k < ids.size(); ++k) {
    double weight = 1;
    if (p == enc::Pooling::kWeighted) {
      if (ids[k] == unk) continue;
      weight = w[static_cast<std::size_t>(ids[k])];
    }
    for (std::size_t j = 0; j < d; ++j) acc[j] += weight * states[k * d + j];
    n += 1;
  }
  std::vector<float> out(d);
  for (std::size_t j = 0; j < d; ++j) out[j] = static_cast<float>(acc[j] / n);
  return out;
}

void check_close(const float* a, const std::vector<float>& b, float tol) {
  for (std::size_t j = 0; j < b.size(); ++j) REQUIRE(a[j] == doctest::Approx(b[j]).epsilon(tol).scale(1.0));
}

}  // namespace

TEST_CASE("encoder pooling: every layer choice and pooling equals the plain one-sentence reference") {
  for (std::size_t layers : {1u, 3u}) {
    enc::Encoder m = small_model(layers);
    const enc::EncoderVocab v = small_vocab();
    const std::size_t d = m.config().d_model;
    std::vector<float> w(v.size, 0.f);  // distinct weights per id
    for (std::size_t i = 0; i < kWords; ++i) w[i] = 0.25f + 0.1f * static_cast<float>(i);
    const auto sents = sentences();
    const enc::TokenIds ids = enc::word_ids(v, sents);
    std::vector<enc::LayerChoice> choices = {enc::LayerChoice::final_states(), enc::LayerChoice::all_mean()};
    for (std::size_t l = 0; l < layers; ++l) choices.push_back(enc::LayerChoice::one(l));
    for (const auto& c : choices)
      for (auto p : {enc::Pooling::kMean, enc::Pooling::kMeanNoCls, enc::Pooling::kCls, enc::Pooling::kWeighted}) {
        CAPTURE(layers);
        CAPTURE(enc::to_string(c));
        CAPTURE(static_cast<int>(p));
        enc::PoolStats st;
        const common::Matrix got = enc::pool_sentences(m, v, ids, enc::PoolSpec(p, c, &w), 3, &st);  // [S, d], batches of 3
        CHECK(st.truncated == 1);
        for (std::size_t s = 0; s < sents.size(); ++s) {
          const auto states = reference_states(m, v, sents[s], c);  // [T, d]
          std::vector<std::int32_t> with_cls = {v.cls};
          for (std::size_t k = 0; k < std::min(ids[s].size(), m.config().max_len - 1); ++k) with_cls.push_back(ids[s][k]);
          check_close(got.row(s), reference_pool(states, with_cls, d, p, w, v.unk), 1e-4f);
        }
      }
  }
}

TEST_CASE("encoder pooling: the last layer is the final hidden state, and layers differ") {
  enc::Encoder m = small_model(2);
  const enc::EncoderVocab v = small_vocab();
  const enc::TokenIds ids = enc::word_ids(v, sentences());
  const auto last = enc::pool_sentences(m, v, ids, enc::PoolSpec(enc::Pooling::kMean, enc::LayerChoice::one(1)), 4, nullptr);
  const auto final_states = enc::pool_sentences(m, v, ids, enc::Pooling::kMean, 4, nullptr);
  const auto first = enc::pool_sentences(m, v, ids, enc::PoolSpec(enc::Pooling::kMean, enc::LayerChoice::one(0)), 4, nullptr);
  double diff_last = 0, diff_first = 0;
  for (std::size_t s = 0; s < ids.size(); ++s)
    for (std::size_t j = 0; j < m.config().d_model; ++j) {
      diff_last = std::max(diff_last, static_cast<double>(std::fabs(last.at(s, j) - final_states.at(s, j))));
      diff_first = std::max(diff_first, static_cast<double>(std::fabs(first.at(s, j) - final_states.at(s, j))));
    }
  CHECK(diff_last < 1e-5);
  CHECK(diff_first > 1e-3);
}

TEST_CASE("encoder pooling: weighted documents in pieces weigh each piece by its known tokens") {
  enc::Encoder m = small_model(2);
  const enc::EncoderVocab v = small_vocab();
  std::vector<float> w(v.size, 0.f);
  for (std::size_t i = 0; i < kWords; ++i) w[i] = 1.0f / static_cast<float>(1 + i);
  // max_len 8: pieces of 7 tokens; the second piece has an unknown word.
  const std::vector<std::vector<std::string>> doc = {
      {"w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "zzz", "w9", "w10"}};
  const enc::PoolSpec spec(enc::Pooling::kWeighted, enc::LayerChoice::all_mean(), &w);
  const common::Matrix got = enc::encode_documents(m, v, doc, spec, 4);  // [1, d]
  const std::vector<std::vector<std::string>> pieces = {{"w1", "w2", "w3", "w4", "w5", "w6", "w7"}, {"w8", "zzz", "w9", "w10"}};
  const common::Matrix each = enc::encode_sentences(m, v, pieces, spec, 4, nullptr);  // [2, d]
  std::vector<float> want(m.config().d_model);
  for (std::size_t j = 0; j < want.size(); ++j) want[j] = (7 * each.at(0, j) + 3 * each.at(1, j)) / 10;
  check_close(got.row(0), want, 1e-5f);
}

TEST_CASE("encoder pooling: SIF token weights are a / (a + p(w)) from the counts, the specials 0") {
  testutil::TempDir dir;
  const enc::EncoderVocab v = small_vocab();
  testutil::write_file(dir.file("counts.txt"), "</s> 0\nw1 100\nw2 20\nw3 4\nnot-a-word 1000\n");
  const double a = 1e-2;
  const auto w = enc::sif_token_weights(v, dir.file("counts.txt"), a);
  REQUIRE(w.size() == v.size);
  // Words without a count get 1 (as static SIF): total = 0 + 100 + 20 + 4 + 13 (w4..w16).
  const double total = 137;
  CHECK(w[1] == doctest::Approx(a / (a + 100 / total)));
  CHECK(w[3] == doctest::Approx(a / (a + 4 / total)));
  CHECK(w[9] == doctest::Approx(a / (a + 1 / total)));
  CHECK(w[0] == doctest::Approx(1.0));  // </s>: count 0
  CHECK(w[static_cast<std::size_t>(v.unk)] == 0.f);
  CHECK(w[static_cast<std::size_t>(v.cls)] == 0.f);
  CHECK(w[static_cast<std::size_t>(v.mask)] == 0.f);
  // The same weights static SIF gives a word: a one-word sentence's sif_weighted vector is weight x vector.
  w2v::Embeddings e;
  for (std::size_t i = 0; i < kWords; ++i) e.words.push_back(v.words[i]);
  e.vectors.resize(kWords, 2);
  for (std::size_t i = 0; i < kWords; ++i) e.vectors.at(i, 0) = 1.f, e.vectors.at(i, 1) = static_cast<float>(i);
  w2v::SentenceVectors sv(e);
  sv.set_counts(dir.file("counts.txt"));
  const auto x = sv.sif_weighted({{"w2"}, {"w11"}}, a, nullptr);
  CHECK(x.at(0, 0) == doctest::Approx(w[2]));
  CHECK(x.at(1, 0) == doctest::Approx(w[11]));
}

TEST_CASE("encoder pooling: bad specs and layer spellings are OptionErrors") {
  enc::Encoder m = small_model(2);
  const enc::EncoderVocab v = small_vocab();
  const enc::TokenIds ids = enc::word_ids(v, sentences());
  CHECK(testutil::thrown<common::OptionError>([&] {
          enc::pool_sentences(m, v, ids, enc::Pooling::kWeighted, 4, nullptr);
        }).find("one weight per token") != std::string::npos);
  CHECK(testutil::thrown<common::OptionError>([&] {
          enc::pool_sentences(m, v, ids, enc::PoolSpec(enc::Pooling::kMean, enc::LayerChoice::one(2)), 4, nullptr);
        }) == "--layer 2 is out of range: the encoder has layers 0..1");
  CHECK(enc::parse_layer_choice("all-mean", "--layer").kind == enc::LayerChoice::Kind::kAllMean);
  CHECK(enc::parse_layer_choice("last", "--layer").kind == enc::LayerChoice::Kind::kFinal);
  CHECK(enc::parse_layer_choice("12", "--layer").layer == 12);
  for (const char* bad : {"", "-1", "1x", "all", "first"})
    CHECK(testutil::thrown<common::OptionError>([&] { enc::parse_layer_choice(bad, "--layer"); }) ==
          std::string("--layer: '") + bad + "' is not a layer number (from 0), last or all-mean");
  CHECK(enc::to_string(enc::LayerChoice::one(3)) == "3");
}
