// Fine-tuning on scored pairs (encoder/pair_tuning.h): the pooling's
// backward is the adjoint of its forward for every pooling; a few epochs on
// a tiny model and a handful of pairs lower the CoSENT loss and raise the
// train Spearman (mean and SIF-weighted pooling); --keep-best restores the
// weights of the best evaluation; bad settings are OptionErrors. The WiC
// head: its gradients match finite differences, and tuning through the
// target word's state (token ranges) lowers its loss.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "common/errors.h"
#include "common/stats.h"
#include "encoder/cosent.h"
#include "encoder/logistic_pair_head.h"
#include "encoder/pair_tuning.h"
#include "encoder/model.h"
#include "encoder/pooling.h"
#include "encoder/train_data.h"

namespace {

constexpr std::size_t kWords = 17;  // + [UNK] [MASK] [CLS] = vocab_size 20

enc::Encoder tiny_model() {
  enc::EncoderConfig c;
  c.vocab_size = kWords + 3, c.d_model = 16, c.n_heads = 2, c.n_layers = 1, c.d_ff = 32, c.max_len = 8;
  enc::Encoder m(c);
  m.init_random(11);
  return m;
}

enc::EncoderVocab tiny_vocab() {
  w2v::Embeddings e;
  e.words.push_back("</s>");
  for (std::size_t i = 1; i < kWords; ++i) e.words.push_back(std::string("w").append(std::to_string(i)));
  e.vectors.resize(kWords, 4);
  return enc::EncoderVocab::from_vectors(e);
}

// Pairs whose gold score is how many words of the second sentence come from
// the first one's group of words (w1..w8 or w9..w16; 0..3), no word repeated
// from the first: an order the untrained encoder does not know.
enc::ScoredPairs group_pairs(const enc::EncoderVocab& v) {
  std::mt19937 rng(4);
  std::uniform_int_distribution<std::int32_t> in_group(0, 7);
  enc::ScoredPairs p;
  for (int i = 0; i < 16; ++i) {
    const std::int32_t g = 1 + 8 * (i % 2), other = 9 - 8 * (i % 2);  // first id of the group, of the other group
    std::vector<std::int32_t> a{g + in_group(rng), g + in_group(rng)}, b;
    const int same = (i / 2) % 4;
    for (int k = 0; k < 3; ++k) {
      std::int32_t w;
      do w = (k < same ? g : other) + in_group(rng);
      while (std::count(a.begin(), a.end(), w));
      b.push_back(w);
    }
    if (i == 5) a.push_back(v.unk);  // an unknown word among the known ones
    p.a.push_back(a), p.b.push_back(b), p.gold.push_back(static_cast<float>(same));
  }
  return p;
}

struct Score {
  double loss, spearman;
};

// CoSENT loss of all pairs at once and the Spearman of their cosines, no dropout.
Score score(enc::Encoder& m, const enc::EncoderVocab& v, const enc::ScoredPairs& p, const enc::PoolSpec& spec) {
  enc::TokenIds both = p.a;
  both.insert(both.end(), p.b.begin(), p.b.end());
  const common::Matrix z = enc::pool_sentences(m, v, both, spec, 64, nullptr);  // [2n, d]
  const std::size_t n = p.size(), d = z.cols();
  std::vector<float> a(n * d), b(n * d);
  std::vector<double> cos(n), gold(p.gold.begin(), p.gold.end());
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) a[i * d + j] = z.row(i)[j], b[i * d + j] = z.row(n + i)[j];
  for (std::size_t i = 0; i < n; ++i) {
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t j = 0; j < d; ++j) ab += a[i * d + j] * b[i * d + j], aa += a[i * d + j] * a[i * d + j], bb += b[i * d + j] * b[i * d + j];
    cos[i] = ab / std::sqrt(aa * bb);
  }
  return {enc::cosent_pairs_loss(a.data(), b.data(), n, d, p.gold.data(), enc::kCosentScale, nullptr, nullptr),
          common::spearman(gold, cos)};
}

enc::TuneSettings fast_settings(const enc::PoolSpec& spec) {
  enc::TuneSettings s;
  s.pool = spec, s.epochs = 40, s.batch = 8, s.lr = 3e-3f, s.warmup = 0.1f, s.dropout = 0, s.seed = 2;
  return s;
}

}  // namespace

TEST_CASE("pool_states_backward is the adjoint of pool_states for every pooling") {
  std::mt19937 rng(9);
  std::normal_distribution<float> g;
  const std::size_t d = 5;
  const std::int32_t unk = 17;
  const std::vector<std::int32_t> ids{19, 3, unk, 8, 3};  // [CLS] first
  std::vector<float> weights(20);
  for (auto& w : weights) w = std::abs(g(rng));
  for (enc::Pooling p : {enc::Pooling::kMean, enc::Pooling::kMeanNoCls, enc::Pooling::kCls, enc::Pooling::kWeighted}) {
    CAPTURE(static_cast<int>(p));
    const enc::PoolSpec spec(p, enc::LayerChoice::final_states(), &weights);
    std::vector<float> h(ids.size() * d), dh(ids.size() * d, 99.f), row(d, 0.f), drow(d);
    for (auto& x : h) x = g(rng);
    for (auto& x : drow) x = g(rng);
    enc::pool_states(h.data(), ids, d, spec, unk, row.data());
    enc::pool_states_backward(drow.data(), ids, d, spec, unk, dh.data());
    double lhs = 0, rhs = 0;  // <pool(h), drow> = <h, pool^T(drow)> for a linear pooling
    for (std::size_t j = 0; j < d; ++j) lhs += static_cast<double>(row[j]) * drow[j];
    for (std::size_t k = 0; k < h.size(); ++k) rhs += static_cast<double>(h[k]) * dh[k];
    CHECK(lhs == doctest::Approx(rhs).epsilon(1e-5));
    if (p == enc::Pooling::kWeighted) CHECK(dh[2 * d] == 0.f);  // [UNK] gets no gradient
    if (p != enc::Pooling::kMean) CHECK((p == enc::Pooling::kCls) == (dh[0] != 0.f));  // [CLS] only where pooled
  }
}

TEST_CASE("CoSENT fine-tuning lowers the training loss and raises the train Spearman") {
  const enc::EncoderVocab v = tiny_vocab();
  const enc::ScoredPairs pairs = group_pairs(v);
  std::vector<float> weights(v.size, 0.f);
  for (std::size_t i = 0; i < kWords; ++i) weights[i] = 0.2f + 0.05f * static_cast<float>(i);
  for (enc::Pooling p : {enc::Pooling::kMean, enc::Pooling::kWeighted}) {
    CAPTURE(static_cast<int>(p));
    const enc::PoolSpec spec(p, enc::LayerChoice::final_states(), &weights);
    enc::Encoder m = tiny_model();
    const Score before = score(m, v, pairs, spec);
    std::size_t reports = 0;
    common::TrainHooks<enc::TuneProgress> hooks;
    hooks.on_progress = [&](const enc::TuneProgress& pr) { reports += !pr.epoch_end; };
    const enc::TuneResult r = enc::tune_cosent(m, v, pairs, fast_settings(spec), {}, hooks);
    const Score after = score(m, v, pairs, spec);
    CHECK(r.steps == 40 * 2);
    CHECK(reports == r.steps);
    CHECK(r.scores.empty());
    MESSAGE("loss ", before.loss, " -> ", after.loss, ", Spearman ", before.spearman, " -> ", after.spearman);
    CHECK(after.loss < before.loss - 0.5);
    CHECK(after.spearman > before.spearman + 0.2);
    CHECK(after.spearman > 0.8);
    CHECK(r.epoch_loss.back() < r.epoch_loss.front());
  }
}

TEST_CASE("--keep-best ends with the weights of the best evaluation") {
  const enc::EncoderVocab v = tiny_vocab();
  const enc::ScoredPairs pairs = group_pairs(v);
  enc::Encoder m = tiny_model();
  const std::vector<float> initial(m.params().data_all(), m.params().data_all() + m.params().total());
  enc::TuneSettings s = fast_settings(enc::PoolSpec(enc::Pooling::kMean));
  s.epochs = 3, s.keep_best = true;
  std::vector<float> after_epoch_1;
  int calls = 0;
  // Scores 0 (before), 5 (epoch 1), 1, 2: epoch 1's weights must be kept.
  const enc::TuneEval eval = [&](enc::Encoder& mm) {
    if (calls == 1) after_epoch_1.assign(mm.params().data_all(), mm.params().data_all() + mm.params().total());
    const double scores[] = {0, 5, 1, 2};
    return scores[calls++];
  };
  const enc::TuneResult r = enc::tune_cosent(m, v, pairs, s, eval);
  CHECK(calls == 4);
  CHECK(r.scores == std::vector<double>{0, 5, 1, 2});
  CHECK(r.best_epoch == 1);
  const std::vector<float> final_w(m.params().data_all(), m.params().data_all() + m.params().total());
  CHECK(final_w == after_epoch_1);
  CHECK(final_w != initial);
}

TEST_CASE("fine-tuning settings are checked") {
  const enc::EncoderVocab v = tiny_vocab();
  const enc::ScoredPairs pairs = group_pairs(v);
  enc::Encoder m = tiny_model();
  auto bad = [&](auto change) {
    enc::TuneSettings s;
    change(s);
    CHECK_THROWS_AS(enc::tune_cosent(m, v, pairs, s), common::OptionError);
  };
  bad([](enc::TuneSettings& s) { s.batch = 1; });
  bad([](enc::TuneSettings& s) { s.epochs = 0; });
  bad([](enc::TuneSettings& s) { s.lr = 0; });
  bad([](enc::TuneSettings& s) { s.warmup = 1; });
  bad([](enc::TuneSettings& s) { s.dropout = 1; });
  bad([](enc::TuneSettings& s) { s.pool.layer = enc::LayerChoice::all_mean(); });
  enc::ScoredPairs one;
  one.a = {{1}}, one.b = {{2}}, one.gold = {1};
  CHECK_THROWS_AS(enc::tune_cosent(m, v, one, enc::TuneSettings{}), common::InputError);
}

TEST_CASE("logistic pair head: gradients match finite differences, and its own steps lower the loss") {
  std::mt19937 rng(3);
  std::normal_distribution<float> g;
  const std::size_t n = 6, d = 4;
  std::vector<float> u(n * d), v(n * d), du(n * d), dv(n * d);
  for (auto& x : u) x = g(rng);
  for (auto& x : v) x = g(rng);
  const std::vector<float> gold{1, 0, 1, 1, 0, 0};
  enc::LogisticPairHead head(d, 0.05f);
  for (auto& w : head.weights()) w = 0.5f * g(rng);
  head.loss(u.data(), v.data(), gold.data(), n, d, du.data(), dv.data());
  std::vector<float> tu(n * d), tv(n * d);
  auto numeric = [&](std::vector<float>& x, std::size_t i) {
    const float keep = x[i];
    x[i] = keep + 1e-3f;
    const double up = head.loss(u.data(), v.data(), gold.data(), n, d, tu.data(), tv.data());
    x[i] = keep - 1e-3f;
    const double down = head.loss(u.data(), v.data(), gold.data(), n, d, tu.data(), tv.data());
    x[i] = keep;
    return (up - down) / 2e-3;
  };
  for (std::size_t i = 0; i < n * d; ++i) {
    CHECK(du[i] == doctest::Approx(numeric(u, i)).epsilon(2e-2).scale(1e-3));
    CHECK(dv[i] == doctest::Approx(numeric(v, i)).epsilon(2e-2).scale(1e-3));
  }
  const double before = head.loss(u.data(), v.data(), gold.data(), n, d, du.data(), dv.data());
  for (long step = 1; step <= 50; ++step) {
    head.loss(u.data(), v.data(), gold.data(), n, d, du.data(), dv.data());
    head.update(step);
  }
  const double after = head.loss(u.data(), v.data(), gold.data(), n, d, du.data(), dv.data());
  CHECK(after < before - 0.1);
  std::size_t right = 0;
  for (std::size_t i = 0; i < n; ++i) right += (head.probability(&u[i * d], &v[i * d]) >= 0.5) == (gold[i] > 0.5f);
  CHECK(right == n);
}

TEST_CASE("tuning through a target word's state (WiC) lowers the head's loss, and bad ranges are InputErrors") {
  const enc::EncoderVocab v = tiny_vocab();
  // The target is word 0 of both sentences; the label: both contexts from the same group of words.
  std::mt19937 rng(6);
  std::uniform_int_distribution<std::int32_t> in_group(0, 7);
  enc::ScoredPairs p;
  for (int i = 0; i < 24; ++i) {
    const std::int32_t t = 1 + in_group(rng), g1 = 1 + 8 * (i % 2), g2 = (i / 2) % 2 ? g1 : 10 - g1;  // 10 - g1: the other group
    p.a.push_back({t, g1 + in_group(rng), g1 + in_group(rng)});
    p.b.push_back({g2 + in_group(rng), t, g2 + in_group(rng)});
    p.ra.push_back({0, 1}), p.rb.push_back({1, 2});
    p.gold.push_back(g1 == g2 ? 1.f : 0.f);
  }
  enc::Encoder m = tiny_model();
  enc::TuneSettings s = fast_settings(enc::PoolSpec());
  s.batch = 12;
  enc::LogisticPairHead head(m.config().d_model, 3e-2f);
  const enc::TuneResult r = enc::tune_pairs(m, v, p, s, head);
  CHECK(r.epoch_loss.back() < r.epoch_loss.front() - 0.2);
  enc::ScoredPairs bad = p;
  bad.rb[3] = {2, 4};  // past a sentence of 3 tokens
  CHECK_THROWS_AS(enc::tune_pairs(m, v, bad, s, head), common::InputError);
  bad.rb.pop_back();
  CHECK_THROWS_AS(enc::tune_pairs(m, v, bad, s, head), common::InputError);
}
