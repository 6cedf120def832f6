// An encoder trained on BPE tokens at query time: the BPE model stored in
// its weights and checked (enc::bpe_vocab_for, query_vocab), pooling over
// a word's pieces, and the inspection views on pieces (readable labels,
// contextual neighbours among whole-word tokens).
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "common/errors.h"
#include "compare/inspect.h"
#include "encoder/model.h"
#include "encoder/model_vocab.h"
#include "encoder/pooling.h"
#include "tokenizer/bpe_sentence.h"
#include "tokenizer/bpe_trainer.h"
#include "tokenizer/byte_unicode.h"
#include "test_util.h"

using namespace testutil;

namespace {

const std::string kRama = "\xD1\x80\xD0\xB0\xD0\xBC\xD0\xB0";  // рама
const std::string kMama = "\xD0\xBC\xD0\xB0\xD0\xBC\xD0\xB0";  // мама

std::shared_ptr<const tok::BpeModel> train_model(const TempDir& dir, const std::string& name, std::size_t merges) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += kMama + " " + kRama + " the frame was a " + kRama + "\nthe mother and the frame\n";
  write_file(dir.file(name + ".txt"), text);
  tok::BpeTrainOptions o;
  o.inputs = {dir.file(name + ".txt")};
  o.vocab_size = 261 + merges;
  auto m = std::make_shared<const tok::BpeModel>(tok::train_bpe(o, nullptr));
  m->save(dir.file(name + ".bpe"));
  return m;
}

// An encoder over the model's tokens, as `encoder train --tokenizer` sets it up.
enc::Encoder bpe_encoder(const enc::EncoderVocab& vocab, std::size_t max_len = 32) {
  enc::EncoderConfig c;
  c.vocab_size = vocab.size, c.d_model = 8, c.n_heads = 2, c.n_layers = 2, c.d_ff = 16, c.max_len = max_len;
  enc::Encoder m(c);
  m.init_random(5);
  m.extra_metadata() = vocab.to_metadata();
  enc::embed_bpe_model(m, *vocab.bpe);
  return m;
}

double cosine(const float* a, const float* b, std::size_t d) {
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t j = 0; j < d; ++j) ab += double{a[j]} * b[j], aa += double{a[j]} * a[j], bb += double{b[j]} * b[j];
  return ab / std::sqrt(aa * bb);
}

}  // namespace

TEST_CASE("BPE encoder: the weights carry the BPE model, a different --tokenizer is refused") {
  TempDir dir;
  const auto bpe = train_model(dir, "m", 40);
  const auto other = train_model(dir, "other", 20);
  const auto vocab = enc::EncoderVocab::from_bpe(bpe);
  bpe_encoder(vocab).save(dir.file("enc.safetensors"));
  const auto model = enc::Encoder::load(dir.file("enc.safetensors"));
  CHECK(enc::trained_on_bpe(model));
  CHECK(model.extra_metadata().at(enc::kBpeModelKey) == bpe->to_text());

  const auto got = enc::bpe_vocab_for(model, "enc.safetensors", "");  // the weights alone
  REQUIRE(got.is_bpe());
  CHECK(got.bpe->fingerprint() == bpe->fingerprint());
  CHECK(got.fingerprint == vocab.fingerprint);
  CHECK(got.display(got.bpe->find_shown(tok::bytes_to_shown(" " + kRama))) == "\xC4\xA0" + kRama);
  CHECK(enc::bpe_vocab_for(model, "enc.safetensors", dir.file("m.bpe")).bpe->fingerprint() == bpe->fingerprint());
  CHECK_THROWS_WITH_AS(enc::bpe_vocab_for(model, "enc.safetensors", dir.file("other.bpe")),
                       doctest::Contains("is not the BPE model enc.safetensors was trained with"), common::OptionError);
  CHECK(enc::query_vocab(model, "enc.safetensors", "", "").is_bpe());
  CHECK_THROWS_WITH_AS(enc::query_vocab(model, "enc.safetensors", "v.bin", ""), doctest::Contains("leave out --vectors"),
                       common::OptionError);
  CHECK_THROWS_WITH_AS(enc::vocab_for(model, w2v::Embeddings{}, "v.bin", "enc.safetensors"),
                       doctest::Contains("trained on BPE tokens"), common::InputError);

  // Weights written before models were stored: --tokenizer is needed, and checked against the vocabulary.
  enc::Encoder old = enc::Encoder::load(dir.file("enc.safetensors"));
  old.extra_metadata().erase(enc::kBpeModelKey);
  old.extra_metadata().erase(enc::kBpeFingerprintKey);
  CHECK_THROWS_WITH_AS(enc::bpe_vocab_for(old, "old.safetensors", ""), doctest::Contains("give --tokenizer"),
                       common::InputError);
  CHECK(enc::bpe_vocab_for(old, "old.safetensors", dir.file("m.bpe")).fingerprint == vocab.fingerprint);
  CHECK_THROWS_WITH_AS(enc::bpe_vocab_for(old, "old.safetensors", dir.file("other.bpe")),
                       doctest::Contains("is not the one old.safetensors was trained with"), common::InputError);
  // A damaged embedded model is a format error, not a silent other vocabulary.
  enc::Encoder bad = enc::Encoder::load(dir.file("enc.safetensors"));
  bad.extra_metadata()[enc::kBpeFingerprintKey] = other->fingerprint();
  CHECK_THROWS_AS(enc::bpe_vocab_for(bad, "bad.safetensors", ""), common::FormatError);
}

TEST_CASE("BPE encoder: a word's vector is the mean of its pieces' hidden states") {
  TempDir dir;
  const auto vocab = enc::EncoderVocab::from_bpe(train_model(dir, "m", 10));  // few merges: words have several pieces
  auto model = bpe_encoder(vocab);
  const std::string text = kMama + " " + kRama + " the frame";
  const tok::BpeSentence s = tok::encode_sentence(*vocab.bpe, text);
  const tok::TokenRange r = tok::tokens_overlapping(s, tok::find_word(s.text, kRama));
  REQUIRE(r.last - r.first >= 2);
  const common::Matrix v = enc::pool_ranges(model, vocab, {s.ids, s.ids}, {r, {0, 1}}, 1);  // [2, 8]
  std::vector<std::int32_t> ids = {vocab.cls};
  ids.insert(ids.end(), s.ids.begin(), s.ids.end());
  const auto len = static_cast<std::int32_t>(ids.size());
  const float* h = model.forward(ids.data(), &len, 1, ids.size());  // [T, 8]
  for (std::size_t j = 0; j < 8; ++j) {
    double mean = 0;
    for (std::size_t k = r.first; k < r.last; ++k) mean += h[(k + 1) * 8 + j];
    CHECK(v.row(0)[j] == doctest::Approx(mean / static_cast<double>(r.last - r.first)).epsilon(1e-5));
    CHECK(v.row(1)[j] == doctest::Approx(h[8 + j]).epsilon(1e-5));
  }
  CHECK_THROWS_AS(enc::pool_ranges(model, vocab, {s.ids}, {{2, 2}}, 1), common::InputError);
  // Blank texts have no token: a zero sentence vector, counted.
  enc::PoolStats st;
  const common::Matrix m = enc::pool_sentences(model, vocab, enc::bpe_ids(vocab, {text, "  "}), enc::Pooling::kMean, 4, &st);
  CHECK(st.empty == 1);
  double norm = 0;
  for (std::size_t j = 0; j < 8; ++j) norm += std::fabs(m.row(1)[j]);
  CHECK(norm == 0);
}

TEST_CASE("BPE encoder: inspection shows readable pieces, neighbours are whole-word tokens") {
  TempDir dir;
  tok::Normalizer norm;  // for word vocabularies only: BPE reads the raw text
  const auto vocab = enc::EncoderVocab::from_bpe(train_model(dir, "m", 40));
  auto model = bpe_encoder(vocab);
  const cmp::InspectedTokens t = cmp::inspect_text(model, vocab, kMama + " " + kRama + ".", norm);
  REQUIRE(t.ids.size() == t.bpe.ids.size() + 1);
  CHECK(t.display[0] == "[CLS]");
  std::string shown;
  for (std::size_t k = 1; k < t.display.size(); ++k) shown += t.display[k];
  CHECK(shown == "\xC4\xA0" + kMama + "\xC4\xA0" + kRama + ".");  // readable: Cyrillic as itself
  CHECK(shown.find("\xC3\x91") == std::string::npos);            // never the shown form's Ñ

  const std::size_t top = 5, d = 8;
  const auto nb = cmp::context_neighbours_bpe(model, vocab, t, kRama, top);
  const tok::TokenRange r = tok::tokens_overlapping(t.bpe, tok::find_word(t.bpe.text, kRama));
  CHECK(nb.position == r.first);
  CHECK(nb.pieces == r.last - r.first);
  const auto whole = cmp::whole_word_tokens(vocab);
  REQUIRE(nb.static_hits.size() == top);
  REQUIRE(nb.contextual_hits.size() == top);
  const float* emb = cmp::embedding_matrix(model);
  for (const auto* hits : {&nb.static_hits, &nb.contextual_hits})
    for (const auto& h : *hits) {
      const std::string& bytes = vocab.bpe->token_bytes(static_cast<std::size_t>(h.id));
      CHECK(bytes.size() > 1);
      CHECK(bytes[0] == ' ');
      CHECK(std::find(whole.begin(), whole.end(), h.id) != whole.end());
      for (std::size_t k = r.first; k < r.last; ++k) CHECK(h.id != t.bpe.ids[k]);  // the word's own pieces left out
    }
  // Static: the best whole-word token for the mean of the word's input-embedding rows.
  std::vector<float> q(d, 0.f);
  for (std::size_t k = r.first; k < r.last; ++k)
    for (std::size_t j = 0; j < d; ++j) q[j] += emb[static_cast<std::size_t>(t.bpe.ids[k]) * d + j] / static_cast<float>(nb.pieces);
  double best = -2;
  for (const auto id : whole) {
    bool own = false;
    for (std::size_t k = r.first; k < r.last; ++k) own = own || id == t.bpe.ids[k];
    if (!own) best = std::max(best, cosine(emb + static_cast<std::size_t>(id) * d, q.data(), d));
  }
  CHECK(nb.static_hits[0].score == doctest::Approx(best).epsilon(1e-5));
  CHECK_THROWS_WITH_AS(cmp::context_neighbours_bpe(model, vocab, t, "frame", top), doctest::Contains("does not occur"),
                       common::InputError);
  CHECK_THROWS_AS(cmp::inspect_text(model, vocab, " \t ", norm), common::InputError);
  auto small = bpe_encoder(vocab, 3);
  CHECK_THROWS_WITH_AS(cmp::inspect_text(small, vocab, kMama + " " + kRama + " the frame", norm), doctest::Contains("at most 2"),
                       common::InputError);
  CHECK(cmp::inspect_text(small, vocab, kMama + " " + kRama + " the frame", norm, true).ids.size() == 3);
}
