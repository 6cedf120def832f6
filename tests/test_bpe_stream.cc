// The parallel BPE stream encoder: its output equals a plain line-by-line
// encoding for every thread count, block size and long-line streaming
// threshold, in ids and shown form.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "common/errors.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/bpe_stream_encoder.h"
#include "tokenizer/bpe_trainer.h"
#include "tokenizer/readable_token.h"
#include "test_util.h"

using namespace testutil;

namespace {

std::string sample_text(std::mt19937& rng) {
  const std::vector<std::string> words = {"the", "cat", "sat", "on", "a", "mat", "über", "日本", "catalogue", "x"};
  std::string text;
  for (int line = 0; line < 300; ++line) {
    const int n = static_cast<int>(rng() % 12);
    for (int w = 0; w < n; ++w) text += (w ? " " : "") + words[rng() % words.size()];
    if (line % 37 == 5) text += "\t  \r";
    text += '\n';
  }
  text += std::string(3000, 'q') + " tail of a long line\n\n";  // a long line, then an empty one
  text += "no final newline";
  return text;
}

// The reference twin: one encoder, one line after another, joined plainly.
std::string reference_encode(const tok::BpeModel& model, const std::string& text, tok::BpeOutput form) {
  tok::BpeEncoder enc(model);
  std::string out;
  enc.encode_lines(text, [&](const std::vector<std::int32_t>& v) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ' ';
      const auto id = static_cast<std::size_t>(v[i]);
      out += form == tok::BpeOutput::kIds     ? std::to_string(v[i])
             : form == tok::BpeOutput::kShown ? model.token_shown(id)
                                              : tok::readable_token(model.token_bytes(id));
    }
    out += '\n';
  });
  return out;
}

std::string stream_encode(const tok::BpeModel& model, const std::string& text, const tok::BpeStreamOptions& o) {
  tok::BpeStreamEncoder enc(model, o);
  std::size_t pos = 0;
  std::string out;
  auto read = [&](char* buf, std::size_t n) {
    n = std::min<std::size_t>({n, text.size() - pos, 5000});  // short reads, as from a pipe
    std::copy_n(text.data() + pos, n, buf);
    pos += n;
    return n;
  };
  enc.encode(read, [&](std::string_view s) { out += s; });
  return out;
}

}  // namespace

TEST_CASE("BPE stream encoder: output identical to plain line-by-line encoding for any threads and block sizes") {
  std::mt19937 rng(11);
  TempDir dir;
  const std::string text = sample_text(rng);
  write_file(dir.file("in.txt"), text);
  tok::BpeTrainOptions to;
  to.inputs = {dir.file("in.txt")};
  to.vocab_size = 261 + 60;
  const auto model = tok::train_bpe(to, nullptr);
  for (auto form : {tok::BpeOutput::kIds, tok::BpeOutput::kShown, tok::BpeOutput::kReadable}) {
    const std::string expect = reference_encode(model, text, form);
    for (int threads : {1, 2, 3})
      for (std::size_t block : {std::size_t{7}, std::size_t{100}, std::size_t{1} << 20})
        for (std::size_t max_line : {std::size_t{16}, std::size_t{1000}, std::size_t{64} << 20}) {
          CAPTURE(static_cast<int>(form));
          CAPTURE(threads);
          CAPTURE(block);
          CAPTURE(max_line);
          tok::BpeStreamOptions o;
          o.threads = threads, o.output = form, o.block_bytes = block, o.max_line_bytes = max_line;
          REQUIRE(stream_encode(model, text, o) == expect);
        }
  }
  // From a file descriptor, twice with one encoder (state is reset).
  tok::BpeStreamOptions o;
  o.threads = 2, o.output = tok::BpeOutput::kIds;
  tok::BpeStreamEncoder enc(model, o);
  for (int round = 0; round < 2; ++round) {
    std::FILE* f = std::fopen(dir.file("in.txt").c_str(), "rb");
    REQUIRE(f);
    std::string out;
    enc.encode_fd(::fileno(f), "in.txt", [&](std::string_view s) { out += s; });
    std::fclose(f);
    CHECK(out == reference_encode(model, text, tok::BpeOutput::kIds));
  }
  CHECK(stream_encode(model, "", o).empty());
  o.threads = 0;
  CHECK_THROWS_AS(tok::BpeStreamEncoder(model, o), common::OptionError);
}

TEST_CASE("BPE stream encoder: a read error names the input") {
  tok::BpeModel model({"[PAD]"}, {});
  tok::BpeStreamEncoder enc(model, {});
  CHECK_THROWS_WITH_AS(enc.encode_fd(-1, "stdin", [](std::string_view) {}), doctest::Contains("cannot read stdin: "),
                       common::InputError);
}
