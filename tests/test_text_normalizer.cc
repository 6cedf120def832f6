// The normaliser recorded beside vectors (PATH.json) and in an encoder's
// metadata, and the choice of a command's normaliser from those records and
// its options: agreement, disagreement, BPE vectors, stale records.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "encoder/model.h"
#include "encoder/safetensors.h"
#include "encoder/text_normalizer.h"
#include "encoder/train_setup.h"
#include "test_util.h"
#include "tokenizer/normalizer_choice.h"
#include "word2vec/trainer.h"
#include "word2vec/vectors_record.h"

using namespace testutil;
using tok::CaseMode;
using tok::NormalizerOptions;

namespace {

NormalizerOptions yo() {
  NormalizerOptions o;
  o.yo_to_e = true;
  return o;
}

// Small vectors trained on a raw Russian corpus, with or without --normalize.
std::string train_vectors(const TempDir& dir, const std::string& name, std::optional<NormalizerOptions> n) {
  if (!std::filesystem::exists(dir.file("raw.txt"))) {
    std::mt19937 rng(2);
    std::string text;
    const char* words[] = {"Мама", "мыла", "«раму»", "ЁЛКА,", "ёлка", "дом—окно"};
    for (int s = 0; s < 400; ++s) {
      for (int i = 0; i < 6; ++i) text += std::string(i ? " " : "") + words[rng() % 6];
      text += "\n";
    }
    write_file(dir.file("raw.txt"), text);
  }
  w2v::TrainOptions o;
  o.train = {dir.file("raw.txt")}, o.output = dir.file(name), o.size = 8, o.iter = 1, o.threads = 1, o.min_count = 1;
  o.normalize = n.has_value();
  if (n) o.normalizer = *n;
  w2v::train(o);
  return o.output;
}

}  // namespace

TEST_CASE("choosing a normaliser: records first, options must agree with them") {
  tok::NormalizerRequest none;
  CHECK(tok::choose_normalizer(none, {}) == NormalizerOptions{});
  CHECK(tok::choose_normalizer(none, {{"v.bin.json", std::nullopt}}) == NormalizerOptions{});  // records nothing: default
  tok::NormalizerRequest asked{yo(), {"--yo-to-e"}};
  CHECK(tok::choose_normalizer(asked, {{"old.bin", std::nullopt}}) == yo());  // nothing recorded: the options
  CHECK(tok::choose_normalizer(none, {{"m.safetensors", yo()}, {"v.bin.json", yo()}}) == yo());
  CHECK(tok::choose_normalizer(asked, {{"v.bin.json", yo()}}) == yo());  // given and agreeing
  NormalizerOptions fold;
  fold.case_mode = CaseMode::kFold;
  tok::NormalizerRequest fold_asked{fold, {"--case"}};
  // An option the request did not give does not count: only --case is compared.
  CHECK(contains(thrown<common::OptionError>([&] { tok::choose_normalizer(fold_asked, {{"v.bin.json", yo()}}); }),
                 "--case fold disagrees with the normaliser recorded in v.bin.json ('wordlens-normalizer 1 case=lower accents=strip yo=e"));
  tok::NormalizerRequest yo_and_fold{yo(), {"--yo-to-e"}};
  yo_and_fold.options.case_mode = CaseMode::kKeep;  // not given: ignored
  CHECK(tok::choose_normalizer(yo_and_fold, {{"v.bin.json", yo()}}) == yo());
  const auto msg = thrown<common::OptionError>([&] { tok::choose_normalizer(none, {{"m.safetensors", yo()}, {"v.bin.json", NormalizerOptions{}}}); });
  CHECK(contains(msg, "m.safetensors was made with the normaliser 'wordlens-normalizer 1 case=lower accents=strip yo=e hyphens=split', "
                      "v.bin.json with 'wordlens-normalizer 1 case=lower accents=strip yo=keep hyphens=split'"));
}

TEST_CASE("vectors record: written by train with the vectors, read back, stale or damaged") {
  spdlog::set_level(spdlog::level::err);
  TempDir dir;
  const auto plain = train_vectors(dir, "plain.bin", std::nullopt);
  const auto normal = train_vectors(dir, "norm.bin", yo());
  auto r = w2v::read_vectors_record(plain);
  REQUIRE(r);
  CHECK(!r->normalizer);
  CHECK(!r->bpe());
  CHECK(r->vectors_bytes == std::filesystem::file_size(plain));
  r = w2v::read_vectors_record(normal);
  REQUIRE(r);
  REQUIRE(r->normalizer);
  CHECK(*r->normalizer == yo());
  // Normalised on the fly: "ЁЛКА," and "ёлка" are one word, "дом—окно" two.
  const auto words = read_file(normal);
  CHECK(contains(words, "\nелка "));
  CHECK(contains(words, "\nокно "));
  CHECK(!contains(read_file(plain), "\nелка "));
  // JSON round trip, BPE records.
  w2v::VectorsRecord bpe;
  bpe.bpe_model = "m.bpe";
  bpe.vectors_bytes = 7;
  const auto back = w2v::VectorsRecord::from_json(bpe.to_json(), "x.json");
  CHECK(back.bpe_model == "m.bpe");
  CHECK(back.vectors_bytes == 7);
  CHECK(!back.normalizer);
  // A record of another file size (the vectors were replaced) is ignored.
  write_file(dir.file("replaced.bin"), read_file(plain) + "x");
  write_file(dir.file("replaced.bin.json"), read_file(plain + ".json"));
  CHECK(!w2v::read_vectors_record(dir.file("replaced.bin")));
  CHECK(!w2v::read_vectors_record(dir.file("none.bin")));
  write_file(dir.file("bad.bin"), "x");
  write_file(dir.file("bad.bin.json"), "{\"format\": \"wordlens-vectors-record 1\", \"normalizer\": \"wordlens-normalizer 1 case=up\"}");
  CHECK(contains(thrown<common::FormatError>([&] { w2v::read_vectors_record(dir.file("bad.bin")); }), "bad.bin.json"));
  write_file(dir.file("bad.bin.json"), "not json");
  CHECK(contains(thrown<common::FormatError>([&] { w2v::read_vectors_record(dir.file("bad.bin")); }), "not JSON"));
}

TEST_CASE("query normaliser: model metadata, vectors record, options, BPE vectors") {
  spdlog::set_level(spdlog::level::err);
  TempDir dir;
  const auto plain = train_vectors(dir, "plain.bin", std::nullopt);
  const auto normal = train_vectors(dir, "norm.bin", yo());
  tok::NormalizerRequest none;
  CHECK(*enc::query_normalizer(none, plain) == NormalizerOptions{});
  CHECK(*enc::query_normalizer(none, normal) == yo());
  CHECK(*enc::query_normalizer(none, dir.file("no-record.bin")) == NormalizerOptions{});
  // A model recording a normaliser, read from the header alone.
  enc::EncoderConfig c;
  c.vocab_size = 10, c.d_model = 8, c.n_heads = 2, c.n_layers = 1, c.d_ff = 16, c.max_len = 8;
  enc::Encoder m(c);
  m.init_random(1);
  m.extra_metadata()[enc::kNormalizerKey] = NormalizerOptions{}.spec();
  m.save(dir.file("m.safetensors"));
  CHECK(enc::read_safetensors_metadata(dir.file("m.safetensors")).at("normalizer") == NormalizerOptions{}.spec());
  CHECK(*enc::model_normalizer_record(dir.file("m.safetensors")).options == NormalizerOptions{});
  CHECK(*enc::query_normalizer(none, plain, dir.file("m.safetensors")) == NormalizerOptions{});
  CHECK(contains(thrown<common::OptionError>([&] { enc::query_normalizer(none, normal, dir.file("m.safetensors")); }),
                 "m.safetensors was made with the normaliser"));
  m.extra_metadata()[enc::kNormalizerKey] = "wordlens-normalizer 1 case=lower";
  m.save(dir.file("bad.safetensors"));
  CHECK(contains(thrown<common::FormatError>([&] { enc::query_normalizer(none, plain, dir.file("bad.safetensors")); }),
                 "metadata 'normalizer'"));
  // BPE vectors: queries as given; a normalisation option is refused, and so are sentences.
  write_file(dir.file("bpe.bin"), "1 1\na 0.5\n");
  w2v::VectorsRecord r;
  r.bpe_model = "m.bpe";
  r.vectors_bytes = std::filesystem::file_size(dir.file("bpe.bin"));
  write_file(dir.file("bpe.bin.json"), r.to_json());
  CHECK(!enc::query_normalizer(none, dir.file("bpe.bin")));
  CHECK(contains(thrown<common::OptionError>([&] { enc::query_normalizer({yo(), {"--yo-to-e"}}, dir.file("bpe.bin")); }),
                 "BPE model m.bpe"));
  CHECK(contains(thrown<common::OptionError>([&] { enc::sentence_normalizer(none, dir.file("bpe.bin")); }), "holds BPE tokens"));
}

TEST_CASE("encoder corpus normaliser: from the vectors' record or the options, none otherwise") {
  spdlog::set_level(spdlog::level::err);
  TempDir dir;
  enc::EncoderTrainOptions o;
  o.corpus = {dir.file("raw.txt")};
  o.vectors = train_vectors(dir, "plain.bin", std::nullopt);
  CHECK(!enc::corpus_normalizer(o));  // vectors of text read as it was: the corpus too
  o.normalizer = {yo(), {"--yo-to-e"}};
  CHECK(*enc::corpus_normalizer(o) == yo());
  o.vectors = train_vectors(dir, "norm.bin", yo());
  CHECK(*enc::corpus_normalizer(o) == yo());
  o.normalizer = {};
  CHECK(*enc::corpus_normalizer(o) == yo());
  o.normalizer = {NormalizerOptions{}, {"--case"}};
  o.normalizer.options.case_mode = CaseMode::kKeep;
  CHECK_THROWS_AS(enc::corpus_normalizer(o), common::OptionError);
  o.normalizer = {yo(), {"--yo-to-e"}};
  o.vectors.clear();
  o.tokenizer = "m.bpe";
  o.output = dir.file("m.safetensors");
  CHECK(contains(thrown<common::OptionError>([&] { o.validate(); }), "--yo-to-e normalises words"));
}
