// word2vec/id_cache.h: the corpus replayed as word ids from the second epoch
// on trains exactly as reading the text every epoch does, resumes from a
// checkpoint taken during replay, and gives up cleanly over its budget.
#include <doctest/doctest.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "common/errors.h"
#include "test_util.h"
#include "word2vec/id_cache.h"
#include "word2vec/train_options.h"
#include "word2vec/trainer.h"

using testutil::read_file;
using testutil::TempDir;
using testutil::write_file;

TEST_CASE("IdCache replays what it recorded and the reader positions of its sentence boundaries") {
  w2v::IdCache cache(1 << 20);
  CHECK_FALSE(cache.recording());
  cache.start_recording();
  REQUIRE(cache.recording());
  const std::vector<std::int32_t> events{5, 7, w2v::IdCache::kNewline, 0, 9, w2v::IdCache::kBreak, 3};
  for (std::size_t i = 0; i < events.size(); ++i) {
    cache.record(events[i]);
    if (events[i] == w2v::IdCache::kNewline) cache.record_boundary(100, 0);
    if (events[i] == w2v::IdCache::kBreak) cache.record_boundary(200, 4);
  }
  CHECK_FALSE(cache.complete());
  cache.finish_recording();
  REQUIRE(cache.complete());
  cache.rewind();
  CHECK(cache.replaying());
  CHECK(cache.position(42) == 42);  // no boundary yet: the range's beginning
  CHECK(cache.skip() == 0);
  std::vector<std::int32_t> replayed;
  for (std::int32_t e; (e = cache.next()) != w2v::IdCache::kEnd;) {
    replayed.push_back(e);
    if (e == w2v::IdCache::kNewline) {
      cache.replay_boundary();
      CHECK(cache.position(42) == 100);
    }
    if (e == w2v::IdCache::kBreak) {
      cache.replay_boundary();
      CHECK(cache.position(42) == 200);
      CHECK(cache.skip() == 4);
    }
  }
  CHECK(replayed == events);
  cache.rewind();  // and again, from the start
  CHECK(cache.next() == 5);
}

TEST_CASE("IdCache over its budget records nothing, then and later") {
  w2v::IdCache cache(64);  // 16 ids
  cache.start_recording();
  for (int i = 0; i < 100; ++i) cache.record(i);
  CHECK_FALSE(cache.recording());
  cache.finish_recording();
  CHECK_FALSE(cache.complete());
  CHECK(cache.bytes() == 0);
  cache.start_recording();  // the next epoch would not fit either
  CHECK_FALSE(cache.recording());
  w2v::IdCache off(0);  // --cache-mib 0
  off.start_recording();
  CHECK_FALSE(off.recording());
}

namespace {

void write_random_corpus(const std::string& path) {
  std::mt19937 rng(3);
  std::string text;
  for (int line = 0; line < 3000; ++line) {
    const int len = 1 + static_cast<int>(rng() % 15);
    for (int i = 0; i < len; ++i) {
      if (i) text += ' ';
      text += 'w';
      text += std::to_string(rng() % 200 + (rng() % 4 == 0 ? 1000 : 0));  // some rare words (min-count drops them)
    }
    text += '\n';
  }
  write_file(path, text);
}

}  // namespace

TEST_CASE("training from the id cache gives the same vectors as reading the text every epoch") {
  spdlog::set_level(spdlog::level::warn);
  TempDir dir;
  const std::string corpus = dir.file("c.txt");
  write_random_corpus(corpus);
  struct Variant {
    const char* name;
    int cbow, hs, negative;
    w2v::Update update;
  };
  for (const Variant& v : {Variant{"skip-gram", 0, 0, 5, w2v::Update::kPair}, Variant{"CBOW batched", 1, 0, 5, w2v::Update::kBatch},
                           Variant{"skip-gram HS batched", 0, 1, 0, w2v::Update::kBatch}}) {
    CAPTURE(v.name);
    std::vector<std::string> out;
    for (std::int64_t mib : {0, 256}) {
      w2v::TrainOptions o;
      o.train = {corpus};
      std::string name = "v";
      name.append(std::to_string(mib)).append(".bin");
      o.output = dir.file(name);
      o.size = 12, o.window = 3, o.sample = 1e-3, o.iter = 3, o.min_count = 3, o.threads = 3, o.binary = 1;
      o.cbow = v.cbow, o.hs = v.hs, o.negative = v.negative, o.update = v.update;
      o.deterministic = true;
      o.cache_mib = mib;
      const auto r = w2v::train(o);
      CHECK(r.words_trained == 3 * r.train_words);
      out.push_back(read_file(o.output));
    }
    CHECK(out[0] == out[1]);
  }
}

TEST_CASE("--cache-mib out of range is refused") {
  w2v::TrainOptions o;
  o.train = {"c.txt"};
  o.output = "v.bin";
  o.cache_mib = -1;
  CHECK(testutil::contains(testutil::thrown<common::OptionError>([&] { o.validate(); }), "--cache-mib must be between 0"));
}

TEST_CASE("from the second epoch on the text is not read again while the ids fit the cache") {
  // The corpus is overwritten (same length, every word now unknown) during the
  // second epoch: a run that reads the text sees it, a run from the cache not.
  spdlog::set_level(spdlog::level::warn);
  TempDir dir;
  const std::string corpus = dir.file("c.txt");
  std::vector<std::string> out;
  for (std::int64_t mib : {0, 256}) {
    for (bool overwrite : {false, true}) {
      write_random_corpus(corpus);
      w2v::TrainOptions o;
      o.train = {corpus};
      o.output = dir.file("v.bin");
      o.size = 12, o.window = 3, o.iter = 3, o.min_count = 3, o.threads = 3, o.binary = 1;
      o.deterministic = true;
      o.cache_mib = mib;
      int polls = 0;
      w2v::TrainHooks hooks;
      hooks.should_stop = [&] {  // once per round of a sentence per worker: 1000 rounds an epoch
        if (overwrite && ++polls == 1500) {
          std::string text = read_file(corpus);
          for (char& c : text)
            if (c == 'w') c = 'x';
          write_file(corpus, text);
        }
        return false;
      };
      w2v::train(o, hooks);
      out.push_back(read_file(o.output));
    }
  }
  CHECK(out[0] != out[1]);  // reading every epoch: the overwrite changed the training
  CHECK(out[2] == out[3]);  // from the cache: it did not
  CHECK(out[0] == out[2]);
}
