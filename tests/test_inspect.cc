// Encoder inspection (encoder/inspect.h): attention rows are distributions
// that ignore padding, sliding-window maps are zero outside the band and
// equal full attention when the window covers the sequence, the contextual
// vector is the forward output row, and the feed-forward reading matches
// the activations and linear2's columns.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "common/errors.h"
#include "compare/inspect.h"
#include "encoder/model.h"
#include "encoder/train_data.h"

namespace {

constexpr std::size_t kWords = 17;  // + [UNK] [MASK] [CLS] = vocab_size 20

enc::EncoderConfig small_config(std::size_t window = 0) {
  enc::EncoderConfig c;
  c.vocab_size = kWords + 3;
  c.d_model = 16;
  c.n_heads = 2;
  c.n_layers = 2;
  c.d_ff = 32;
  c.max_len = 16;
  c.attention_window = window;
  return c;
}

// A vocabulary "</s>", w1 .. w16 with random vectors (only the words matter).
enc::EncoderVocab small_vocab() {
  w2v::Embeddings e;
  e.words.push_back("</s>");
  for (std::size_t i = 1; i < kWords; ++i) {
    std::string w = "w";
    w += std::to_string(i);
    e.words.push_back(std::move(w));
  }
  e.vectors.resize(kWords, 4);
  return enc::EncoderVocab::from_vectors(e);
}

std::vector<std::string> words(std::initializer_list<int> ids) {
  std::vector<std::string> w;
  for (int i : ids) {
    std::string x = "w";
    x += std::to_string(i);
    w.push_back(std::move(x));
  }
  return w;
}

}  // namespace

TEST_CASE("inspect: attention rows of real queries sum to 1 and are 0 on padding keys") {
  enc::Encoder m(small_config());
  m.init_random(3);
  const std::size_t B = 2, T = 7, H = 2;
  std::vector<std::int32_t> ids = {19, 1, 2, 3, 4, 5, 6, 19, 7, 8, 9, 0, 0, 0};  // [B·T]
  std::vector<std::int32_t> lengths = {7, 4};                                    // [B]
  m.forward(ids.data(), lengths.data(), B, T);
  for (std::size_t l = 0; l < 2; ++l)
    for (std::size_t b = 0; b < B; ++b) {
      const auto w = m.attention_weights(l, b);  // [H, T, T]
      REQUIRE(w.size() == H * T * T);
      const auto len = static_cast<std::size_t>(lengths[b]);
      for (std::size_t h = 0; h < H; ++h)
        for (std::size_t q = 0; q < len; ++q) {
          const float* row = w.data() + (h * T + q) * T;  // [T]
          double sum = 0;
          for (std::size_t k = 0; k < T; ++k) sum += row[k];
          CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
          for (std::size_t k = len; k < T; ++k) CHECK(row[k] == 0.f);
        }
    }
}

TEST_CASE("inspect: sliding-window maps are 0 outside the window and equal full attention when it covers T") {
  enc::Encoder full(small_config(0));
  full.init_random(5);
  const auto vocab = small_vocab();
  const auto s = words({1, 2, 3, 4, 5, 6, 7, 8, 9});  // T = 10
  const auto ref = cmp::attention_maps(full, vocab, s);
  for (std::size_t window : {2u, 9u, 12u}) {
    enc::Encoder win(small_config(window));
    REQUIRE(win.params().total() == full.params().total());
    std::copy(full.params().data_all(), full.params().data_all() + full.params().total(), win.params().data_all());
    const auto a = cmp::attention_maps(win, vocab, s);
    REQUIRE(a.weights.size() == ref.weights.size());
    const std::size_t T = a.seq;
    REQUIRE(T == 10);
    INFO("window " << window);
    for (std::size_t l = 0; l < a.layers; ++l)
      for (std::size_t h = 0; h < a.heads; ++h) {
        const float* w = a.map(l, h);  // [T, T]
        const float* r = ref.map(l, h);
        for (std::size_t q = 0; q < T; ++q) {
          double sum = 0;
          for (std::size_t k = 0; k < T; ++k) {
            sum += w[q * T + k];
            const std::size_t dist = q > k ? q - k : k - q;
            if (dist > window) CHECK(w[q * T + k] == 0.f);
            if (window + 1 >= T) CHECK(w[q * T + k] == doctest::Approx(r[q * T + k]).epsilon(1e-5));
          }
          CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
        }
      }
  }
}

TEST_CASE("inspect: display tokens, top_attended and the head mean") {
  enc::Encoder m(small_config());
  m.init_random(7);
  const auto vocab = small_vocab();
  const auto a = cmp::attention_maps(m, vocab, {"w3", "zebra", "w4"});
  CHECK(a.tokens.ids == std::vector<std::int32_t>{vocab.cls, 3, vocab.unk, 4});
  CHECK(a.tokens.display == std::vector<std::string>{"[CLS]", "w3", "[UNK]:zebra", "w4"});
  REQUIRE(a.weights.size() == 2 * 2 * 4 * 4);
  const auto mean = a.head_mean(1);  // [T, T]
  const auto top = cmp::top_attended(mean.data(), a.seq);
  for (std::size_t q = 0; q < a.seq; ++q) {
    const float* row = mean.data() + q * a.seq;
    CHECK(top[q].weight == *std::max_element(row, row + a.seq));
    CHECK(row[top[q].key] == top[q].weight);
    CHECK(top[q].weight == doctest::Approx((a.map(1, 0)[q * a.seq + top[q].key] + a.map(1, 1)[q * a.seq + top[q].key]) / 2));
  }
  const float tie[] = {0.25f, 0.5f, 0.5f, 0.f};
  CHECK(cmp::top_attended(tie, 2)[0].key == 1);  // the earlier of equal weights
  CHECK(cmp::top_attended(tie, 2)[1].key == 0);
  CHECK_THROWS_AS(cmp::attention_maps(m, vocab, {}), common::InputError);
  CHECK_THROWS_AS(cmp::attention_maps(m, vocab, std::vector<std::string>(16, "w1")), common::InputError);
}

TEST_CASE("inspect: the contextual vector is the word's row of a (padded, batched) forward") {
  enc::Encoder m(small_config());
  m.init_random(11);
  const auto vocab = small_vocab();
  const auto s = words({5, 6, 7});
  const auto v = cmp::contextual_vector(m, vocab, s, 1);  // w6
  const std::size_t d = 16, T = 6;
  REQUIRE(v.size() == d);
  // The same sentence second in a batch behind a longer one, padded to T.
  std::vector<std::int32_t> ids = {19, 1, 2, 3, 4, 5, 19, 5, 6, 7, 0, 0};  // [2·T]
  std::vector<std::int32_t> lengths = {6, 4};
  const float* h = m.forward(ids.data(), lengths.data(), 2, T);  // [2·T, d]
  for (std::size_t j = 0; j < d; ++j) CHECK(v[j] == doctest::Approx(h[(T + 2) * d + j]).epsilon(1e-5));
  CHECK_THROWS_AS(cmp::contextual_vector(m, vocab, s, 3), common::InputError);
}

TEST_CASE("inspect: nearest_rows ranks by cosine, skipping excluded and zero rows") {
  const std::size_t d = 2, ld = 4;
  const float mat[] = {1, 0, 0, 0,   // row 0
                       0, 0, 0, 0,   // row 1 (zero)
                       2, 2, 0, 0,   // row 2: cos 0.707
                       0, 3, 0, 0,   // row 3: cos 0
                       5, 0.1f, 0, 0};  // row 4: cos ~1
  const float q[] = {1, 0};
  const std::int32_t none[] = {-1};
  auto hits = cmp::nearest_rows(mat, 5, d, ld, q, 3, none);
  REQUIRE(hits.size() == 3);
  CHECK(hits[0].id == 0);
  CHECK(hits[0].score == doctest::Approx(1.0));
  CHECK(hits[1].id == 4);
  CHECK(hits[2].id == 2);
  CHECK(hits[2].score == doctest::Approx(std::sqrt(0.5)));
  const std::int32_t ex[] = {0, 4};
  hits = cmp::nearest_rows(mat, 5, d, ld, q, 10, ex);
  REQUIRE(hits.size() == 2);  // the zero row never appears
  CHECK(hits[0].id == 2);
  CHECK(hits[1].id == 3);
}

TEST_CASE("inspect: feed-forward neurons ranked by their activations, values are columns of linear2") {
  enc::Encoder m(small_config());
  m.init_random(13);
  const auto vocab = small_vocab();
  const auto s = words({2, 4, 6, 8});
  for (auto score : {cmp::NeuronScore::kSum, cmp::NeuronScore::kMax}) {
    const auto r = cmp::top_ffn_neurons(m, vocab, s, 1, 5, score);
    REQUIRE(r.neurons.size() == 5);
    const std::size_t f = 32, T = 5;
    const float* act = m.ffn_activations(1);  // [T, d_ff] of the same forward
    std::vector<double> all(f);
    for (std::size_t n = 0; n < f; ++n) {
      double sum = 0, mx = -1e30;
      for (std::size_t t = 1; t < T; ++t) sum += act[t * f + n], mx = std::max(mx, static_cast<double>(act[t * f + n]));
      all[n] = score == cmp::NeuronScore::kSum ? sum : mx;
    }
    auto sorted = all;
    std::sort(sorted.rbegin(), sorted.rend());
    for (std::size_t i = 0; i < 5; ++i) {
      const auto& x = r.neurons[i];
      CHECK(x.score == doctest::Approx(sorted[i]).epsilon(1e-5));
      CHECK(x.score == doctest::Approx(all[x.neuron]).epsilon(1e-5));
      CHECK(x.peak >= 1);
      CHECK(x.peak_value == act[x.peak * f + x.neuron]);
    }
  }
  const auto* slot = m.params().find("layers.1.linear2.weight");
  REQUIRE(slot);
  const float* w2 = m.params().data(static_cast<std::size_t>(slot - m.params().slots().data()));  // [d, d_ff]
  const auto v = cmp::ffn_value_vector(m, 1, 7);  // [d]
  REQUIRE(v.size() == 16);
  for (std::size_t j = 0; j < 16; ++j) CHECK(v[j] == w2[j * 32 + 7]);
  CHECK_THROWS_AS(cmp::ffn_value_vector(m, 2, 0), common::OptionError);
  CHECK_THROWS_AS(cmp::top_ffn_neurons(m, vocab, s, 2, 5, cmp::NeuronScore::kSum), common::OptionError);
}
