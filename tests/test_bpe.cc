// Byte-level BPE: pre-tokenisation, the byte mapping, merges identical to a
// plain reference implementation, exact round trips on any bytes, and the
// model file format.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "tokenizer/bpe_model.h"
#include "tokenizer/bpe_pieces.h"
#include "tokenizer/bpe_trainer.h"
#include "tokenizer/byte_unicode.h"
#include "common/errors.h"
#include "test_util.h"

using namespace testutil;
using tok::BpeModel;

namespace {

std::vector<std::string> pieces_of(const std::string& text) {
  std::vector<std::string> out;
  tok::PieceScanner s;
  s.feed(text.data(), text.size(), [&](std::string_view p) { out.emplace_back(p); }, [&] { out.emplace_back("\n"); });
  s.finish([&](std::string_view p) { out.emplace_back(p); }, [&] { out.emplace_back("\n"); });
  return out;
}

// The obviously-correct BPE: recount every pair of every word after each
// merge; pick the highest count, ties to the smaller (left, right) ids.
std::vector<std::pair<std::int32_t, std::int32_t>> reference_bpe(const tok::PieceCounts& pc, std::size_t n_specials,
                                                                 std::size_t merges_wanted, std::uint64_t min_freq) {
  const auto first = static_cast<std::int32_t>(n_specials);
  std::vector<std::vector<std::int32_t>> words;
  for (const auto& p : pc.pieces) {
    words.emplace_back();
    for (unsigned char c : p) words.back().push_back(first + c);
  }
  std::vector<std::pair<std::int32_t, std::int32_t>> merges;
  while (merges.size() < merges_wanted) {
    std::map<std::pair<std::int32_t, std::int32_t>, std::uint64_t> counts;
    for (std::size_t w = 0; w < words.size(); ++w)
      for (std::size_t i = 0; i + 1 < words[w].size(); ++i) counts[{words[w][i], words[w][i + 1]}] += pc.counts[w];
    std::pair<std::int32_t, std::int32_t> best{-1, -1};
    std::uint64_t best_count = 0;
    for (const auto& [pair, c] : counts)  // map order = ascending (left, right): first max wins ties
      if (c > best_count) best = pair, best_count = c;
    if (best_count < min_freq || best_count == 0) break;
    const std::int32_t id = first + 256 + static_cast<std::int32_t>(merges.size());
    merges.push_back(best);
    for (auto& w : words) {
      std::vector<std::int32_t> next;
      for (std::size_t i = 0; i < w.size(); ++i) {
        if (i + 1 < w.size() && w[i] == best.first && w[i + 1] == best.second) {
          next.push_back(id);
          ++i;
        } else {
          next.push_back(w[i]);
        }
      }
      w = next;
    }
  }
  return merges;
}

std::string random_text(std::mt19937& rng, std::size_t words, int alphabet, int vocab) {
  // Zipf-like words over a small alphabet, so that pairs repeat and tie.
  std::vector<std::string> lex;
  std::uniform_int_distribution<int> len(1, 7), ch(0, alphabet - 1);
  for (int i = 0; i < vocab; ++i) {
    std::string w;
    for (int k = len(rng); k > 0; --k) w.push_back(static_cast<char>('a' + ch(rng)));
    lex.push_back(w);
  }
  std::string text;
  for (std::size_t i = 0; i < words; ++i) {
    double u = std::uniform_real_distribution<double>(0, 1)(rng);
    text += lex[static_cast<std::size_t>(std::pow(u, 3) * vocab) % lex.size()];
    text += (rng() % 12 == 0) ? "\n" : (rng() % 20 == 0 ? "  " : " ");
  }
  return text;
}

tok::PieceCounts counts_of(const TempDir& dir, const std::string& text, int threads = 1,
                              tok::BpeTrainStats* stats = nullptr) {
  write_file(dir.file("in.txt"), text);
  return tok::count_pieces({dir.file("in.txt")}, threads, stats);
}

std::string round_trip_line(tok::BpeEncoder& enc, const BpeModel& m, const std::string& line) {
  std::string out;
  enc.encode_lines(line, [&](const std::vector<std::int32_t>& ids) { out += tok::bpe_decode_line(m, ids); });
  return out;
}

}  // namespace

TEST_CASE("pre-tokenisation: words keep their leading space and lines come back exactly") {
  CHECK(pieces_of("hello world\n") == std::vector<std::string>{" hello", " world", "\n"});
  CHECK(pieces_of("  a\tb") == std::vector<std::string>{"  ", " a", "\t", "b", "\n"});
  CHECK(pieces_of("\n\n") == std::vector<std::string>{" ", "\n", " ", "\n"});
  CHECK(pieces_of("") == std::vector<std::string>{});
  std::mt19937 rng(1);
  for (int t = 0; t < 2000; ++t) {
    std::string line;
    const int n = static_cast<int>(rng() % (t < 1900 ? 40 : 900));
    for (int i = 0; i < n; ++i) {
      int r = static_cast<int>(rng() % 10);
      line.push_back(r < 3 ? ' ' : r < 4 ? '\t' : static_cast<char>(rng() % 256));
      if (line.back() == '\n') line.back() = 'x';
    }
    std::string joined;
    for (const auto& p : pieces_of(line + "\n")) {
      CHECK(p.size() <= tok::PieceScanner::kMaxPieceBytes);
      if (p != "\n") joined += p;
    }
    REQUIRE(joined.size() == line.size() + 1);
    CHECK(joined.substr(1) == line);
  }
}

TEST_CASE("GPT-2 byte mapping: reversible, no whitespace in shown tokens") {
  for (int b = 0; b < 256; ++b) {
    std::string one(1, static_cast<char>(b)), back;
    std::string shown = tok::bytes_to_shown(one);
    CHECK(shown.find_first_of(" \t\n\r\v\f") == std::string::npos);
    CHECK(tok::shown_to_bytes(shown, &back));
    CHECK(back == one);
  }
  CHECK(tok::bytes_to_shown(" ") == "\xC4\xA0");  // Ġ
  std::string bytes;
  CHECK_FALSE(tok::shown_to_bytes("\xE2\x82\xAC", &bytes));  // € is not in the mapping
}

TEST_CASE("learned merges equal the reference implementation's") {
  std::mt19937 rng(42);
  for (int corpus = 0; corpus < 6; ++corpus) {
    TempDir dir;
    const std::string text = random_text(rng, 1500 + 700 * static_cast<std::size_t>(corpus), 3 + corpus, 60 + 40 * corpus);
    auto pc = counts_of(dir, text);
    tok::BpeTrainOptions o;
    o.inputs = {dir.file("in.txt")};
    o.specials = {"[PAD]", "[MASK]"};
    o.vocab_size = 258 + 120;
    o.min_frequency = corpus % 2 ? 1 : 3;
    auto model = tok::learn_bpe(pc, o, nullptr);
    auto ref = reference_bpe(pc, 2, 120, o.min_frequency);
    INFO("corpus " << corpus);
    std::size_t diff = 0;
    while (diff < std::min(ref.size(), model.merges().size()) && ref[diff] == model.merges()[diff]) ++diff;
    INFO("first difference at merge " << diff << " of " << ref.size() << "/" << model.merges().size());
    if (diff < ref.size() && diff < model.merges().size())
      INFO("reference " << ref[diff].first << "," << ref[diff].second << " fast " << model.merges()[diff].first << ","
                        << model.merges()[diff].second);
    CHECK(model.merges() == ref);
    CHECK(model.num_merges() > 20);
  }
  // Runs of one byte (overlapping pairs) and exact ties.
  TempDir dir;
  auto pc = counts_of(dir, "aaaaaaa aaa aa a\nab ba ab ba abab baba\n");
  tok::BpeTrainOptions o;
  o.inputs = {"unused"};
  o.specials = {};
  o.vocab_size = 256 + 12;
  o.min_frequency = 1;
  CHECK(tok::learn_bpe(pc, o, nullptr).merges() == reference_bpe(pc, 0, 12, 1));
}

TEST_CASE("training does not depend on the thread count and encoding reproduces the training segmentation") {
  std::mt19937 rng(9);
  TempDir dir;
  const std::string text = random_text(rng, 30000, 6, 400);
  tok::BpeTrainStats st;
  auto one = counts_of(dir, text, 1, &st), three = counts_of(dir, text, 3);
  CHECK(one.pieces == three.pieces);
  CHECK(one.counts == three.counts);
  tok::BpeTrainOptions o;
  o.inputs = {dir.file("in.txt")};
  o.vocab_size = 261 + 300;
  auto model = tok::learn_bpe(one, o, &st);
  std::uint64_t tokens = 0;
  for (std::size_t i = 0; i < one.pieces.size(); ++i) {
    std::vector<std::int32_t> ids;
    model.encode_piece(one.pieces[i], ids);
    tokens += ids.size() * one.counts[i];
  }
  CHECK(tokens == st.tokens);
  CHECK(st.tokens < st.bytes);
}

TEST_CASE("encode then decode gives back every byte: scripts, emoji, invalid UTF-8, random bytes") {
  std::mt19937 rng(5);
  TempDir dir;
  std::string text = random_text(rng, 20000, 8, 500);
  text += "Привет, мир! Съешь же ещё этих мягких французских булок\n日本語のテキストと中文文本\n"
          "emoji \xF0\x9F\x98\x80\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD and \xE2\x80\x94 dashes\n";
  write_file(dir.file("in.txt"), text);
  tok::BpeTrainOptions o;
  o.inputs = {dir.file("in.txt")};
  o.vocab_size = 1000;
  auto model = tok::train_bpe(o, nullptr);
  tok::BpeEncoder enc(model);
  for (const char* s : {"Привет, мир!", "日本語のテキスト", "\xF0\x9F\x98\x80 ok", "", "   ", "\t\tx  y \r",
                        "\xFF\xFE\xC3\x28 bad utf8 \xED\xA0\x80", "trailing space "})
    CHECK(round_trip_line(enc, model, s) == std::string(s));
  for (int t = 0; t < 3000; ++t) {
    std::string s;
    const int n = static_cast<int>(rng() % 120);
    for (int i = 0; i < n; ++i) {
      char c = static_cast<char>(rng() % 256);
      s.push_back(c == '\n' ? ' ' : c);
    }
    REQUIRE(round_trip_line(enc, model, s) == s);
  }
  // Over-long pieces (> 256 bytes) round trip too.
  std::string long_word(5000, 'q');
  long_word += "\xD0\x96\xD0\x96";
  CHECK(round_trip_line(enc, model, long_word + " end") == long_word + " end");
}

TEST_CASE("raw Moby Dick round trips line by line (shared data)") {
  const std::string found = testutil::shared_data("corpus/moby-raw.txt");
  if (found.empty()) {
    MESSAGE("skipping: ../shared/data/corpus/moby-raw.txt not found (the shared data is absent)");
    return;
  }
  tok::BpeTrainOptions o;
  o.inputs = {found};
  o.vocab_size = 2000;
  o.threads = 2;
  auto model = tok::train_bpe(o, nullptr);
  tok::BpeEncoder enc(model);
  std::ifstream in(found, std::ios::binary);
  std::string line;
  std::size_t lines = 0, bad = 0;
  while (std::getline(in, line)) {
    ++lines;
    bad += round_trip_line(enc, model, line) != line;
  }
  CHECK(lines > 4000);
  CHECK(bad == 0);
}

TEST_CASE("model file: save/load round trip, truncated and foreign files, bad options") {
  std::mt19937 rng(3);
  TempDir dir;
  write_file(dir.file("in.txt"), random_text(rng, 5000, 5, 200));
  tok::BpeTrainOptions o;
  o.inputs = {dir.file("in.txt")};
  o.vocab_size = 400;
  auto model = tok::train_bpe(o, nullptr);
  model.save(dir.file("m.bpe"));
  auto back = BpeModel::load(dir.file("m.bpe"));
  CHECK(back.merges() == model.merges());
  CHECK(back.specials() == model.specials());
  CHECK(back.size() == model.size());
  CHECK(back.token_shown(5) == "\xC4\x80");  // byte 0 is shown as U+0100
  const std::string full = read_file(dir.file("m.bpe"));
  write_file(dir.file("trunc.bpe"), full.substr(0, full.size() * 2 / 3));
  CHECK(thrown<common::FormatError>([&] { BpeModel::load(dir.file("trunc.bpe")); }).find("trunc.bpe:") != std::string::npos);
  write_file(dir.file("foreign.bpe"), "#version: 0.2\nĠ t\n");
  CHECK(thrown<common::FormatError>([&] { BpeModel::load(dir.file("foreign.bpe")); }).find("not a wordlens BPE model") !=
        std::string::npos);
  CHECK_THROWS_AS(BpeModel::load(dir.file("missing.bpe")), common::InputError);
  o.vocab_size = 260;
  CHECK(thrown<common::OptionError>([&] { o.validate(); }).find("at least 261") != std::string::npos);
  o.vocab_size = 400;
  write_file(dir.file("empty.txt"), "");
  o.inputs = {dir.file("empty.txt")};
  CHECK_THROWS_AS(tok::train_bpe(o, nullptr), common::InputError);
  std::vector<std::int32_t> bad_ids = {5, 99999};
  CHECK(thrown<common::InputError>([&] { tok::bpe_decode_line(model, bad_ids); }).find("out of range") != std::string::npos);
}
