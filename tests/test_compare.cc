// The comparison benchmarks: WiC reading and threshold choice, Lee reading
// and correlation, contextual token / long-document encoding, the PCA map,
// the genre agreement and the report writer.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "common/errors.h"
#include "compare/pca.h"
#include "compare/report_writer.h"
#include "compare/report.h"
#include "compare/lee.h"
#include "encoder/model.h"
#include "encoder/pooling.h"
#include "compare/wic.h"
#include "test_util.h"

using testutil::contains;
using testutil::thrown;

TEST_CASE("WiC token index maps to the normalised position") {
  std::vector<std::string> t;
  tok::Normalizer n;
  CHECK(cmp::wic_position("He nailed boards across the windows .", 2, &t, n) == 2);
  CHECK(t == std::vector<std::string>{"he", "nailed", "boards", "across", "the", "windows"});
  // Punctuation tokens vanish; a target after them moves left with them.
  CHECK(cmp::wic_position("\" Well , \" said the boss .", 5, &t, n) == 2);
  CHECK(t[2] == "the");
  // A target that normalises to nothing takes the next word, or the last one at the end.
  CHECK(cmp::wic_position("stop -- go", 1, &t, n) == 1);
  CHECK(cmp::wic_position("stop go .", 2, &t, n) == 1);
  CHECK(contains(thrown<common::FormatError>([&] { cmp::wic_position("a b c", 3, &t, n); }), "out of range"));
  CHECK(contains(thrown<common::FormatError>([&] { cmp::wic_position(". ,", 0, &t, n); }), "no word left"));
}

TEST_CASE("WiC threshold maximises train accuracy with ties to the smallest threshold") {
  // cos:  0.9 T, 0.8 T, 0.7 F, 0.6 T, 0.1 F -> best t = 0.8 (4/5) or 0.6 (4/5): smallest wins.
  const std::vector<double> cos = {0.7, 0.9, 0.1, 0.6, 0.8};
  const std::vector<bool> gold = {false, true, false, true, true};
  auto t = cmp::choose_threshold(cos, gold);
  CHECK(t.threshold == doctest::Approx(0.6));
  CHECK(t.train_accuracy == doctest::Approx(80.0));
  CHECK(cmp::wic_accuracy(cos, gold, 0.6) == doctest::Approx(80.0));
  CHECK(cmp::wic_accuracy(cos, gold, 0.95) == doctest::Approx(40.0));
  // Identical cosines (the static row): "always same" ties "never same" at 50%.
  auto s = cmp::choose_threshold({1, 1, 1, 1}, {true, false, true, false});
  CHECK(s.train_accuracy == doctest::Approx(50.0));
  CHECK(s.threshold == 1.0);
  // Mostly "different": never-same (+inf) is best.
  auto n = cmp::choose_threshold({0.5, 0.5, 0.5}, {false, false, true});
  CHECK(std::isinf(n.threshold));
  CHECK(n.train_accuracy == doctest::Approx(200.0 / 3));
}

TEST_CASE("WiC splits are read with their gold labels and bad files are refused") {
  testutil::TempDir dir;
  testutil::write_file(dir.file("train.data.txt"), "bank\tN\t4-1\tHe sat on the bank .\tThe bank closed early .\n"
                                                   "run\tV\t0-2\tRun home .\tThey will run a test .\n");
  testutil::write_file(dir.file("train.gold.txt"), "F\nT\n");
  testutil::write_file(dir.file("dev.data.txt"), "bank\tN\t0-0\tBank on it\tbanks fail\n");
  testutil::write_file(dir.file("dev.gold.txt"), "F\n");
  auto splits = cmp::read_wic(dir.path().string());
  REQUIRE(splits.size() == 2);
  CHECK(splits[0].name == "train");
  CHECK(splits[1].name == "dev");
  CHECK(splits[0].items[0].t1[splits[0].items[0].p1] == "bank");
  CHECK(splits[0].items[0].t2[splits[0].items[0].p2] == "bank");
  CHECK(splits[0].items[1].t2[splits[0].items[1].p2] == "run");
  CHECK(splits[0].items[1].same);
  CHECK_FALSE(splits[0].items[0].same);

  testutil::write_file(dir.file("dev.data.txt"), "bank\tN\t0-7\tBank on it\tbanks fail\n");
  CHECK(contains(thrown<common::FormatError>([&] { cmp::read_wic(dir.path().string()); }), "dev.data.txt:1: token index 7 is out of range"));
  testutil::write_file(dir.file("dev.data.txt"), "bank\tN\t0-x\tBank on it\tbanks fail\n");
  CHECK(contains(thrown<common::FormatError>([&] { cmp::read_wic(dir.path().string()); }), "not a pair of token indices"));
  testutil::write_file(dir.file("dev.data.txt"), "bank\tN\t0-0\tBank on it\n");
  CHECK(contains(thrown<common::FormatError>([&] { cmp::read_wic(dir.path().string()); }), "expected 5 tab-separated columns"));
  testutil::write_file(dir.file("dev.data.txt"), "bank\tN\t0-0\tBank on it\tbanks fail\nbank\tN\t0-0\tBank on it\tbanks fail\n");
  CHECK(contains(thrown<common::FormatError>([&] { cmp::read_wic(dir.path().string()); }), "fewer labels"));
  testutil::write_file(dir.file("dev.data.txt"), "bank\tN\t0-0\tBank on it\tbanks fail\n");
  testutil::write_file(dir.file("dev.gold.txt"), "maybe\n");
  CHECK(contains(thrown<common::FormatError>([&] { cmp::read_wic(dir.path().string()); }), "expected T or F"));
  std::filesystem::remove(dir.file("train.data.txt"));
  CHECK(contains(thrown<common::InputError>([&] { cmp::read_wic(dir.path().string()); }), "no train.data.txt"));
}

TEST_CASE("Lee similarities are symmetrised and correlated over the pairs i < j") {
  testutil::TempDir dir;
  testutil::write_file(dir.file("lee.cor"), "a b\nc d\ne f\ng h");  // no final newline
  testutil::write_file(dir.file("similarities0-1.txt"), "1 0.2 0.4 0.6\n0 1 0.3 0.5\n0 0 1 0.1\n0 0 0 1\n");
  auto lee = cmp::read_lee(dir.path().string());
  REQUIRE(lee.size() == 4);
  CHECK(lee.human[1 * 4 + 0] == doctest::Approx(0.2));
  // Vectors whose cosines are an increasing function of the human scores: Pearson < 100 but high;
  // vectors reproducing the cosines exactly give 100.
  // cos(v_i, v_j) for unit vectors in 2-D at angles: choose human = cos directly.
  const double ang[4] = {0.0, 0.4, 0.9, 1.7};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) lee.human[i * 4 + j] = std::cos(ang[i] - ang[j]);
  float v[4 * 2];
  for (int i = 0; i < 4; ++i) v[2 * i] = static_cast<float>(std::cos(ang[i])), v[2 * i + 1] = static_cast<float>(std::sin(ang[i]));
  CHECK(cmp::lee_pearson(lee, v, 2, 2) == doctest::Approx(100.0).epsilon(1e-5));
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) lee.human[i * 4 + j] = -std::cos(ang[i] - ang[j]);
  CHECK(cmp::lee_pearson(lee, v, 2, 2) == doctest::Approx(-100.0).epsilon(1e-5));

  testutil::write_file(dir.file("similarities0-1.txt"), "1 0.2 0.4\n0 1 0.3\n0 0 1\n");
  CHECK(contains(thrown<common::FormatError>([&] { cmp::read_lee(dir.path().string()); }), "3 values, expected 4"));
  testutil::write_file(dir.file("similarities0-1.txt"), "1 0.2 0.4 x\n");
  CHECK(contains(thrown<common::FormatError>([&] { cmp::read_lee(dir.path().string()); }), "'x' is not a number"));
}

namespace {

// A tiny encoder over the vocabulary {</s>, w0..w9}.
struct TinyEncoder {
  w2v::Embeddings e;
  enc::EncoderVocab vocab;
  enc::Encoder model;
  explicit TinyEncoder(std::size_t max_len, std::size_t window = 0) : model(config(max_len, window)) {
    e.words = {"</s>"};
    for (int i = 0; i < 10; ++i) {
      std::string w = "w";
      w += std::to_string(i);
      e.words.push_back(w);
    }
    e.vectors = common::Matrix(e.words.size(), 8);
    vocab = enc::EncoderVocab::from_vectors(e);
    model = enc::Encoder(config(max_len, window, vocab.size));
    model.init_random(7);
  }
  static enc::EncoderConfig config(std::size_t max_len, std::size_t window, std::size_t v = 20) {
    enc::EncoderConfig c;
    c.vocab_size = v, c.d_model = 8, c.n_heads = 2, c.n_layers = 2, c.d_ff = 16, c.max_len = max_len;
    c.attention_window = window;
    return c;
  }
};

}  // namespace

TEST_CASE("contextual token vectors are rows of the sentence's forward pass") {
  TinyEncoder t(16);
  const std::vector<std::vector<std::string>> s = {{"w1", "w2", "w3"}, {"w4", "w5"}, {"w6", "w7", "w8", "w9", "w0"}};
  const std::vector<std::size_t> pos = {2, 0, 3};
  const common::Matrix v = enc::encode_tokens(t.model, t.vocab, s, pos, 2);  // two batches
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto ids = enc::to_ids(t.vocab, s[i]);
    const auto len = static_cast<std::int32_t>(ids.size());
    const float* h = t.model.forward(ids.data(), &len, 1, ids.size());  // [T, 8]
    for (std::size_t j = 0; j < 8; ++j) CHECK(v.row(i)[j] == doctest::Approx(h[(pos[i] + 1) * 8 + j]).epsilon(1e-5));
  }
  // Too long for max_len: cropped around the position, the word's own id is kept.
  TinyEncoder small(4);
  const std::vector<std::vector<std::string>> longs = {{"w1", "w2", "w3", "w4", "w5", "w6", "w7"}};
  const common::Matrix c = enc::encode_tokens(small.model, small.vocab, longs, {5}, 4);
  const auto ids = enc::to_ids(small.vocab, {"w5", "w6", "w7"});  // window of 3 words with w6 in the middle
  const auto len = static_cast<std::int32_t>(ids.size());
  const float* h = small.model.forward(ids.data(), &len, 1, ids.size());
  for (std::size_t j = 0; j < 8; ++j) CHECK(c.row(0)[j] == doctest::Approx(h[2 * 8 + j]).epsilon(1e-5));
}

TEST_CASE("long documents are encoded in pieces and averaged by length") {
  TinyEncoder t(4);  // pieces of 3 words
  const std::vector<std::vector<std::string>> doc = {{"w1", "w2", "w3", "w4", "w5"}};
  const common::Matrix m = enc::encode_documents(t.model, t.vocab, doc, enc::Pooling::kMean, 8);
  const common::Matrix p = enc::encode_sentences(t.model, t.vocab, {{"w1", "w2", "w3"}, {"w4", "w5"}}, enc::Pooling::kMean, 8, nullptr);
  for (std::size_t j = 0; j < 8; ++j) CHECK(m.row(0)[j] == doctest::Approx((4 * p.row(0)[j] + 3 * p.row(1)[j]) / 7).epsilon(1e-5));
  const common::Matrix cls = enc::encode_documents(t.model, t.vocab, doc, enc::Pooling::kCls, 8);
  const common::Matrix pc = enc::encode_sentences(t.model, t.vocab, {{"w1", "w2", "w3"}, {"w4", "w5"}}, enc::Pooling::kCls, 8, nullptr);
  for (std::size_t j = 0; j < 8; ++j) CHECK(cls.row(0)[j] == doctest::Approx((pc.row(0)[j] + pc.row(1)[j]) / 2).epsilon(1e-5));
}

TEST_CASE("dense attention weights: rows sum to one, window zeros, window covering all equals full") {
  TinyEncoder full(16), win(16, 2), wide(16, 16);
  const auto ids = enc::to_ids(full.vocab, {"w1", "w2", "w3", "w4", "w5", "w6", "w7"});
  const std::size_t T = ids.size() + 2;  // two padding positions
  std::vector<std::int32_t> padded(ids.begin(), ids.end());
  padded.resize(T, 0);
  const auto len = static_cast<std::int32_t>(ids.size());
  for (auto* t : {&win, &wide})
    std::copy(full.model.params().data_all(), full.model.params().data_all() + full.model.params().total(), t->model.params().data_all());
  for (auto* t : {&full, &win, &wide}) t->model.forward(padded.data(), &len, 1, T);
  for (std::size_t l = 0; l < 2; ++l) {
    const auto f = full.model.attention_weights(l, 0), w = win.model.attention_weights(l, 0), a = wide.model.attention_weights(l, 0);
    REQUIRE(f.size() == 2 * T * T);
    for (std::size_t h = 0; h < 2; ++h)
      for (std::size_t q = 0; q < static_cast<std::size_t>(len); ++q) {
        double sf = 0, sw = 0;
        for (std::size_t k = 0; k < T; ++k) {
          const std::size_t i = (h * T + q) * T + k;
          sf += f[i], sw += w[i];
          if (k >= static_cast<std::size_t>(len)) CHECK(f[i] == 0.f);
          if ((q > k ? q - k : k - q) > 2) CHECK(w[i] == 0.f);
          CHECK(a[i] == doctest::Approx(f[i]).epsilon(1e-5));
        }
        CHECK(sf == doctest::Approx(1.0).epsilon(1e-5));
        CHECK(sw == doctest::Approx(1.0).epsilon(1e-5));
      }
  }
  CHECK_THROWS_AS(full.model.attention_weights(2, 0), common::OptionError);
}

TEST_CASE("PCA map recovers the axes of largest variance") {
  // Points spread along (1, 1, 0) strongly and (0, 0, 1) weakly.
  common::Matrix x(40, 3);
  for (std::size_t i = 0; i < 40; ++i) {
    const double a = static_cast<double>(i) - 19.5, b = (i % 4 == 0 || i % 4 == 3 ? 1.0 : -1.0);  // uncorrelated with a
    x.row(i)[0] = static_cast<float>(a + 3), x.row(i)[1] = static_cast<float>(a - 1), x.row(i)[2] = static_cast<float>(b);
  }
  const auto p = cmp::project_2d(x);
  for (std::size_t i = 0; i < 40; ++i) {
    CHECK(p[i][0] == doctest::Approx((static_cast<double>(i) - 19.5) * std::sqrt(2.0)).epsilon(1e-6));
    CHECK(std::abs(p[i][1]) == doctest::Approx(1.0).epsilon(1e-6));
  }
}

TEST_CASE("genre agreement counts neighbours of the same group") {
  common::Matrix v(6, 2);
  const float pts[6][2] = {{1, 0}, {0.9f, 0.1f}, {0.95f, -0.1f}, {0, 1}, {0.1f, 0.9f}, {-0.1f, 0.95f}};
  for (std::size_t i = 0; i < 6; ++i) v.row(i)[0] = pts[i][0], v.row(i)[1] = pts[i][1];
  CHECK(cmp::knn_group_agreement(v, {0, 0, 0, 1, 1, 1}, 2) == doctest::Approx(1.0));
  CHECK(cmp::knn_group_agreement(v, {0, 1, 0, 1, 0, 1}, 2) < 0.5);
}

TEST_CASE("report writer: Markdown and self-contained HTML with escaped text and inline pictures") {
  testutil::TempDir dir;
  cmp::Report r;
  r.title = "A <b> & c";
  r.intro = {"uses `code` here"};
  cmp::ReportSection s;
  s.title = "Scores";
  s.tables.push_back({{"name", "x"}, {{"a|b", "1.00"}, {"<c>", "2.00"}}, {false, true}});
  s.images.push_back({"pic.svg", "a picture", "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>"});
  s.preformatted.push_back("x < y");
  r.sections.push_back(s);
  const std::string out = dir.file("rep");
  cmp::write_report(out, r);
  const std::string md = testutil::read_file(out + "/report.md"), html = testutil::read_file(out + "/report.html");
  CHECK(contains(md, "# A <b> & c"));
  CHECK(contains(md, "| a\\|b | 1.00 |"));
  CHECK(contains(md, "|---|--:|"));
  CHECK(contains(md, "![a picture](pic.svg)"));
  CHECK(contains(html, "<title>A &lt;b&gt; &amp; c</title>"));
  CHECK(contains(html, "<code>code</code>"));
  CHECK(contains(html, "<td>&lt;c&gt;</td>"));
  CHECK(contains(html, "<td class=\"num\">2.00</td>"));
  CHECK(contains(html, "<rect width=\"1\" height=\"1\"/>"));
  CHECK(contains(html, "<pre>x &lt; y</pre>"));
  CHECK_FALSE(contains(html, "src=\""));
  CHECK(testutil::read_file(out + "/pic.svg").rfind("<svg", 0) == 0);

  r.sections[0].tables[0].rows.push_back({"only one cell"});
  testutil::TempDir dir2;
  CHECK(contains(thrown<common::InputError>([&] { cmp::write_report(dir2.file("rep"), r); }), "a row has 1 cells for 2 columns"));
  CHECK_FALSE(std::filesystem::exists(dir2.file("rep/report.html")));
}
