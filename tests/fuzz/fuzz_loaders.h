// How each fuzz target drives its loader, shared by the targets
// (fuzz_<name>.cc) and the regression test of the inputs that once crashed
// them (tests/test_fuzz_regressions.cc): write the input where the loader
// reads it, call the loader, check what it returned. A common::Error
// propagates (a clean refusal); a broken invariant aborts.
#pragma once

#include <algorithm>
#include <vector>

#include "compare/lee.h"
#include "compare/sentence_index.h"
#include "compare/sts.h"
#include "compare/wic.h"
#include "compare/wsi.h"
#include "compare/wsi_score.h"
#include "encoder/mlm.h"
#include "encoder/model.h"
#include "encoder/train_checkpoint.h"
#include "fuzz_util.h"
#include "tokenizer/bpe_model.h"
#include "word2vec/checkpoint.h"
#include "word2vec/vectors_io.h"
#include "word2vec/vocab.h"

namespace fuzz {

using Loader = void (*)(const std::uint8_t* data, std::size_t size);

// w2v::read_vectors: word2vec text and binary, fastText .vec.
inline void load_vectors(const std::uint8_t* data, std::size_t size) {
  const w2v::Embeddings e = w2v::read_vectors(input_file(data, size, "input.vec"));
  if (e.words.size() != e.vectors.rows() || e.words.empty()) invariant_failed("one word per row, at least one");
}

// cmp::read_sentence_index: a sentence index (wordlens index); the files it
// names are not opened.
inline void load_sentence_index(const std::uint8_t* data, std::size_t size) {
  const cmp::SentenceIndex idx = cmp::read_sentence_index(input_file(data, size, "input.idx"));
  if (idx.unit.rows() != idx.meta.rows || idx.offsets.size() != idx.meta.rows + 1 || idx.unit.cols() != idx.meta.dim)
    invariant_failed("rows, offsets and dimension agree with the metadata");
  if (idx.zero_rows.size() != idx.meta.empty) invariant_failed("the zero rows are the metadata's empty lines");
}

// enc::Encoder::load, then, for a small model, one forward pass over a few
// valid ids. The input is a file or in header form (safetensors_file).
inline void load_safetensors(const std::uint8_t* data, std::size_t size) {
  enc::Encoder model = enc::Encoder::load(safetensors_file(data, size, "input.safetensors"));
  const enc::EncoderConfig& c = model.config();
  // The forward's caches grow with d_model and d_ff (times T = 3 tokens).
  if (model.params().count() >= 20'000'000 || c.d_model > 4096 || c.d_ff > 16384) return;
  const std::size_t seq = std::min<std::size_t>(3, c.max_len);
  std::vector<std::int32_t> ids(seq), lengths{static_cast<std::int32_t>(seq)};
  for (std::size_t t = 0; t < seq; ++t) ids[t] = static_cast<std::int32_t>(t % c.vocab_size);
  if (!model.forward(ids.data(), lengths.data(), 1, seq)) invariant_failed("forward returns the hidden states");
}

// tok::BpeModel::load, then encoding a fixed UTF-8 text, which must decode
// back to itself.
inline void load_bpe_model(const std::uint8_t* data, std::size_t size) {
  static constexpr std::string_view kText =
      "The quick brown fox, \xC3\xA9t\xC3\xA9 \xE2\x80\x94 \xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 "
      "\xE6\x97\xA5\xE6\x9C\xAC 123 don't  \xF0\x9F\x98\x80!\nsecond line\tend";
  const tok::BpeModel model = tok::BpeModel::load(input_file(data, size, "input.bpe"));
  tok::BpeEncoder encoder(model);
  std::string decoded;
  bool first = true;
  encoder.encode_lines(kText, [&](const std::vector<std::int32_t>& ids) {
    for (auto id : ids)
      if (id < 0 || static_cast<std::size_t>(id) >= model.size()) invariant_failed("ids within the vocabulary");
    if (!first) decoded += '\n';
    decoded += tok::bpe_decode_line(model, ids);
    first = false;
  });
  if (decoded != kText) invariant_failed("decode(encode(text)) == text");
}

// w2v::load_checkpoint with the options of the seed checkpoint
// (scripts/make_fuzz_seeds.sh trains with these flags).
inline void load_w2v_checkpoint(const std::uint8_t* data, std::size_t size) {
  // -size 4 -window 2 -sample 0 -hs 1 -negative 2 -threads 1 -iter 1 -min-count 1 -cbow 0 --deterministic
  static const w2v::TrainOptions opt = [] {
    w2v::TrainOptions o;
    o.size = 4, o.window = 2, o.sample = 0, o.hs = 1, o.negative = 2, o.threads = 1, o.iter = 1;
    o.min_count = 1, o.cbow = 0, o.deterministic = true;
    return o;
  }();
  w2v::Vocab vocab;
  w2v::Params params;
  w2v::Checkpoint state;
  w2v::load_checkpoint(input_file(data, size, "input.ckpt"), opt, &vocab, &params, &state);
  if (params.syn0.rows() != vocab.size() || params.syn1.rows() != vocab.size() ||
      params.syn1neg.rows() != vocab.size() || state.workers.size() != 1)
    invariant_failed("matrices match the vocabulary, one worker");
}

// enc::read_train_checkpoint into the model and AdamW state of the seed
// checkpoint's run. scripts/make_fuzz_seeds.sh makes that checkpoint in a
// directory holding v.bin (4-dimensional vectors of </s> and 12 words) with
//   wordlens encoder train --corpus c.txt --vectors v.bin --output m.safetensors --layers 1
//     --heads 2 --ffn-mult 2 --max-len 8 --batch-tokens 64 --steps 2 --warmup 1 --threads 1
//     --checkpoint-every 1
// and the options below must give the same train_signature. The input is a
// file or in header form (safetensors_file).
inline void load_encoder_checkpoint(const std::uint8_t* data, std::size_t size) {
  static const enc::ResumeKey key = [] {
    enc::EncoderTrainOptions o;
    o.corpus = {"c.txt"}, o.vectors = "v.bin", o.output = "m.safetensors";
    o.layers = 1, o.heads = 2, o.ffn_mult = 2, o.max_len = 8, o.batch_tokens = 64, o.steps = 2, o.warmup = 1;
    o.threads = 1, o.checkpoint_every = 1;
    // The seeds carry these fingerprints in place of the real ones
    // (make_fuzz_seeds.sh), so that they pass the key check.
    return enc::ResumeKey{enc::train_signature(o), "fuzz-vocab", "fuzz-corpus"};
  }();
  static enc::Encoder model = [] {
    enc::EncoderConfig c;
    // The 13 rows of v.bin ([PAD] is </s>), then [UNK] [MASK] [CLS].
    c.vocab_size = 16, c.d_model = 4, c.n_heads = 2, c.n_layers = 1, c.d_ff = 8, c.max_len = 8;
    c.final_norm = true;
    return enc::Encoder(c);
  }();
  static enc::AdamW adam(model.params().total());
  enc::read_train_checkpoint(safetensors_file(data, size, "input.ckpt"), key, model, adam);
}

// w2v::Vocab::read (word2vec.c's -save-vocab format) with a min-count and a
// cap on the vocabulary.
inline void load_vocab(const std::uint8_t* data, std::size_t size) {
  const w2v::VocabOptions opt{2, 5};
  const w2v::Vocab v = w2v::Vocab::read(input_file(data, size, "input.vocab"), opt);
  if (v.size() < 2 || v.size() > 5 || v.word(0) != w2v::kEos) invariant_failed("</s> first, then 1 to 4 words");
}

// cmp::read_sts (STS-Benchmark's tab-separated files).
inline void load_sts(const std::uint8_t* data, std::size_t size) {
  const cmp::StsData d = cmp::read_sts(input_file(data, size, "input.csv"));
  const std::size_t n = d.gold.size();
  if (n < 2 || d.s1.size() != n || d.s2.size() != n || d.genre.size() != n)
    invariant_failed("one genre, pair and score per line");
}

// cmp::read_wic on a directory made from the input: its parts (split at
// kSeparator) are train.data.txt, train.gold.txt, dev.data.txt and
// dev.gold.txt, in that order.
inline void load_wic(const std::uint8_t* data, std::size_t size) {
  const std::string dir = input_dir(data, size, {"train.data.txt", "train.gold.txt", "dev.data.txt", "dev.gold.txt"});
  for (const cmp::WicSplit& s : cmp::read_wic(dir))
    for (const cmp::WicItem& it : s.items)
      if (it.p1 >= it.t1.size() || it.p2 >= it.t2.size()) invariant_failed("positions inside the sentences");
}

// cmp::read_lee on a directory made from the input: its parts (split at
// kSeparator) are lee.cor and similarities0-1.txt.
inline void load_lee(const std::uint8_t* data, std::size_t size) {
  const cmp::LeeData d = cmp::read_lee(input_dir(data, size, {"lee.cor", "similarities0-1.txt"}));
  if (d.size() < 3 || d.human.size() != d.size() * d.size()) invariant_failed("an n x n matrix, n >= 3");
}

// cmp::read_wsi (RUSSE 2018 word sense induction files), then
// cmp::prepare_wsi with a tokenizer of space-separated tokens.
inline void load_wsi(const std::uint8_t* data, std::size_t size) {
  const cmp::WsiData d = cmp::read_wsi(input_file(data, size, "input.tsv"));
  for (const cmp::WsiContext& c : d.contexts)
    if (!(c.begin < c.end && c.end <= c.context.size())) invariant_failed("a non-empty target range inside the context");
  auto spaces = [](std::string_view raw) {
    std::vector<cmp::TextToken> out;
    for (std::size_t i = 0, j; i < raw.size(); i = j + 1) {
      j = std::min(raw.find(' ', i), raw.size());
      if (j > i) out.push_back({std::string(raw.substr(i, j - i)), i, j});
    }
    return out;
  };
  const cmp::WsiPrepared p = cmp::prepare_wsi(d, spaces);
  for (std::size_t i = 0; i < p.contexts(); ++i)
    if (p.target[i] >= p.tokens[i].size()) invariant_failed("the target token inside its context");
}

// The body of every LLVMFuzzerTestOneInput.
inline int run(Loader load, const std::uint8_t* data, std::size_t size) {
  try {
    load(data, size);
  } catch (const common::Error& e) {
    refused(e);
  }
  return 0;
}

}  // namespace fuzz
