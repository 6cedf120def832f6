// Word2Vec checkpoints read back exactly, and a damaged one is a FormatError
// that names the file, the problem and a real byte offset — never an
// allocation sized by garbage, never "offset -1".
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "common/errors.h"
#include "test_util.h"
#include "word2vec/checkpoint.h"

namespace {

struct Saved {
  w2v::TrainOptions opt;
  std::string path;
};

Saved save_small(const testutil::TempDir& dir) {
  Saved s;
  s.opt.train = {"corpus.txt"};
  s.opt.output = dir.file("v.bin");
  s.opt.size = 4;
  s.opt.threads = 2;
  s.path = dir.file("v.ckpt");
  auto vocab = w2v::Vocab::from_entries({{"</s>", 3}, {"a", 9}, {"b", 5}});
  w2v::Params p;
  p.syn0.resize(vocab.size(), 4);
  p.syn1neg.resize(vocab.size(), 4);
  for (std::size_t r = 0; r < vocab.size(); ++r)
    for (std::size_t j = 0; j < 4; ++j) p.syn0.row(r)[j] = static_cast<float>(r * 10 + j);
  w2v::Checkpoint c;
  c.corpus_fingerprint = "1 file(s), 10 bytes, content hash 0";
  c.words_done = 42;
  c.workers.resize(2);
  c.workers[1].position = 7;
  w2v::save_checkpoint(s.path, s.opt, vocab, p, c);
  return s;
}

std::string load_error(const Saved& s) {
  w2v::Vocab v;
  w2v::Params p;
  w2v::Checkpoint c;
  return testutil::thrown<common::Error>([&] { w2v::load_checkpoint(s.path, s.opt, &v, &p, &c); });
}

}  // namespace

TEST_CASE("a checkpoint reads back what was saved") {
  testutil::TempDir dir;
  const auto s = save_small(dir);
  w2v::Vocab v;
  w2v::Params p;
  w2v::Checkpoint c;
  w2v::load_checkpoint(s.path, s.opt, &v, &p, &c);
  CHECK(v.size() == 3);
  CHECK(c.words_done == 42);
  REQUIRE(c.workers.size() == 2);
  CHECK(c.workers[1].position == 7);
  CHECK(p.syn0.row(2)[3] == 23.f);
}

TEST_CASE("every truncation of a checkpoint is a FormatError with a real byte offset") {
  testutil::TempDir dir;
  const auto s = save_small(dir);
  const std::string whole = testutil::read_file(s.path);
  for (std::size_t cut = 0; cut < whole.size(); cut += 7) {
    testutil::write_file(s.path, whole.substr(0, cut));
    const auto msg = load_error(s);
    CAPTURE(cut);
    CHECK(msg.find("checkpoint '") == 0);
    CHECK(msg.find("offset -1") == std::string::npos);
    CHECK(msg.find("at byte offset ") != std::string::npos);
  }
}

TEST_CASE("a garbage vocabulary count or string length is refused before allocating for it") {
  testutil::TempDir dir;
  const auto s = save_small(dir);
  std::string bytes = testutil::read_file(s.path);
  // The fingerprint string follows the magic and the option signature; the
  // vocabulary count follows the fingerprint.
  const std::string fp = "1 file(s), 10 bytes, content hash 0";
  const auto at = bytes.find(fp);
  REQUIRE(at != std::string::npos);
  std::string huge = bytes;
  for (std::size_t i = 0; i < 8; ++i) huge[at + fp.size() + i] = static_cast<char>(i == 3 ? 0x7f : 0);  // 2^31-ish
  testutil::write_file(s.path, huge);
  CHECK(load_error(s).find("corrupt vocabulary size") != std::string::npos);
  std::string long_str = bytes;
  for (std::size_t i = 0; i < 8; ++i) long_str[at - 8 + i] = static_cast<char>(i == 4 ? 0x10 : 0);  // 2^36 bytes
  testutil::write_file(s.path, long_str);
  CHECK(load_error(s).find("corrupt string length") != std::string::npos);
}

TEST_CASE("a directory as checkpoint is named as such") {
  testutil::TempDir dir;
  auto s = save_small(dir);
  s.path = dir.path().string();
  CHECK(load_error(s).find("is a directory") != std::string::npos);
}
