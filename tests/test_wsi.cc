// Word sense induction: the RUSSE 2018 reader (and its answer to mutated
// input), the adjusted Rand index (against a pair-counting twin),
// average-linkage clustering (against a naive twin) with the
// silhouette-chosen k, the whole scoring on a tiny case, the CLI's offset
// tokenizer, and the RUSSE 2018 wiki dev file when the shared data is
// present.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <set>

#include "common/errors.h"
#include "common/rng.h"
#include "common/stats.h"
#include "compare/sense_clusters.h"
#include "compare/wsi.h"
#include "compare/wsi_score.h"
#include "encoder/model.h"
#include "fuzz_loaders.h"
#include "test_util.h"

using testutil::contains;
using testutil::thrown;

namespace {

constexpr const char* kHeader = "context_id\tword\tgold_sense_id\tpredict_sense_id\tpositions\tcontext\n";

// Tokens = runs of bytes other than ' ', with their byte ranges; a token of
// punctuation only (",", ".") is dropped, as a normaliser would.
std::vector<cmp::TextToken> space_tokens(std::string_view raw) {
  std::vector<cmp::TextToken> out;
  for (std::size_t i = 0; i < raw.size();) {
    if (raw[i] == ' ') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < raw.size() && raw[j] != ' ') ++j;
    const std::string t(raw.substr(i, j - i));
    if (t.find_first_not_of(",.;:!?()\"") != std::string::npos) out.push_back({t, i, j});
    i = j;
  }
  return out;
}

// ARI from the four pair counts (same cluster in a / in b), a formula
// independent of the contingency-table one under test.
double ari_by_pairs(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  double tp = 0, fp = 0, fn = 0, tn = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = i + 1; j < a.size(); ++j) {
      const bool sa = a[i] == a[j], sb = b[i] == b[j];
      (sa && sb ? tp : sa ? fn : sb ? fp : tn) += 1;
    }
  if (fn == 0 && fp == 0) return 1.0;
  return 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

// Greedy average linkage straight from the definition: merge the two
// clusters with the smallest mean pairwise distance, until k are left.
std::vector<std::set<std::size_t>> naive_average_linkage(const std::vector<double>& d, std::size_t n, std::size_t k) {
  std::vector<std::set<std::size_t>> c(n);
  for (std::size_t i = 0; i < n; ++i) c[i] = {i};
  while (c.size() > k) {
    double best = std::numeric_limits<double>::infinity();
    std::size_t bi = 0, bj = 1;
    for (std::size_t i = 0; i < c.size(); ++i)
      for (std::size_t j = i + 1; j < c.size(); ++j) {
        double s = 0;
        for (auto x : c[i])
          for (auto y : c[j]) s += d[x * n + y];
        s /= static_cast<double>(c[i].size() * c[j].size());
        if (s < best) best = s, bi = i, bj = j;
      }
    c[bi].insert(c[bj].begin(), c[bj].end());
    c.erase(c.begin() + static_cast<std::ptrdiff_t>(bj));
  }
  return c;
}

std::set<std::set<std::size_t>> partition(const std::vector<std::int64_t>& labels) {
  std::map<std::int64_t, std::set<std::size_t>> by;
  for (std::size_t i = 0; i < labels.size(); ++i) by[labels[i]].insert(i);
  std::set<std::set<std::size_t>> out;
  for (auto& [l, s] : by) out.insert(s);
  return out;
}

double uniform(common::Lcg& g) { return static_cast<double>(g.below(1u << 30)) / (1u << 30); }

// n points per centre around the given unit directions (noise `spread`), interleaved.
common::Matrix blobs(const std::vector<std::vector<float>>& centres, std::size_t n, double spread, std::vector<std::int64_t>* truth) {
  const std::size_t d = centres[0].size();
  common::Matrix x(centres.size() * n, d);
  common::Lcg g(5);
  for (std::size_t i = 0; i < x.rows(); ++i) {
    const std::size_t c = i % centres.size();
    truth->push_back(static_cast<std::int64_t>(c));
    for (std::size_t j = 0; j < d; ++j) x.row(i)[j] = centres[c][j] + static_cast<float>(spread * (uniform(g) - 0.5));
  }
  return x;
}

}  // namespace

TEST_CASE("adjusted Rand index: hand-computed values, identical and random labelings") {
  // Contingency (0,0)=2 (0,1)=1 (1,1)=1 (1,2)=2: index 2, expected 6*3/15 = 1.2, max 4.5 -> 0.8/3.3.
  CHECK(common::adjusted_rand_index({0, 0, 0, 1, 1, 1}, {0, 0, 1, 1, 2, 2}) == doctest::Approx(0.8 / 3.3));
  // Every pair disagrees where it can: index 0, expected 2/3, max 2 -> -0.5.
  CHECK(common::adjusted_rand_index({0, 0, 1, 1}, {0, 1, 0, 1}) == doctest::Approx(-0.5));
  // The same partition under other label values.
  CHECK(common::adjusted_rand_index({5, 5, 7, 7, 9}, {1, 1, 0, 0, 3}) == 1.0);
  // One predicted cluster against two senses: exactly 0 (the static row).
  CHECK(common::adjusted_rand_index({1, 2, 1, 2, 2}, {0, 0, 0, 0, 0}) == 0.0);
  // All singletons against two senses: 0 too; both trivial and equal: 1 (scikit-learn's convention).
  CHECK(common::adjusted_rand_index({1, 2, 1, 2}, {0, 1, 2, 3}) == 0.0);
  CHECK(common::adjusted_rand_index({3, 3, 3}, {0, 0, 0}) == 1.0);
  CHECK(common::adjusted_rand_index({}, {}) == 1.0);
  CHECK_THROWS_AS(common::adjusted_rand_index({1, 2}, {1}), std::invalid_argument);

  common::Lcg g(42);
  for (int trial = 0; trial < 20; ++trial) {  // the reference twin on random labelings
    const std::size_t n = 2 + g.below(40);
    std::vector<std::int64_t> a(n), b(n);
    for (std::size_t i = 0; i < n; ++i) a[i] = g.below(1 + trial % 4), b[i] = g.below(1 + trial % 5);
    CHECK(common::adjusted_rand_index(a, b) == doctest::Approx(ari_by_pairs(a, b)).epsilon(1e-12));
  }
  std::vector<std::int64_t> a(20000), b(20000);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = g.below(4), b[i] = g.below(3);
  CHECK(std::abs(common::adjusted_rand_index(a, b)) < 0.01);  // independent labelings: about 0
}

TEST_CASE("average linkage equals the greedy definition and the silhouette matches a hand computation") {
  common::Lcg g(9);
  for (int trial = 0; trial < 5; ++trial) {
    const std::size_t n = 12 + static_cast<std::size_t>(trial);
    common::Matrix x(n, 5);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < 5; ++j) x.row(i)[j] = static_cast<float>(uniform(g) - 0.3);
    const auto dist = cmp::cosine_distances(x);
    const auto merges = cmp::average_linkage(dist, n);
    REQUIRE(merges.size() == n - 1);
    for (std::size_t m = 1; m < merges.size(); ++m) CHECK(merges[m - 1].height <= merges[m].height);
    for (std::size_t k = 1; k <= n; k += 3) {
      const auto want = naive_average_linkage(dist, n, k);
      const auto got = partition(cmp::cut_dendrogram(merges, n, k));
      CHECK(got == std::set<std::set<std::size_t>>(want.begin(), want.end()));
    }
  }
  // Points 0, 1, 10, 11 on a line, clusters {0, 1} and {10, 11}:
  // s = (10.5 - 1) / 10.5 for the outer points, (9.5 - 1) / 9.5 for the inner ones.
  const double p[4] = {0, 1, 10, 11};
  std::vector<double> d(16);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) d[i * 4 + j] = std::abs(p[i] - p[j]);
  CHECK(cmp::mean_silhouette(d, 4, {0, 0, 1, 1}) == doctest::Approx((9.5 / 10.5 + 8.5 / 9.5) / 2));
  CHECK(cmp::mean_silhouette(d, 4, {0, 0, 0, 0}) == 0.0);
  CHECK(cmp::mean_silhouette(d, 4, {0, 1, 1, 1}) < 0.5);  // a worse split scores lower
}

TEST_CASE("silhouette-chosen k recovers well-separated clusters, identical rows make one cluster, zero rows their own") {
  std::vector<std::int64_t> truth;
  const common::Matrix x = blobs({{1, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0}, {0, 0, 1, 0, 0, 0}, {0, 0, 0, 1, 1, 0}}, 7, 0.3, &truth);
  const auto c = cmp::cluster_senses(x);
  CHECK(c.k == 4);
  CHECK(c.silhouette > 0.5);
  CHECK(common::adjusted_rand_index(truth, c.labels) == 1.0);
  // Two clusters: k = 2, not more.
  std::vector<std::int64_t> t2;
  const auto c2 = cmp::cluster_senses(blobs({{1, 0, 0}, {0, 0, 1}}, 9, 0.2, &t2));
  CHECK(c2.k == 2);
  CHECK(common::adjusted_rand_index(t2, c2.labels) == 1.0);

  // Identical vectors: no k has a positive silhouette -> one cluster.
  common::Matrix same(6, 3);
  for (std::size_t i = 0; i < 6; ++i) same.row(i)[0] = 0.3f, same.row(i)[2] = -1.f;
  auto one = cmp::cluster_senses(same);
  CHECK(one.k == 1);
  CHECK(std::set<std::int64_t>(one.labels.begin(), one.labels.end()).size() == 1);
  // Zero rows (no vector) each make a cluster of their own; the others are clustered.
  same.row(1)[0] = same.row(1)[2] = 0.f;
  same.row(4)[0] = same.row(4)[2] = 0.f;
  one = cmp::cluster_senses(same);
  CHECK(one.k == 1);
  CHECK(one.labels == std::vector<std::int64_t>{0, 1, 0, 0, 2, 0});
  // k never exceeds max_k nor n - 1.
  std::vector<std::int64_t> t3;
  CHECK(cmp::cluster_senses(blobs({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, 1, 0.0, &t3)).k <= 2);
}

TEST_CASE("WSI reader: RUSSE layout, code-point ranges, quoted fields and the errors") {
  testutil::TempDir dir;
  const std::string f = dir.file("w.tsv");
  // Row 1: the target's first range is empty (skipped, counted), then "за́мок" (6 code points incl. the accent, 12 bytes).
  // Row 2: a CSV-quoted context ("" inside), CRLF line end, then a blank line. Row 3: of two ranges (spaces
  // around them), the first is used.
  testutil::write_file(f, std::string(kHeader) + "1\tзамок\t1\t\t3-3,7-13\tстарый за́мок стоит\n"
                          "2\tзамок\t2\t\t1-6\t\"\"\"замок\"\" двери\"\r\n"
                          "\n"
                          "3\tbank\t-1\t\t 4-8 ,0-3\tthe bank\n");
  const auto d = cmp::read_wsi(f);
  REQUIRE(d.contexts.size() == 3);
  CHECK(d.empty_ranges == 1);
  CHECK(d.contexts[0].context.substr(d.contexts[0].begin, d.contexts[0].end - d.contexts[0].begin) == "за́мок");
  CHECK(d.contexts[0].begin == 13);  // "старый " is 6 two-byte letters and a space
  CHECK(d.contexts[1].context == "\"замок\" двери");
  CHECK(d.contexts[1].context.substr(d.contexts[1].begin, d.contexts[1].end - d.contexts[1].begin) == "замок");
  CHECK(d.contexts[2].line == 5);
  CHECK(d.contexts[2].gold == -1);
  CHECK(d.contexts[2].begin == 4);
  CHECK(d.contexts[2].id == "3");
  CHECK(cmp::utf8_byte_offset("жа", 2) == 4);
  CHECK(cmp::utf8_byte_offset("жа", 3) == SIZE_MAX);

  auto error = [&](const std::string& body) {
    testutil::write_file(f, body);
    return thrown<common::FormatError>([&] { cmp::read_wsi(f); });
  };
  const std::string ok_row = "1\tbank\t1\t\t0-4\tbank one\n";
  CHECK(contains(error("context_id\tword\tgold_sense_id\tcontext\n" + ok_row), "w.tsv:1: the header has no column 'positions'"));
  CHECK(contains(error(kHeader + ok_row + "2\tbank\t1\t0-4\tbank two\n"), "w.tsv:3: 5 tab-separated columns, the header has 6"));
  CHECK(contains(error(kHeader + std::string("1\tbank\tx1\t\t0-4\tbank one\n")), "w.tsv:2: gold_sense_id 'x1' is not a whole number"));
  CHECK(contains(error(kHeader + std::string("1\tbank\t\t\t0-4\tbank one\n")), "w.tsv:2: gold_sense_id is empty"));
  CHECK(contains(error(kHeader + std::string("1\tbank\t1\t\t0-4,5-40\tbank one\n")),
                 "w.tsv:2: positions '0-4,5-40': range 5-40 lies outside the context (8 characters)"));
  CHECK(contains(error(kHeader + std::string("1\tbank\t1\t\t4-0\tbank one\n")), "range 4-0 ends before it starts"));
  CHECK(contains(error(kHeader + std::string("1\tbank\t1\t\t0:4\tbank one\n")), "'0:4' is not a character range a-b"));
  CHECK(contains(error(kHeader + std::string("1\tbank\t1\t\t2-2\tbank one\n")), "holds no non-empty range"));
  CHECK(contains(error(kHeader + std::string("1\t\t1\t\t0-4\tbank one\n")), "w.tsv:2: the word column is empty"));
  CHECK(contains(error(kHeader + std::string("1\tbank\t1\t\t0-4\tbank \xC3\x28\n")), "w.tsv:2: invalid UTF-8 or NUL at byte 19"));
  CHECK(contains(error(kHeader), "holds a header but no contexts"));
  CHECK(contains(error(""), "is empty"));
  CHECK(contains(thrown<common::InputError>([&] { cmp::read_wsi(dir.file("none.tsv")); }), "none.tsv"));
}

TEST_CASE("WSI reader on 3000 mutations of the fuzz seed: accepted with its invariants, or a common::Error") {
  const std::string seed = testutil::read_file(std::string(WORDLENS_FUZZ_REGRESSION_DIR) + "/../corpus/wsi/sample.tsv");
  const std::string alphabet = "\t\n\r,-\"0123456789 a\xD0\xB0\xCC\x81\xFF";
  common::Lcg g(2024);
  std::size_t accepted = 0, refused = 0, other = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string s = seed;
    for (std::uint32_t m = 1 + g.below(4); m > 0 && !s.empty(); --m) {
      const std::size_t at = g.below(static_cast<std::uint32_t>(s.size()));
      const char c = alphabet[g.below(static_cast<std::uint32_t>(alphabet.size()))];
      switch (g.below(3)) {
        case 0: s[at] = c; break;
        case 1: s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c); break;
        default: s.erase(at, 1 + g.below(3)); break;
      }
    }
    try {
      fuzz::load_wsi(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());  // aborts on a broken invariant
      ++accepted;
    } catch (const common::Error&) {
      ++refused;
    } catch (...) {
      ++other;
    }
  }
  CHECK(other == 0);
  CHECK(accepted > 0);  // the mutations do not all break the file...
  CHECK(refused > 0);   // ...nor all leave it valid
  MESSAGE(accepted << " accepted, " << refused << " refused");
}

TEST_CASE("target token: the token holding the range's first byte, else the first inside it") {
  const auto t = space_tokens("a (bank) , river");  // "(bank)" is one token here
  CHECK(cmp::target_token(t, 3, 7) == 1);           // "bank" inside "(bank)"
  CHECK(cmp::target_token(t, 9, 10) == SIZE_MAX);   // "," is dropped
  CHECK(cmp::target_token(t, 8, 16) == 2);          // starts on a space, "river" inside
}

TEST_CASE("the WSI tokenizer gives the normaliser's tokens with their raw byte ranges") {
  tok::Normalizer norm;
  const cmp::TextTokenizer tokenize = cmp::normalizer_tokenizer(norm);
  const std::string raw = "He said: Don\xE2\x80\x99t BANK-on it\xCA\xBCs 42";
  std::vector<std::string> text, span;
  for (const auto& x : tokenize(raw)) text.push_back(x.text), span.push_back(raw.substr(x.begin, x.end - x.begin));
  CHECK(text == std::vector<std::string>{"he", "said", "don't", "bank", "on", "it's", "42"});
  CHECK(span == std::vector<std::string>{"He", "said", "Don\xE2\x80\x99t", "BANK", "on", "it\xCA\xBCs", "42"});
  // Cyrillic with a stress accent: the token loses the accent, its range keeps it.
  const std::string ru = "\xC2\xAB\xD0\xA1\xD1\x82\xD0\xB0\xD1\x80\xD1\x8B\xD0\xB9 \xD0\xB7\xD0\xB0\xCC\x81\xD0\xBC\xD0\xBE\xD0\xBA\xC2\xBB";  // «Старый за́мок»
  text.clear(), span.clear();
  for (const auto& x : tokenize(ru)) text.push_back(x.text), span.push_back(ru.substr(x.begin, x.end - x.begin));
  CHECK(text == std::vector<std::string>{"\xD1\x81\xD1\x82\xD0\xB0\xD1\x80\xD1\x8B\xD0\xB9", "\xD0\xB7\xD0\xB0\xD0\xBC\xD0\xBE\xD0\xBA"});
  CHECK(span == std::vector<std::string>{"\xD0\xA1\xD1\x82\xD0\xB0\xD1\x80\xD1\x8B\xD0\xB9", "\xD0\xB7\xD0\xB0\xCC\x81\xD0\xBC\xD0\xBE\xD0\xBA"});
}

namespace {

// 4-D word vectors: water words along e0, money words along e1, "bank" along e2, "other" along e3.
w2v::Embeddings tiny_vectors() {
  w2v::Embeddings e;
  e.words = {"</s>", "bank", "river", "water", "shore", "money", "loan", "cash", "other"};
  e.vectors = common::Matrix(e.words.size(), 4);
  for (std::size_t i = 1; i < e.words.size(); ++i) {
    const std::size_t axis = i == 1 ? 2 : i <= 4 ? 0 : i <= 7 ? 1 : 3;
    e.vectors.row(i)[axis] = 1.f;
    e.vectors.row(i)[3] += 0.1f * static_cast<float>(i);  // not exactly collinear
  }
  return e;
}

}  // namespace

TEST_CASE("WSI scoring on a tiny case: window separates the senses, static is 0, skips are counted") {
  testutil::TempDir dir;
  const std::string f = dir.file("tiny.tsv");
  std::string body = kHeader;
  // bank: senses 1 (water) and 2 (money), interleaved; the target is at "bank" (chars 6-10 of each context).
  const char* water[] = {"river bank water shore", "water bank river river", "shore bank water water"};
  const char* money[] = {"money bank loan cash", "loan. bank cash money", "cash! bank money loan"};
  for (int i = 0; i < 3; ++i) {
    body += std::to_string(2 * i) + "\tbank\t1\t\t6-10\t" + water[i] + "\n";
    body += std::to_string(2 * i + 1) + "\tbank\t2\t\t6-10\t" + money[i] + "\n";
  }
  body += "8\tbank\t2\t\t6-7\tmoney , loan\n";           // the target range is a comma: dropped, counted
  body += "9\tlonely\t1\t\t0-6\tlonely words\n";          // a word with one context: skipped, counted
  body += "10\tzzz\t1\t\t0-3\tzzz river water\n11\tzzz\t1\t\t0-3\tzzz water shore\n"
          "12\tzzz\t2\t\t0-3\tzzz nothing known\n";  // an unknown word
  testutil::write_file(f, body);
  const auto p = cmp::prepare_wsi(cmp::read_wsi(f), space_tokens);
  CHECK(p.name == "tiny.tsv");
  CHECK(p.words == std::vector<std::string>{"bank", "zzz"});
  CHECK(p.contexts() == 9);
  CHECK(p.untokenised == 1);
  CHECK(p.single == 1);
  CHECK(p.tokens[p.members[0][1]][p.target[p.members[0][1]]] == "bank");

  const w2v::Embeddings e = tiny_vectors();
  const w2v::SentenceVectors sv(e);
  enc::EncoderConfig cfg;
  cfg.d_model = 8, cfg.n_heads = 2, cfg.n_layers = 1, cfg.d_ff = 16, cfg.max_len = 16;
  const auto vocab = enc::EncoderVocab::from_vectors(e);
  cfg.vocab_size = vocab.size;
  enc::Encoder model(cfg);
  model.init_random(3);
  const auto j = cmp::score_wsi(p, sv, &model, vocab, 5, 4);
  // bank: window ARI 1 (6 contexts). zzz: two contexts with known window words (too few to split: one
  // cluster) and one without (a cluster of its own) -> the gold partition, ARI 1. Static: bank one
  // cluster, zzz unknown (three singletons) -> ARI 0 for both.
  CHECK(j["per_word"]["bank"]["static_window"].get<double>() == 1.0);
  CHECK(j["per_word"]["bank"]["clusters"]["static_window"] == 2);
  CHECK(j["static_window"].get<double>() == 1.0);
  CHECK(j["per_word"]["zzz"]["static_window"].get<double>() == 1.0);
  CHECK(j["static"].get<double>() == 0.0);
  CHECK(j["per_word"]["bank"]["clusters"]["static"] == 1);
  CHECK(j["unknown"]["static"] == 3);         // every zzz context
  CHECK(j["unknown"]["static_window"] == 1);  // "zzz nothing known"
  CHECK(j["unknown"]["encoder"] == 3);        // zzz is [UNK] to the encoder
  CHECK(j["words"] == 2);
  CHECK(j["contexts"] == 9);
  CHECK(j["skipped_contexts"] == 1);
  CHECK(j["skipped_words"] == 1);
  CHECK(j["per_word"]["bank"]["gold_senses"] == 2);
  const double enc_ari = j["encoder"].get<double>();
  CHECK((enc_ari >= -1.0 && enc_ari <= 1.0));
  CHECK(j["per_word"]["bank"]["clusters"]["encoder"].get<std::size_t>() >= 1);
  // Without a model the encoder row is null.
  const auto n = cmp::score_wsi(p, sv, nullptr, vocab, 5, 4);
  CHECK(n["encoder"].is_null());
  CHECK(n["static_window"] == j["static_window"]);

  // A tokenizer that keeps no target: nothing to score, said so.
  auto none = [](std::string_view) { return std::vector<cmp::TextToken>{}; };
  CHECK(contains(thrown<common::InputError>([&] { cmp::prepare_wsi(cmp::read_wsi(f), none); }),
                 "nothing to score: the normaliser gives no token at the target of any of its 11 contexts"));
}

TEST_CASE("RUSSE 2018 wiki dev file: 439 contexts, 4 words, static ARI exactly 0 (shared data)") {
  std::string path = std::string(WORDLENS_FIXTURE_DIR) + "/../../../shared/data/eval/ru/wsi-wiki-dev.tsv";
  if (const char* env = std::getenv("WORDLENS_DATA")) path = std::string(env) + "/eval/ru/wsi-wiki-dev.tsv";
  if (!std::filesystem::exists(path)) {
    MESSAGE("skipping: " << path << " not found (the shared data is absent)");
    return;
  }
  const auto d = cmp::read_wsi(path);
  CHECK(d.contexts.size() == 439);
  std::set<std::string> words;
  for (const auto& c : d.contexts) words.insert(c.word);
  CHECK(words == std::set<std::string>{"бор", "замок", "лук", "суда"});
  const auto p = cmp::prepare_wsi(d, space_tokens);
  CHECK(p.untokenised == 0);
  CHECK(p.contexts() == 439);
  REQUIRE(p.words.size() == 4);
  // Every target token starts with its word's stem (the quoted contexts are unquoted, so the offsets land).
  std::size_t on_stem = 0;
  for (std::size_t w = 0; w < 4; ++w)
    for (std::size_t i : p.members[w]) on_stem += p.tokens[i][p.target[i]].rfind(p.words[w].substr(0, 4), 0) == 0 ? 1 : 0;
  CHECK(on_stem >= 420);  // a few of the file's ranges point elsewhere (rows 63, 168, 403 ...)
  // Vectors: the 4 words and every context word, at random (fixed seed).
  w2v::Embeddings e;
  e.words = {"</s>"};
  std::set<std::string> vocab(p.words.begin(), p.words.end());
  for (const auto& t : p.tokens) vocab.insert(t.begin(), t.end());
  e.words.insert(e.words.end(), vocab.begin(), vocab.end());
  e.vectors = common::Matrix(e.words.size(), 16);
  common::Lcg g(1);
  for (std::size_t i = 0; i < e.words.size(); ++i)
    for (std::size_t j = 0; j < 16; ++j) e.vectors.row(i)[j] = static_cast<float>(uniform(g) - 0.5);
  const w2v::SentenceVectors sv(e);
  const auto r = cmp::score_wsi(p, sv, nullptr, enc::EncoderVocab::from_vectors(e), 5, 8);
  CHECK(r["static"].get<double>() == 0.0);
  CHECK(r["words"] == 4);
  CHECK(r["contexts"] == 439);
  CHECK(r["unknown"]["static"] == 0);
  for (const auto& [w, x] : r["per_word"].items()) CHECK(x["gold_senses"] == 2);
  const double win = r["static_window"].get<double>();
  CHECK(std::isfinite(win));
  CHECK((win >= -1 && win <= 1));
}
