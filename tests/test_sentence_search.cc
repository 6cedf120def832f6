// Sentence search: the index file (round trip, refusal of damaged files),
// the exact top k (fast paths against their reference twins, f32 vs fp16),
// SIF's component shared by lines and queries, and the refusals of another
// model and of a changed source file.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "common/errors.h"
#include "common/file_identity.h"
#include "compare/index_build.h"
#include "compare/sentence_search.h"
#include "test_util.h"
#include "word2vec/nearest_rows.h"
#include "word2vec/sentence_vectors.h"
#include "word2vec/vectors_io.h"

namespace {

using testutil::contains;
using testutil::thrown;

// Random vectors for words c{class}w{i}; a corpus of lines drawn from one class each,
// some lines with no known word (empty, punctuation, unknown words).
struct Fixture {
  testutil::TempDir dir;
  std::string vectors = dir.file("v.bin"), vocab = dir.file("vocab.txt"), text = dir.file("text.txt");
  std::vector<std::string> lines;
  explicit Fixture(std::size_t n_lines = 300, unsigned seed = 5) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    std::vector<std::string> words{"</s>"};
    for (int c = 0; c < 4; ++c)
      for (int i = 0; i < 6; ++i) words.push_back("c" + std::to_string(c) + "w" + std::to_string(i));
    common::Matrix m(words.size(), 16);
    for (std::size_t i = 0; i < words.size(); ++i)
      for (std::size_t j = 0; j < 16; ++j) m.at(i, j) = g(rng) + (i > 0 && j == (i - 1) / 6 ? 3.f : 0.f);
    std::vector<std::string_view> views(words.begin(), words.end());
    w2v::write_vectors(vectors, views, m, true);
    std::string counts;
    for (std::size_t i = 1; i < words.size(); ++i) counts += words[i] + " " + std::to_string(1000 / i + 1) + "\n";
    testutil::write_file(vocab, counts);
    std::string all;
    for (std::size_t s = 0; s < n_lines; ++s) {
      std::string line;
      if (s % 37 == 5) line = s % 2 ? "" : "... unknown words only!";
      else
        for (int t = 0, c = static_cast<int>(rng() % 4), len = 3 + static_cast<int>(rng() % 6); t < len; ++t)
          line += (t ? " " : "") + std::string(t == 0 ? "C" : "c") + std::to_string(c) + "w" + std::to_string(rng() % 6);
      lines.push_back(line);
      all += line + (s % 50 == 7 ? "\r\n" : "\n");
    }
    testutil::write_file(text, all);
  }
  cmp::IndexBuildOptions options(cmp::SentenceMethod m, cmp::IndexDtype d, const std::string& out) const {
    cmp::IndexBuildOptions o;
    o.input = text, o.output = out, o.dtype = d, o.chunk_lines = 64;  // several chunks
    o.embed.method = m, o.embed.vectors = vectors;
    if (m == cmp::SentenceMethod::kSif || m == cmp::SentenceMethod::kSifWeighted) o.embed.vocab = vocab;
    return o;
  }
};

std::vector<std::int32_t> ids(const std::vector<common::Hit>& hits) {
  std::vector<std::int32_t> v;
  for (const auto& h : hits) v.push_back(h.id);
  return v;
}

}  // namespace

TEST_CASE("sentence index: round trip of rows, offsets and metadata, rows equal to embed's") {
  Fixture f;
  const std::string out = f.dir.file("avg.idx");
  const auto st = cmp::build_sentence_index(f.options(cmp::SentenceMethod::kAvg, cmp::IndexDtype::kF32, out), nullptr);
  CHECK(st.lines == f.lines.size());
  const auto idx = cmp::read_sentence_index(out);
  REQUIRE(idx.unit.rows() == f.lines.size());
  CHECK(idx.meta.method == cmp::SentenceMethod::kAvg);
  CHECK(idx.meta.dim == 16);
  CHECK(idx.meta.empty == st.empty);
  CHECK(st.empty == idx.zero_rows.size());
  CHECK(st.empty == 8);  // s % 37 == 5 for s < 300
  CHECK(idx.meta.normalizer.has_value());
  CHECK(idx.meta.vectors.fingerprint == common::content_fingerprint(f.vectors));
  CHECK(idx.offsets.back() == testutil::read_file(f.text).size());
  // The rows are embed's avg rows scaled to unit length.
  cmp::SentenceEmbedderOptions eo;
  eo.vectors = f.vectors;
  cmp::SentenceEmbedder emb(eo);
  tok::Normalizer norm;
  std::vector<std::vector<std::string>> toks;
  for (const auto& l : f.lines) toks.push_back(norm.tokens(l));
  auto ref = emb.embed(toks, nullptr);
  cmp::normalize_rows(ref);
  double worst = 0;
  for (std::size_t i = 0; i < ref.rows(); ++i)
    for (std::size_t j = 0; j < 16; ++j) worst = std::max(worst, static_cast<double>(std::fabs(ref.at(i, j) - idx.unit.at(i, j))));
  CHECK(worst < 1e-6);
  // Lines come back as written (a CRLF line without its \r).
  cmp::SentenceSearch s(out, {});
  for (std::size_t i : {0ul, 7ul, 57ul, 299ul}) CHECK(s.line(static_cast<std::int32_t>(i)) == f.lines[i]);
}

TEST_CASE("sentence search: each line finds itself first, zero rows never match, f16 agrees with f32") {
  Fixture f;
  const std::string a = f.dir.file("a.idx"), h = f.dir.file("h.idx");
  cmp::build_sentence_index(f.options(cmp::SentenceMethod::kAvg, cmp::IndexDtype::kF32, a), nullptr);
  cmp::build_sentence_index(f.options(cmp::SentenceMethod::kAvg, cmp::IndexDtype::kF16, h), nullptr);
  cmp::SentenceSearch s32(a, {}), s16(h, {});
  std::size_t checked = 0;
  for (std::size_t i = 0; i < f.lines.size(); i += 3) {
    common::AlignedFloats q;
    if (!s32.embed_query(f.lines[i], &q)) continue;
    const auto hits = s32.nearest(q.data(), 300);
    const auto ref = s32.nearest_ref(q.data(), 300);
    REQUIRE(hits.size() == ref.size());
    CHECK(hits.size() == f.lines.size() - 8);  // every row but the zero rows
    for (std::size_t r = 0; r < hits.size(); ++r) CHECK(hits[r].score == doctest::Approx(ref[r].score).epsilon(1e-5));
    CHECK(hits[0].score == doctest::Approx(1.0).epsilon(1e-5));
    CHECK(testutil::read_file(f.text).find(s32.line(hits[0].id)) != std::string::npos);
    const auto h16 = s16.nearest(q.data(), 10);
    for (std::size_t r = 0; r < 10; ++r) CHECK(std::fabs(h16[r].score - hits[r].score) < 2e-3f);
    ++checked;
  }
  CHECK(checked > 80);
}

TEST_CASE("nearest_rows: the fp16 scan with rescoring equals the reference twin on 30000 rows") {
  std::mt19937 rng(3);
  std::normal_distribution<float> g;
  common::Matrix unit(30000, 24);
  for (std::size_t i = 0; i < unit.rows(); ++i) {
    double s = 0;
    for (std::size_t j = 0; j < 24; ++j) s += std::pow(unit.at(i, j) = g(rng), 2);
    for (std::size_t j = 0; j < 24; ++j) unit.at(i, j) /= static_cast<float>(std::sqrt(s));
  }
  for (std::size_t j = 0; j < 24; ++j) unit.at(17, j) = 0;  // a zero row
  const auto half = w2v::fast_copy(unit);
  const std::vector<std::int32_t> never{17, 40, 41};
  for (int t = 0; t < 5; ++t) {
    const std::size_t src = 100 + static_cast<std::size_t>(t) * 997;
    common::AlignedFloats q(unit.ld());
    std::copy(unit.row(src), unit.row(src) + unit.ld(), q.data());
    const auto fast = w2v::nearest_rows(unit, half, unit.rows(), q.data(), 10, {}, never);
    const auto ref = w2v::nearest_rows_ref(unit, unit.rows(), q.data(), 10, {}, never);
    CHECK(ids(fast) == ids(ref));
    CHECK(fast[0].id == static_cast<std::int32_t>(src));
    for (auto id : ids(fast)) CHECK((id != 17 && id != 40 && id != 41));
  }
}

TEST_CASE("sentence index: sif removes the component of all lines, from lines and queries alike") {
  Fixture f;
  const std::string out = f.dir.file("sif.idx");
  cmp::build_sentence_index(f.options(cmp::SentenceMethod::kSif, cmp::IndexDtype::kF32, out), nullptr);
  const auto idx = cmp::read_sentence_index(out);
  REQUIRE(idx.meta.sif_component.size() == 16);
  // The same as embed --method sif over all the lines at once (one chunk), scaled to unit length.
  cmp::SentenceEmbedderOptions eo;
  eo.method = cmp::SentenceMethod::kSif, eo.vectors = f.vectors, eo.vocab = f.vocab;
  cmp::SentenceEmbedder emb(eo);
  tok::Normalizer norm;
  std::vector<std::vector<std::string>> toks;
  for (const auto& l : f.lines) toks.push_back(norm.tokens(l));
  auto ref = emb.embed(toks, nullptr);
  cmp::normalize_rows(ref);
  double worst = 0;
  for (std::size_t i = 0; i < ref.rows(); ++i)
    for (std::size_t j = 0; j < 16; ++j) worst = std::max(worst, static_cast<double>(std::fabs(ref.at(i, j) - idx.unit.at(i, j))));
  CHECK(worst < 1e-4);
  cmp::SentenceSearch s(out, {});
  common::AlignedFloats q;
  REQUIRE(s.embed_query(f.lines[3], &q));
  const auto hits = s.nearest(q.data(), 1);
  CHECK(hits[0].score == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(s.line(hits[0].id) == f.lines[3]);
  CHECK_FALSE(s.embed_query("no such words", &q));
}

TEST_CASE("sif-weighted: SIF's weighted means without the component removal, in embed and in the index") {
  Fixture f;
  tok::Normalizer norm;
  std::vector<std::vector<std::string>> toks;
  for (const auto& l : f.lines) toks.push_back(norm.tokens(l));
  cmp::SentenceEmbedderOptions eo;
  eo.method = cmp::SentenceMethod::kSifWeighted, eo.vectors = f.vectors, eo.vocab = f.vocab;
  CHECK(cmp::parse_sentence_method("sif-weighted", "--method") == cmp::SentenceMethod::kSifWeighted);
  CHECK(cmp::uses_counts(eo.method));
  CHECK_FALSE(cmp::removes_component(eo.method));
  cmp::SentenceEmbedder emb(eo);
  const auto got = emb.embed(toks, nullptr);  // [S, 16]
  const auto e = w2v::read_vectors(f.vectors);
  w2v::SentenceVectors sv(e);
  sv.set_counts(f.vocab);
  const auto want = sv.sif_weighted(toks, eo.sif_a, nullptr), sif = sv.sif(toks, eo.sif_a, nullptr);
  double worst = 0, from_sif = 0;
  for (std::size_t i = 0; i < want.rows(); ++i)
    for (std::size_t j = 0; j < 16; ++j) {
      worst = std::max(worst, static_cast<double>(std::fabs(got.at(i, j) - want.at(i, j))));
      from_sif = std::max(from_sif, static_cast<double>(std::fabs(got.at(i, j) - sif.at(i, j))));
    }
  CHECK(worst == 0);
  CHECK(from_sif > 1e-3);  // the component is kept
  eo.vocab.clear();
  CHECK(contains(thrown<common::OptionError>([&] { eo.validate(); }), "--method sif-weighted needs --vocab"));
  const std::string out = f.dir.file("sifw.idx");
  cmp::build_sentence_index(f.options(cmp::SentenceMethod::kSifWeighted, cmp::IndexDtype::kF32, out), nullptr);
  const auto idx = cmp::read_sentence_index(out);
  CHECK(idx.meta.method == cmp::SentenceMethod::kSifWeighted);
  CHECK(idx.meta.sif_component.empty());
  cmp::SentenceSearch s(out, {});
  common::AlignedFloats q;
  REQUIRE(s.embed_query(f.lines[3], &q));
  CHECK(s.line(s.nearest(q.data(), 1)[0].id) == f.lines[3]);
}

TEST_CASE("sentence search refuses other vectors and a changed source, naming both fingerprints") {
  Fixture f;
  Fixture other(50, 9);
  const std::string out = f.dir.file("a.idx");
  cmp::build_sentence_index(f.options(cmp::SentenceMethod::kAvg, cmp::IndexDtype::kF32, out), nullptr);
  cmp::SearchFiles files;
  files.vectors = other.vectors;
  const auto msg = thrown<common::InputError>([&] { cmp::SentenceSearch(out, files); });
  CHECK(contains(msg, "--vectors '" + other.vectors + "' (" + common::content_fingerprint(other.vectors)));
  CHECK(contains(msg, common::content_fingerprint(f.vectors)));
  files = {};
  files.model = f.vectors;
  CHECK(contains(thrown<common::OptionError>([&] { cmp::SentenceSearch(out, files); }), "built without one"));
  // The source edited in place (same size), then grown.
  std::string text = testutil::read_file(f.text);
  text[text.size() / 2] = text[text.size() / 2] == 'c' ? 'x' : 'c';
  testutil::write_file(f.text, text);
  CHECK(contains(thrown<common::InputError>([&] { cmp::SentenceSearch(out, {}); }), "changed since"));
  testutil::write_file(f.text, text + "c0w1\n");
  CHECK(contains(thrown<common::InputError>([&] { cmp::SentenceSearch(out, {}); }), "changed since"));
}

TEST_CASE("sentence index: damaged files are refused with a FormatError naming the problem") {
  Fixture f(40);
  const std::string out = f.dir.file("a.idx"), bad = f.dir.file("bad.idx");
  cmp::build_sentence_index(f.options(cmp::SentenceMethod::kAvg, cmp::IndexDtype::kF16, out), nullptr);
  const std::string good = testutil::read_file(out);
  auto refused = [&](const std::string& bytes) {
    testutil::write_file(bad, bytes);
    return thrown<common::FormatError>([&] { cmp::read_sentence_index(bad); });
  };
  CHECK(contains(refused(""), "shorter than its 48-byte header"));
  CHECK(contains(refused("not an index at all, not an index at all, not an index"), "no 'wordlens-index' magic"));
  CHECK(contains(refused(good.substr(0, good.size() - 3)), "(truncated)"));
  CHECK(contains(refused(good + "x"), "(trailing bytes)"));
  std::string g = good;
  g[16] = 0, g[17] = 0;  // rows 0
  CHECK(contains(refused(g), "rows"));
  g = good;
  g[32] = 7;
  CHECK(contains(refused(g), "dtype"));
  g = good;
  g[g.size() - 2] = '!';  // the JSON's closing bytes
  CHECK(contains(refused(g), "damaged metadata"));
  g = good;
  g[48] = '\x7f', g[49] = '\x7f';  // a huge first component: not a unit row
  CHECK(contains(refused(g), "not a unit vector"));
  CHECK(contains(thrown<common::InputError>([&] { cmp::read_sentence_index(f.dir.file("missing.idx")); }), "cannot open index"));
}
