// word2vec/hot_rows.h: a worker's private copies of the heaviest Huffman
// nodes. Every change reaches the shared matrix (sync, flush), the batched
// hierarchical-softmax update through the copies is the update on the shared
// rows, and a threaded run publishes the copies before a checkpoint.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/aligned.h"
#include "common/errors.h"
#include "test_util.h"
#include "w2v_kernel_test_util.h"
#include "word2vec/batch_kernel.h"
#include "common/corpus_files.h"
#include "word2vec/checkpoint.h"
#include "word2vec/huffman.h"
#include "word2vec/sampling.h"
#include "word2vec/vocab.h"
#include "word2vec/hot_rows.h"
#include "word2vec/train_worker.h"
#include "word2vec/trainer.h"

using common::Matrix;
using w2vtest::copy_of;
using w2vtest::fill;

TEST_CASE("HotRows: every worker's change reaches the shared rows, one sync later for the others") {
  Matrix shared(6, 4);
  for (std::size_t r = 0; r < 6; ++r) shared.at(r, 0) = static_cast<float>(r);
  w2v::HotRows a(shared, 2, 5), b(shared, 2, 5);
  CHECK(a.row(1) == shared.row(1));  // not hot: the shared row itself
  CHECK(a.row(5) == shared.row(5));
  CHECK(a.row(3) != shared.row(3));
  CHECK(a.hot(2));
  CHECK_FALSE(a.hot(5));
  a.row(3)[0] += 1.f;
  b.row(3)[0] += 2.f;
  b.row(4)[1] = 7.f;
  CHECK(shared.at(3, 0) == 3.f);  // private until synced
  a.sync();
  CHECK(shared.at(3, 0) == 4.f);
  CHECK(b.row(3)[0] == 5.f);  // b has not seen a's change yet
  b.sync();
  CHECK(shared.at(3, 0) == 6.f);  // both changes, none lost
  CHECK(shared.at(4, 1) == 7.f);
  CHECK(b.row(3)[0] == 6.f);
  CHECK(a.row(3)[0] == 4.f);
  a.sync();
  CHECK(a.row(3)[0] == 6.f);
  CHECK(a.row(4)[1] == 7.f);
  // flush publishes and drops the copy: a later change of the shared rows
  // (a checkpoint loaded, an MPI sync) is what the next row() sees.
  a.row(2)[2] = 1.5f;
  a.flush();
  CHECK(shared.at(2, 2) == 1.5f);
  shared.at(2, 2) = -3.f;
  CHECK(a.row(2)[2] == -3.f);
  a.flush();
  CHECK(shared.at(2, 2) == -3.f);  // nothing changed, nothing added
  w2v::HotRows none(shared, 6, 6);
  CHECK(none.row(5) == shared.row(5));
  CHECK_FALSE(none.hot(5));
}

TEST_CASE("hierarchical-softmax batched update through HotRows equals the update on the shared rows") {
  std::mt19937 rng(5);
  const w2v::SigmoidTable sig;
  Matrix syn0(12, 100), syn1(12, 100);
  fill(syn0, rng, 0.5f);
  fill(syn1, rng, 0.5f);
  Matrix ref0 = copy_of(syn0), ref1 = copy_of(syn1);
  const std::vector<std::int32_t> inputs = {3, 7, 3, 11};
  const std::vector<std::int32_t> points = {10, 9, 6, 2, 4};  // 10, 9, 6 hot below
  const std::vector<std::uint8_t> code = {1, 0, 0, 1, 1};
  w2v::BatchScratch s1, s2;
  w2v::HotRows hot(syn1, 6, 11);
  for (int step = 0; step < 3; ++step) {
    const float l_ref = w2v::hs_batch_update(inputs.data(), 4, code, points, 0.05f, ref0, ref1, s1, sig);
    const float l_hot = w2v::hs_batch_update(inputs.data(), 4, code, points, 0.05f, syn0, syn1, s2, sig, &hot);
    CHECK(l_hot == l_ref);  // the copy holds exactly the rows the shared update would read
  }
  CHECK(syn1.at(10, 0) != ref1.at(10, 0));  // not published yet (the rows differ by three steps)
  hot.flush();
  double largest = 0;
  for (std::size_t r = 0; r < 12; ++r)
    for (std::size_t i = 0; i < 100; ++i) {
      largest = std::max(largest, std::abs(double(syn1.at(r, i)) - ref1.at(r, i)));
      CHECK(syn0.at(r, i) == ref0.at(r, i));
    }
  CHECK(largest < 1e-6);  // shared + (local - base) rounds once more than local
}

namespace {

// 3000 lines of 10 words w0..w39, low ids more frequent.
std::string write_corpus(const testutil::TempDir& dir) {
  std::mt19937 rng(3);
  std::string text;
  for (int line = 0; line < 3000; ++line) {
    for (int i = 0; i < 10; ++i) text.append("w").append(std::to_string(std::min(rng() % 40, rng() % 40))).append(" ");
    text += "\n";
  }
  testutil::write_file(dir.file("c.txt"), text);
  return dir.file("c.txt");
}

w2v::TrainOptions hs_batch_options(const std::string& corpus, const testutil::TempDir& dir) {
  w2v::TrainOptions o;
  o.train = {corpus};
  o.output = dir.file("v.bin");
  o.size = 16, o.window = 3, o.sample = 0, o.negative = 0, o.hs = 1, o.cbow = 0;
  o.threads = 2, o.iter = 2000, o.min_count = 1, o.update = w2v::Update::kBatch;
  return o;
}

bool all_zero(const Matrix& m, std::size_t rows) {
  for (std::size_t r = 0; r < rows; ++r)
    if (std::any_of(m.row(r), m.row(r) + m.cols(), [](float x) { return x != 0.f; })) return false;
  return true;
}

}  // namespace

TEST_CASE("a worker trains its hot nodes privately and flush_shared publishes them") {
  spdlog::set_level(spdlog::level::warn);
  testutil::TempDir dir;
  const auto o = hs_batch_options(write_corpus(dir), dir);
  REQUIRE(w2v::TrainWorker::hot_nodes(o) > 40);  // every inner node of 41 words is private
  auto no_hot = o;
  no_hot.deterministic = true;
  CHECK(w2v::TrainWorker::hot_nodes(no_hot) == 0);
  no_hot.deterministic = false, no_hot.threads = 1;
  CHECK(w2v::TrainWorker::hot_nodes(no_hot) == 0);
  no_hot.threads = 2, no_hot.hs = 0, no_hot.negative = 5;
  CHECK(w2v::TrainWorker::hot_nodes(no_hot) == 0);
  no_hot.hs = 1, no_hot.negative = 0, no_hot.private_nodes = 0;  // --private-nodes 0
  CHECK(w2v::TrainWorker::hot_nodes(no_hot) == 0);
  no_hot.private_nodes = -1;
  CHECK(testutil::contains(testutil::thrown<common::OptionError>([&] { no_hot.validate(); }), "--private-nodes must be between 0"));

  const common::CorpusFiles corpus(o.train);
  const auto vocab = w2v::Vocab::build(corpus, w2v::VocabOptions{1, 0, 1});
  REQUIRE(vocab.size() == 41);
  w2v::Params params;
  params.syn0.resize(vocab.size(), 16);
  params.syn1.resize(vocab.size(), 16);
  std::mt19937 rng(9);
  fill(params.syn0, rng, 0.03f);
  const w2v::HuffmanCodes huffman(vocab.counts());
  const w2v::Subsampler subsampler(vocab.counts(), vocab.train_words(), 0);
  const w2v::SigmoidTable sig;
  w2v::TrainShared shared{o, vocab, params, &huffman, nullptr, subsampler, sig, 2000 * vocab.train_words(), 0.025f,
                          {}, {}, {}, 0, 0, 0};
  w2v::WorkerState st;
  st.rng = 1, st.alpha = 0.025f;
  w2v::TrainWorker worker(shared, corpus, {0, corpus.total_bytes()}, st, nullptr);
  for (int i = 0; i < 50; ++i) REQUIRE(worker.step());  // 500 centre words: no sync (every 1000) yet
  CHECK(all_zero(params.syn1, vocab.size() - 1));     // syn1 starts at zero; the updates are private
  worker.flush_shared();
  CHECK_FALSE(all_zero(params.syn1, vocab.size() - 1));
  const Matrix published = copy_of(params.syn1);
  worker.flush_shared();  // nothing new: nothing added
  CHECK(w2vtest::same_bits(params.syn1, published));
}

TEST_CASE("a threaded hierarchical-softmax batched run publishes its private nodes before a checkpoint") {
  spdlog::set_level(spdlog::level::warn);
  testutil::TempDir dir;
  const auto o = hs_batch_options(write_corpus(dir), dir);
  REQUIRE(w2v::TrainWorker::hot_nodes(o) > 40);
  std::uint64_t words = 0;
  w2v::TrainHooks hooks;
  hooks.on_progress = [&](const w2v::TrainProgress& p) { words = p.words_this_run; };
  hooks.should_stop = [&] { return words > 0; };
  const auto r = w2v::train(o, hooks);
  REQUIRE(r.interrupted);
  w2v::Vocab vocab;
  w2v::Params params;
  w2v::Checkpoint ckpt;
  w2v::load_checkpoint(o.checkpoint_path(), o, &vocab, &params, &ckpt);
  REQUIRE(ckpt.words_done > 0);
  // syn1 starts at zero and every update of an inner node went to a private
  // copy: a node still zero in the checkpoint was not published.
  const std::size_t inner = vocab.size() - 1;
  REQUIRE(inner >= 39);
  for (std::size_t node = 0; node < inner; ++node) {
    CAPTURE(node);
    const float* row = params.syn1.row(node);
    CHECK(std::any_of(row, row + o.size, [](float x) { return x != 0.f; }));
  }
}
