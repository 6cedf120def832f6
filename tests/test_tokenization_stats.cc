// wordlens tokenize --compare: the statistics on texts small enough to count
// by hand, and count_pieces_in_text against count_pieces on the same file.
#include <doctest/doctest.h>

#include <string>

#include "common/errors.h"
#include "test_util.h"
#include "tokenizer/bpe_trainer.h"
#include "tokenizer/tokenization_stats.h"

using namespace testutil;

namespace {

tok::TokenizationOptions options(double held_out, std::size_t min_count, std::vector<std::size_t> bpe = {}) {
  tok::TokenizationOptions o;
  o.held_out = held_out;
  o.min_count = min_count;
  o.bpe_sizes = std::move(bpe);
  o.dim = 4;
  return o;
}

const tok::SchemeStats& scheme(const tok::TokenizationReport& r, tok::TokenScheme s, std::size_t size = 0) {
  for (const auto& x : r.schemes)
    if (x.scheme == s && x.requested_size == size) return x;
  throw std::runtime_error("no such scheme in the report");
}

}  // namespace

TEST_CASE("tokenization stats: characters and words of a held-out line, counted by hand") {
  // Training "ab ab c", held out "ab d" (the last half of 2 sentences).
  const auto r = tok::compare_tokenizations("ab ab c\nab d\n", "t", options(0.5, 2));
  CHECK(r.lines == 2);
  CHECK(r.train_sentences == 1);
  CHECK(r.held_out_sentences == 1);
  REQUIRE(r.schemes.size() == 2);
  const auto& ch = scheme(r, tok::TokenScheme::kCharacters);
  CHECK(ch.vocab_size == 4);  // a b ' ' c
  CHECK(ch.lengths.tokens == 4);
  CHECK(ch.lengths.sum_sq == 16);
  CHECK(ch.oov == 1);  // d
  CHECK(ch.oov_rate() == doctest::Approx(0.25));
  const auto& w = scheme(r, tok::TokenScheme::kWords);
  CHECK(w.vocab_size == 1);  // ab (twice); c once is under --min-count 2
  CHECK(w.lengths.tokens == 2);
  CHECK(w.lengths.sum_sq == 4);
  CHECK(w.oov == 1);  // d
  const auto r1 = tok::compare_tokenizations("ab ab c\nab d\n", "t", options(0.5, 1));
  CHECK(scheme(r1, tok::TokenScheme::kWords).vocab_size == 2);
  CHECK(scheme(r1, tok::TokenScheme::kWords).oov == 1);
}

TEST_CASE("tokenization stats: without a held-out part every sentence is evaluated") {
  const auto r = tok::compare_tokenizations("ab ab c\r\n\n   \nab d", "t", options(0, 2));
  CHECK(r.lines == 4);
  CHECK(r.blank_lines == 2);
  CHECK(r.evaluated() == 2);
  const auto& ch = scheme(r, tok::TokenScheme::kCharacters);
  CHECK(ch.vocab_size == 5);  // a b ' ' c d ('\r' dropped with the line end)
  CHECK(ch.oov == 0);
  CHECK(ch.lengths.mean == doctest::Approx(5.5));  // 7 and 4
  CHECK(ch.lengths.p50 == 4);                       // the lower median
  CHECK(ch.lengths.max == 7);
  CHECK(ch.lengths.sum_sq == 65);
  CHECK(ch.lengths.sum_sq_per_sentence() == doctest::Approx(32.5));
  const auto& w = scheme(r, tok::TokenScheme::kWords);
  CHECK(w.vocab_size == 1);  // ab x3; c and d once
  CHECK(w.lengths.tokens == 5);
  CHECK(w.oov == 2);
  CHECK(w.oov_rate() == doctest::Approx(0.4));
}

TEST_CASE("tokenization stats: BPE merges learnt from the training part only") {
  // Pieces " ab" x2 and " c": merge 1 is (' ', a) (tied with (a, b) at 2; smaller ids win), merge 2 (" a", b);
  // then no pair is seen twice. Held out " ab d": 4 tokens after one merge, 3 after two.
  const auto r = tok::compare_tokenizations("ab ab c\nab d\n", "t", options(0.5, 1, {262, 263, 300}));
  REQUIRE(r.schemes.size() == 5);
  const auto& one = scheme(r, tok::TokenScheme::kBpe, 262);
  CHECK(one.vocab_size == 262);
  CHECK(one.lengths.tokens == 4);
  CHECK(one.lengths.sum_sq == 16);
  CHECK(one.oov == 0);
  CHECK(scheme(r, tok::TokenScheme::kBpe, 263).lengths.tokens == 3);
  const auto& all = scheme(r, tok::TokenScheme::kBpe, 300);
  CHECK(all.vocab_size == 263);  // merges ran out
  CHECK(all.lengths.tokens == 3);
  CHECK(all.label() == "bpe 300");
}

TEST_CASE("tokenization stats: Russian, raw characters but normalised words") {
  const auto r = tok::compare_tokenizations("мама мыла раму\nМама!\n", "ru", options(0.5, 1));
  const auto& ch = scheme(r, tok::TokenScheme::kCharacters);
  CHECK(ch.vocab_size == 7);          // м а ' ' ы л р у
  CHECK(ch.lengths.tokens == 5);      // М а м а !  (code points, not bytes)
  CHECK(ch.oov == 2);                 // М and !
  const auto& w = scheme(r, tok::TokenScheme::kWords);
  CHECK(w.lengths.tokens == 1);       // мама
  CHECK(w.oov == 0);
}

TEST_CASE("tokenization stats: bad input and options") {
  CHECK(contains(thrown<common::InputError>([] { tok::compare_tokenizations("ok\n\xff\n", "bad.txt", options(0.5, 1)); }),
                 "bad.txt:2: byte 0"));
  CHECK_THROWS_AS(tok::compare_tokenizations("\n  \n", "t", options(0.1, 1)), common::InputError);
  CHECK_THROWS_AS(tok::compare_tokenizations("one line\n", "t", options(0.1, 1)), common::InputError);
  CHECK_THROWS_AS(tok::compare_tokenizations("a\nb\n", "t", options(0.95, 1)), common::OptionError);
  CHECK_THROWS_AS(tok::compare_tokenizations("a\nb\n", "t", options(0.5, 1, {100})), common::OptionError);
  CHECK_THROWS_AS(tok::compare_tokenizations_file("/nonexistent/x.txt", options(0.5, 1)), common::InputError);
}

TEST_CASE("count_pieces_in_text counts as count_pieces reads the same file") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 300; ++i) text += "line " + std::to_string(i % 17) + " of the text  with\ttabs\n";
  text += "no newline at the end";
  write_file(dir.file("t.txt"), text);
  tok::BpeTrainStats a, b;
  const auto from_file = tok::count_pieces({dir.file("t.txt")}, 2, &a);
  for (int threads : {1, 2, 3}) {
    const auto in_memory = tok::count_pieces_in_text(text, threads, &b);
    CHECK(in_memory.pieces == from_file.pieces);
    CHECK(in_memory.counts == from_file.counts);
    CHECK(b.lines == a.lines);
    CHECK(b.bytes == a.bytes);
  }
}
