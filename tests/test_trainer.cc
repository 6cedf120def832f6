// word2vec/trainer.h end to end on small synthetic corpora: it learns a
// planted structure, is reproducible, resumes exactly from a checkpoint,
// and fails cleanly (no output left behind) on bad input.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "tokenizer/bpe_trainer.h"
#include "common/errors.h"
#include "test_util.h"
#include "word2vec/checkpoint.h"
#include "word2vec/trainer.h"
#include "word2vec/vectors_io.h"

using testutil::contains;
using testutil::read_file;
using testutil::TempDir;
using testutil::thrown;
using testutil::write_file;

namespace {

constexpr int kClasses = 6, kPerClass = 8, kFillers = 3;

// Sentences of 8-12 words, all from one class ("c<k>w<j>"), with an
// occasional filler word ("filler<i>") shared by every class.
void write_planted_corpus(const std::string& path, std::size_t words, unsigned seed) {
  std::mt19937 rng(seed);
  std::string text;
  std::size_t n = 0;
  while (n < words) {
    const int k = static_cast<int>(rng() % kClasses);
    const int len = 8 + static_cast<int>(rng() % 5);
    for (int i = 0; i < len; ++i, ++n) {
      if (i) text += ' ';
      if (rng() % 10 == 0) {
        text += "filler";
        text += std::to_string(rng() % kFillers);
      } else {
        text += 'c';
        text += std::to_string(k);
        text += 'w';
        text += std::to_string(rng() % kPerClass);
      }
    }
    text += '\n';
  }
  write_file(path, text);
}

int class_of(const std::string& w) { return w.size() == 4 && w[0] == 'c' && w[2] == 'w' ? w[1] - '0' : -1; }

// Fraction of class words whose cosine-nearest other word (any word of the
// vocabulary) is in the same class.
double same_class_rate(const w2v::Embeddings& e) {
  const std::size_t v = e.words.size(), d = e.vectors.cols();
  std::vector<double> norm(v);
  for (std::size_t i = 0; i < v; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < d; ++j) s += double(e.vectors.at(i, j)) * e.vectors.at(i, j);
    norm[i] = std::sqrt(s) + 1e-30;
  }
  int class_words = 0, hits = 0;
  for (std::size_t i = 0; i < v; ++i) {
    const int c = class_of(e.words[i]);
    if (c < 0) continue;
    ++class_words;
    double best = -2;
    std::size_t arg = i;
    for (std::size_t k = 0; k < v; ++k) {
      if (k == i) continue;
      double s = 0;
      for (std::size_t j = 0; j < d; ++j) s += double(e.vectors.at(i, j)) * e.vectors.at(k, j);
      s /= norm[i] * norm[k];
      if (s > best) best = s, arg = k;
    }
    hits += class_of(e.words[arg]) == c;
  }
  REQUIRE(class_words == kClasses * kPerClass);
  return static_cast<double>(hits) / class_words;
}

struct Fixture {
  TempDir dir;
  std::string corpus = dir.file("corpus.txt");
  Fixture() {
    spdlog::set_level(spdlog::level::warn);
    write_planted_corpus(corpus, 40000, 17);
  }
  w2v::TrainOptions options(const std::string& out = "vectors.bin") const {
    w2v::TrainOptions o;
    o.train = {corpus};
    o.output = dir.file(out);
    o.size = 24, o.window = 5, o.sample = 0, o.negative = 5, o.hs = 0;  // skip-gram NS
    o.cbow = 0, o.threads = 2, o.iter = 3, o.min_count = 5, o.binary = 1;
    return o;
  }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "training recovers planted word classes") {
  struct Variant {
    const char* name;
    int cbow, hs, negative, binary;
    w2v::Update update = w2v::Update::kPair;
  };
  for (const Variant& var : {Variant{"skip-gram NS", 0, 0, 5, 1}, Variant{"CBOW NS", 1, 0, 5, 0},
                             Variant{"skip-gram HS", 0, 1, 0, 1}, Variant{"CBOW HS+NS", 1, 1, 3, 1},
                             Variant{"skip-gram NS batched", 0, 0, 5, 1, w2v::Update::kBatch},
                             Variant{"skip-gram HS batched", 0, 1, 0, 1, w2v::Update::kBatch},
                             Variant{"skip-gram HS+NS batched", 0, 1, 5, 1, w2v::Update::kBatch},
                             Variant{"CBOW NS batched", 1, 0, 5, 1, w2v::Update::kBatch}}) {
    CAPTURE(var.name);
    auto o = options(std::string("v-") + var.name + ".vec");
    o.cbow = var.cbow, o.hs = var.hs, o.negative = var.negative, o.binary = var.binary, o.update = var.update;
    w2v::TrainProgress last;
    w2v::TrainHooks hooks;
    hooks.on_progress = [&](const w2v::TrainProgress& p) { last = p; };
    const auto r = w2v::train(o, hooks);
    CHECK_FALSE(r.interrupted);
    CHECK(r.vocab_size == 1 + kClasses * kPerClass + kFillers);
    // Every word of every epoch is counted exactly once across the threads.
    CHECK(last.final);
    CHECK(last.words_total == 3 * r.train_words);
    CHECK(last.words_done == last.words_total);
    CHECK(r.words_trained == 3 * r.train_words);
    CHECK(last.loss_count > 0);
    // The learning rate decays linearly to its floor, alpha0 · 1e-4.
    CHECK(last.alpha == doctest::Approx(o.starting_alpha() * 1e-4f).epsilon(1e-3));
    CHECK(std::isfinite(last.loss_sum));
    const auto e = w2v::read_vectors(o.output);
    REQUIRE(e.words.size() == r.vocab_size);
    CHECK(e.words[0] == "</s>");
    CHECK(e.vectors.cols() == 24);
    const double rate = same_class_rate(e);
    CAPTURE(rate);
    CHECK(rate >= 0.9);
  }
  // The measure is not met by (nearly) untrained vectors.
  auto o = options("untrained.bin");
  o.alpha = 1e-7;
  o.iter = 1;
  w2v::train(o);
  const double rate = same_class_rate(w2v::read_vectors(o.output));
  CAPTURE(rate);
  CHECK(rate < 0.5);
}

TEST_CASE_FIXTURE(Fixture, "deterministic mode is bit-reproducible") {
  auto o = options("a.bin");
  o.deterministic = true;
  o.threads = 3;
  w2v::train(o);
  o.output = dir.file("b.bin");
  w2v::train(o);
  o.output = dir.file("c.bin");
  o.seed = 2;
  w2v::train(o);
  const auto a = read_file(dir.file("a.bin")), b = read_file(dir.file("b.bin")), c = read_file(dir.file("c.bin"));
  CHECK(a.size() > 1000);
  CHECK(a == b);
  CHECK(a.size() == c.size());
  CHECK(a != c);
}

TEST_CASE_FIXTURE(Fixture, "an interrupted deterministic run resumes to identical vectors") {
  auto o = options("full.bin");
  o.deterministic = true;
  o.threads = 3;
  w2v::train(o);
  const std::string full = read_file(o.output);

  o.output = dir.file("part.bin");
  const std::string ckpt = o.checkpoint_path();
  int polls = 0;
  w2v::TrainHooks stop_hooks;
  // Polled once per round (a sentence per worker): stop in the second epoch.
  stop_hooks.should_stop = [&] { return ++polls >= 2000; };
  const auto r = w2v::train(o, stop_hooks);
  CHECK(r.interrupted);
  CHECK(polls == 2000);
  CHECK(r.checkpoint_written == ckpt);
  CHECK(r.words_trained >= r.train_words);  // into the second epoch
  CHECK(r.words_trained < 2 * r.train_words);
  CHECK_FALSE(std::filesystem::exists(o.output));
  REQUIRE(std::filesystem::exists(ckpt));
  CHECK(dir.entries() == std::set<std::string>{"corpus.txt", "full.bin", "full.bin.json", "part.bin.ckpt"});
  {
    // The checkpoint holds each worker's decayed learning rate.
    w2v::Vocab vocab;
    w2v::Params params;
    w2v::Checkpoint state;
    w2v::load_checkpoint(ckpt, o, &vocab, &params, &state);
    CHECK(state.words_done == r.words_trained);
    const float alpha0 = o.starting_alpha();
    const double lowest = alpha0 * (1.0 - static_cast<double>(state.words_done) / (3.0 * r.train_words));
    for (const auto& w : state.workers) {
      CHECK(w.alpha < alpha0);
      CHECK(w.alpha >= lowest - 1e-6);
      CHECK(w.epoch == 1);
    }
  }

  // Resuming with other options or input is refused, naming the option.
  auto bad = o;
  bad.resume = true;
  bad.size = 32;
  CHECK(contains(thrown<common::OptionError>([&] { w2v::train(bad); }), "-size"));
  bad.size = o.size;
  bad.threads = 2;
  CHECK(contains(thrown<common::OptionError>([&] { w2v::train(bad); }), "-threads"));
  bad.threads = o.threads;
  // Other text of the same size is another input (a copy of the corpus would
  // be the same input: the fingerprint is of contents, not names).
  bad.train = {dir.file("other.txt")};
  std::string other = testutil::read_file(corpus);
  std::reverse(other.begin(), other.end() - 1);
  testutil::write_file(bad.train[0], other);
  CHECK(contains(thrown<common::OptionError>([&] { w2v::train(bad); }), "same -train"));
  bad.train = o.train;
  bad.checkpoint = dir.file("missing.ckpt");
  CHECK_THROWS_AS(w2v::train(bad), common::InputError);
  CHECK_FALSE(std::filesystem::exists(o.output));

  // The same options finish the run, bit-identical to the uninterrupted one.
  o.resume = true;
  const auto r2 = w2v::train(o);
  CHECK_FALSE(r2.interrupted);
  CHECK(r.words_trained + r2.words_trained == 3 * r.train_words);
  CHECK(read_file(o.output) == full);
}

TEST_CASE_FIXTURE(Fixture, "a literal </s> ends a sentence like a newline") {
  // Same words and sentences, once with newlines and once with "</s>" tokens:
  // with one thread the two runs see identical input and must agree exactly.
  std::string text = read_file(corpus), joined;
  int lines = 0;
  for (char c : text) {
    if (c == '\n' && ++lines % 4 != 0)
      joined += " </s> ";
    else
      joined += c;
  }
  write_file(dir.file("joined.txt"), joined);
  auto o = options("newlines.bin");
  o.threads = 1;
  o.deterministic = true;
  o.iter = 1;
  const auto r1 = w2v::train(o);
  o.train = {dir.file("joined.txt")};
  o.output = dir.file("tokens.bin");
  const auto r2 = w2v::train(o);
  CHECK(r1.train_words == r2.train_words);
  CHECK(read_file(dir.file("newlines.bin")) == read_file(dir.file("tokens.bin")));
}

TEST_CASE_FIXTURE(Fixture, "periodic checkpoints are written and load") {
  auto o = options();
  o.deterministic = true;
  o.checkpoint_every = 30000;
  std::vector<std::string> written;
  w2v::TrainHooks hooks;
  hooks.on_checkpoint = [&](const std::string& p) { written.push_back(p); };
  const auto r = w2v::train(o, hooks);
  // 3 epochs × ~45k words: a checkpoint at about every 30k words (the word
  // count advances in steps, so the last one may fall after the end).
  CHECK(written.size() <= 3 * r.train_words / 30000);
  CHECK(written.size() + 1 >= 3 * r.train_words / 30000);
  REQUIRE(!written.empty());
  CHECK(written.back() == o.checkpoint_path());
  CHECK(r.checkpoint_written == o.checkpoint_path());
  w2v::Vocab vocab;
  w2v::Params params;
  w2v::Checkpoint state;
  w2v::load_checkpoint(written.back(), o, &vocab, &params, &state);
  CHECK(vocab.size() == r.vocab_size);
  CHECK(vocab.word(0) == "</s>");
  CHECK(params.syn0.rows() == r.vocab_size);
  CHECK(params.syn0.cols() == 24);
  CHECK(params.syn1neg.rows() == r.vocab_size);
  CHECK(state.workers.size() == 2);
  CHECK(state.words_done >= 30000 * written.size());
  CHECK(state.words_done < 3 * r.train_words);
}

TEST_CASE_FIXTURE(Fixture, "a checkpoint resumes only with the --update it was written with") {
  for (auto [written, resumed] : {std::pair{w2v::Update::kBatch, w2v::Update::kPair}, std::pair{w2v::Update::kPair, w2v::Update::kBatch}}) {
    auto o = options();
    o.iter = 1;
    o.deterministic = true;
    o.checkpoint_every = 30000;
    o.update = written;
    w2v::train(o);
    w2v::Vocab vocab;
    w2v::Params params;
    w2v::Checkpoint state;
    CHECK_NOTHROW(w2v::load_checkpoint(o.checkpoint_path(), o, &vocab, &params, &state));
    o.update = resumed;
    const std::string msg =
        thrown<common::OptionError>([&] { w2v::load_checkpoint(o.checkpoint_path(), o, &vocab, &params, &state); });
    CHECK(contains(msg, std::string("was written with --update ") + std::string(w2v::to_string(written)) + ", not " +
                            std::string(w2v::to_string(resumed))));
  }
}

TEST_CASE_FIXTURE(Fixture, "a threaded run stops on request and resumes from its checkpoint") {
  // Many epochs, so the run is far from done when it is stopped: as soon as
  // progress shows published words (polls come every ~100 ms).
  auto o = options();
  o.iter = 2000;
  std::uint64_t words_this_run = 0;
  w2v::TrainHooks hooks;
  hooks.on_progress = [&](const w2v::TrainProgress& p) { words_this_run = p.words_this_run; };
  hooks.should_stop = [&] { return words_this_run > 0; };
  const auto r = w2v::train(o, hooks);
  REQUIRE(r.interrupted);
  CHECK_FALSE(std::filesystem::exists(o.output));
  w2v::Vocab vocab;
  w2v::Params params;
  w2v::Checkpoint first, second;
  w2v::load_checkpoint(o.checkpoint_path(), o, &vocab, &params, &first);
  CHECK(first.words_done > 0);
  CHECK(first.words_done == r.words_trained);
  CHECK(first.words_done < 2000 * r.train_words);
  // Resume, and stop again once this run has published words of its own.
  words_this_run = 0;
  o.resume = true;
  const auto r2 = w2v::train(o, hooks);
  REQUIRE(r2.interrupted);
  w2v::load_checkpoint(o.checkpoint_path(), o, &vocab, &params, &second);
  CHECK(second.words_done > first.words_done);
  CHECK(second.words_done == first.words_done + r2.words_trained);
  CHECK_FALSE(std::filesystem::exists(o.output));
}

TEST_CASE_FIXTURE(Fixture, "max_vocab limits the rows written") {
  auto o = options();
  o.max_vocab = 10;
  o.binary = 0;
  o.save_vocab = dir.file("vocab.txt");
  const auto r = w2v::train(o);
  CHECK(r.vocab_size == 10);
  CHECK(r.vocab_stats.cut_by_max == kClasses * kPerClass + kFillers - 9);
  const auto text = read_file(o.output);
  CHECK(text.substr(0, 6) == "10 24\n");
  CHECK(std::count(text.begin(), text.end(), '\n') == 11);
  const auto e = w2v::read_vectors(o.output);
  CHECK(e.words.size() == 10);
  const auto v = w2v::Vocab::read(o.save_vocab, w2v::VocabOptions{1, 0, 1});
  REQUIRE(v.size() == 10);
  for (std::size_t i = 0; i < 10; ++i) CHECK(v.word(i) == e.words[i]);
}

TEST_CASE("more threads than lines: every word is still trained once per epoch") {
  spdlog::set_level(spdlog::level::warn);
  TempDir dir;
  write_file(dir.file("tiny.txt"), "a b c a\nb c a b\n");
  write_file(dir.file("more.txt"), "c a b");
  w2v::TrainOptions o;
  o.train = {dir.file("tiny.txt"), dir.file("more.txt")};
  o.output = dir.file("out.txt");
  o.size = 8, o.min_count = 1, o.iter = 3, o.threads = 8, o.sample = 0;
  for (bool det : {false, true}) {
    o.deterministic = det;
    w2v::TrainProgress last;
    w2v::TrainHooks hooks;
    hooks.on_progress = [&](const w2v::TrainProgress& p) { last = p; };
    const auto r = w2v::train(o, hooks);
    CHECK(r.train_words == 2 + 11);  // two newlines, 11 words
    CHECK(last.words_done == 3 * r.train_words);
    CHECK(w2v::read_vectors(o.output).words == std::vector<std::string>{"</s>", "a", "b", "c"});
  }
}

TEST_CASE("bad input fails before training and leaves no output") {
  spdlog::set_level(spdlog::level::warn);
  TempDir dir;
  auto opts = [&](const std::string& corpus) {
    w2v::TrainOptions o;
    o.train = {dir.file(corpus)};
    o.output = dir.file("out.bin");
    o.size = 8, o.threads = 2, o.iter = 1, o.min_count = 1;
    return o;
  };
  write_file(dir.file("empty.txt"), "");
  write_file(dir.file("blank.txt"), "  \n \t \n");
  write_file(dir.file("rare.txt"), "each word here occurs once\n");
  write_file(dir.file("latin1.txt"), "good words\ncaf\xE9 au lait\n");
  write_file(dir.file("nul.txt"), std::string("a b\0c\n", 6));
  write_file(dir.file("ok.txt"), "a b c a b c\n");
  const auto inputs = dir.entries();
  auto check_clean = [&] { CHECK(dir.entries() == inputs); };

  CHECK(contains(thrown<common::InputError>([&] { w2v::train(opts("empty.txt")); }), "empty"));
  check_clean();
  CHECK_THROWS_AS(w2v::train(opts("blank.txt")), common::InputError);
  check_clean();
  auto o = opts("rare.txt");
  o.min_count = 2;
  CHECK(contains(thrown<common::InputError>([&] { w2v::train(o); }), "-min-count"));
  check_clean();
  CHECK(contains(thrown<common::InputError>([&] { w2v::train(opts("latin1.txt")); }), "latin1.txt:2:"));
  check_clean();
  CHECK(contains(thrown<common::InputError>([&] { w2v::train(opts("nul.txt")); }), "NUL"));
  check_clean();
  CHECK(contains(thrown<common::InputError>([&] { w2v::train(opts("missing.txt")); }), "missing.txt"));
  check_clean();

  // An unwritable output fails first: even before the corpus is read.
  for (const char* corpus : {"ok.txt", "latin1.txt"}) {
    o = opts(corpus);
    o.output = dir.file("no/such/dir/out.bin");
    int progress = 0;
    w2v::TrainHooks hooks;
    hooks.on_progress = [&](const w2v::TrainProgress&) { ++progress; };
    CHECK(contains(thrown<common::IoError>([&] { w2v::train(o, hooks); }), "no/such/dir/out.bin"));
    CHECK(progress == 0);
    check_clean();
  }
  // Bad options are OptionErrors.
  o = opts("ok.txt");
  o.hs = 0, o.negative = 0;
  CHECK_THROWS_AS(w2v::train(o), common::OptionError);
  o = opts("ok.txt");
  o.size = 0;
  CHECK(contains(thrown<common::OptionError>([&] { w2v::train(o); }), "-size"));
  check_clean();
}

TEST_CASE("an unwritable --checkpoint fails before training") {
  spdlog::set_level(spdlog::level::warn);
  TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "a b c d e f g h\n";
  write_file(dir.file("c.txt"), text);
  w2v::TrainOptions o;
  o.train = {dir.file("c.txt")};
  o.output = dir.file("out.bin");
  o.checkpoint = dir.file("no/such/dir/x.ckpt");
  o.checkpoint_every = 100000;
  o.deterministic = true;
  o.size = 8;
  o.min_count = 1;
  o.threads = 2;
  int rounds = 0;  // deterministic mode polls should_stop once per round
  w2v::TrainHooks hooks;
  hooks.should_stop = [&] { return ++rounds, false; };
  CHECK_THROWS_AS(w2v::train(o, hooks), common::IoError);
  CHECK(rounds == 0);
}

TEST_CASE_FIXTURE(Fixture, "BPE tokens: long lines, interrupted and resumed, give identical vectors") {
  // Join the corpus into lines of ~3000 words, so sentences (1000 tokens at
  // most) end inside lines and the resume point needs a token offset.
  std::string text = read_file(corpus), joined;
  int n = 0;
  for (char c : text) {
    if (c == '\n') c = ++n % 300 == 0 ? '\n' : ' ';
    joined.push_back(c);
  }
  write_file(dir.file("long.txt"), joined);
  tok::BpeTrainOptions bo;
  bo.inputs = {corpus};
  bo.vocab_size = 330;
  tok::train_bpe(bo, nullptr).save(dir.file("m.bpe"));

  auto o = options("full.bin");
  o.train = {dir.file("long.txt")};
  o.tokenizer = dir.file("m.bpe");
  o.deterministic = true;
  o.threads = 2;
  o.iter = 2;
  o.min_count = 1;
  const auto full_r = w2v::train(o);
  const std::string full = read_file(o.output);
  CHECK(full_r.vocab_size > 40);
  auto e = w2v::read_vectors(o.output);
  CHECK(e.words[0] == "</s>");
  for (const auto& w : e.words) CHECK(w.find(' ') == std::string::npos);

  o.output = dir.file("part.bin");
  int polls = 0;
  w2v::TrainHooks hooks;
  hooks.should_stop = [&] { return ++polls >= 37; };  // mid-line: 37 sentences per worker
  auto r = w2v::train(o, hooks);
  REQUIRE(r.interrupted);
  {
    w2v::Vocab vocab;
    w2v::Params params;
    w2v::Checkpoint state;
    w2v::load_checkpoint(o.checkpoint_path(), o, &vocab, &params, &state);
    bool any_skip = false;
    for (const auto& w : state.workers) any_skip = any_skip || w.skip > 0;
    CHECK(any_skip);  // the stop fell inside a line
  }
  o.resume = true;
  w2v::train(o);
  CHECK(read_file(o.output) == full);
}

TEST_CASE_FIXTURE(Fixture, "raw text normalised on the fly: the clean corpus' vocabulary, interrupted and resumed inside a word") {
  // The planted corpus made raw: words glued in threes by punctuation
  // ("«c1w2,—C1w5…c1w0»"), some capitalised, lines of 3000 tokens (so
  // sentences end inside lines, and the 1000th token inside a glued word).
  std::vector<std::string> words;
  {
    const std::string text = read_file(corpus);
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i)
      if (i == text.size() || text[i] == ' ' || text[i] == '\n') {
        if (i > start) words.push_back(text.substr(start, i - start));
        start = i + 1;
      }
  }
  std::string raw;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string w = words[i];
    if (i % 7 == 0) w[0] = static_cast<char>(w[0] - 'a' + 'A');
    if (i % 3 == 0 && i % 3000 != 0) raw += ' ';
    raw += i % 3 == 0 ? "\xC2\xAB" : i % 3 == 1 ? ",\xE2\x80\x94" : "\xE2\x80\xA6";  // « ,— …
    raw += w;
    if (i % 3 == 2) raw += "\xC2\xBB";  // »
    if (i % 3000 == 2999) raw += '\n';
  }
  write_file(dir.file("raw.txt"), raw + "\n");
  auto clean = options("clean.bin");
  clean.save_vocab = dir.file("clean.vocab");
  clean.iter = 1;
  w2v::train(clean);
  auto o = options("full.bin");
  o.train = {dir.file("raw.txt")};
  o.normalize = true;
  o.save_vocab = dir.file("raw.vocab");
  o.deterministic = true;
  o.iter = 2;
  w2v::train(o);
  // The same words with the same counts (only </s>, the line count, differs).
  auto words_only = [](const std::string& v) { return v.substr(v.find('\n')); };
  CHECK(words_only(read_file(o.save_vocab)) == words_only(read_file(clean.save_vocab)));
  const std::string full = read_file(o.output);

  o.output = dir.file("part.bin");
  o.save_vocab.clear();
  int polls = 0;
  w2v::TrainHooks hooks;
  hooks.should_stop = [&] { return ++polls >= 37; };
  REQUIRE(w2v::train(o, hooks).interrupted);
  {
    w2v::Vocab vocab;
    w2v::Params params;
    w2v::Checkpoint state;
    w2v::load_checkpoint(o.checkpoint_path(), o, &vocab, &params, &state);
    bool any_skip = false;
    for (const auto& w : state.workers) any_skip = any_skip || w.skip > 0;
    CHECK(any_skip);  // the stop fell inside a glued word
    auto other = o;
    other.normalizer.yo_to_e = true;  // another normaliser is another run
    CHECK(contains(thrown<common::OptionError>([&] { w2v::load_checkpoint(o.checkpoint_path(), other, &vocab, &params, &state); }),
                   "--normalize"));
  }
  o.resume = true;
  w2v::train(o);
  CHECK(read_file(o.output) == full);
  auto bpe = o;
  bpe.tokenizer = dir.file("m.bpe");
  CHECK(contains(thrown<common::OptionError>([&] { bpe.validate(); }), "--normalize and --tokenizer"));
}

TEST_CASE_FIXTURE(Fixture, "a failure during training ends the run cleanly in both modes") {
  // A worker failing (a bad byte found only while training: the vocabulary
  // comes from -read-vocab), or a hook throwing: the error reaches the
  // caller, every thread is joined, and no vectors are written.
  auto o = options("vocab-run.bin");
  o.iter = 1;
  o.save_vocab = dir.file("vocab.txt");
  w2v::train(o);
  write_file(dir.file("bad.txt"), read_file(corpus) + "c0w1 caf\xE9\n");
  for (bool det : {false, true}) {
    CAPTURE(det);
    o = options("bad.bin");
    o.train = {dir.file("bad.txt")};
    o.read_vocab = dir.file("vocab.txt");
    o.deterministic = det;
    CHECK(contains(thrown<common::InputError>([&] { w2v::train(o); }), "bad.txt"));
    CHECK_FALSE(std::filesystem::exists(o.output));

    o = options("hook.bin");
    o.deterministic = det;
    o.iter = 2000;
    w2v::TrainHooks hooks;
    int polls = 0;
    hooks.should_stop = [&]() -> bool {
      if (++polls == 3) throw common::IoError("hook failed");
      return false;
    };
    CHECK(contains(thrown<common::IoError>([&] { w2v::train(o, hooks); }), "hook failed"));
    CHECK_FALSE(std::filesystem::exists(o.output));
  }
}
