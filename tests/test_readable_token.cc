// BPE tokens for people and BPE sentences for the encoder: the readable
// form (printable UTF-8 as itself, every other byte as its GPT-2 glyph), the
// model's text and fingerprint, and tok::encode_sentence's byte ranges that
// map words to their pieces.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "common/errors.h"
#include "common/utf8.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/bpe_sentence.h"
#include "tokenizer/bpe_trainer.h"
#include "tokenizer/byte_unicode.h"
#include "tokenizer/readable_token.h"
#include "test_util.h"

using namespace testutil;
using tok::readable_token;

namespace {

const std::string kRama = "\xD1\x80\xD0\xB0\xD0\xBC\xD0\xB0";  // рама

std::string glyph(unsigned char b) { return tok::bytes_to_shown(std::string(1, static_cast<char>(b))); }

// A model trained on a little Russian and English text.
tok::BpeModel small_model(const TempDir& dir) {
  std::string text;
  for (int i = 0; i < 40; ++i)
    text += "\xD0\xBC\xD0\xB0\xD0\xBC\xD0\xB0 \xD0\xBC\xD1\x8B\xD0\xBB\xD0\xB0 " + kRama + " the frame was a " + kRama + "\n";
  write_file(dir.file("ru.txt"), text);
  tok::BpeTrainOptions o;
  o.inputs = {dir.file("ru.txt")};
  o.vocab_size = 261 + 40;
  return tok::train_bpe(o, nullptr);
}

bool has_whitespace(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp;
    const std::size_t n = common::utf8_decode(p + i, s.size() - i, &cp);
    if (n == 0) return true;  // not even UTF-8
    if (common::is_ascii_space(static_cast<unsigned char>(cp < 0x80 ? cp : 'x')) || common::is_unicode_space(cp)) return true;
    i += n;
  }
  return false;
}

}  // namespace

TEST_CASE("readable tokens: printable UTF-8 as itself, other bytes as their glyph") {
  CHECK(tok::bytes_to_shown(" " + kRama) == "\xC4\xA0\xC3\x91\xC4\xA2\xC3\x90\xC2\xB0\xC3\x90\xC2\xBC\xC3\x90\xC2\xB0");  // ĠÑĢÐ°Ð¼Ð°
  CHECK(readable_token(" " + kRama) == "\xC4\xA0" + kRama);            // Ġрама
  CHECK(readable_token("the") == "the");
  CHECK(readable_token(" the\n") == "\xC4\xA0the\xC4\x8A");           // Ġ the Ċ
  CHECK(readable_token("\xD1") == "\xC3\x91");                          // a lone lead byte: Ñ
  CHECK(readable_token("\xD1\x80\xD0") == "\xD1\x80\xC3\x90");          // р then a cut character
  CHECK(readable_token("\x80\xB0") == glyph(0x80) + glyph(0xB0));       // continuation bytes alone
  CHECK(readable_token("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");      // 😀
  CHECK(readable_token("\xE6\x97\xA5") == "\xE6\x97\xA5");              // 日
  CHECK(readable_token("\xC2\xA0") == glyph(0xC2) + glyph(0xA0));       // no-break space: not shown as a space
  CHECK(readable_token("a\xE2\x80\x8B") == "a" + glyph(0xE2) + glyph(0x80) + glyph(0x8B));  // zero-width space
  CHECK(readable_token("\t\x01") == glyph('\t') + glyph(0x01));
  CHECK(readable_token("\xED\xA0\x80") == glyph(0xED) + glyph(0xA0) + glyph(0x80));  // surrogate: invalid
}

TEST_CASE("readable tokens never contain whitespace and are valid UTF-8, whatever the bytes") {
  std::mt19937 rng(17);
  std::uniform_int_distribution<int> byte(0, 255), len(1, 12);
  const std::string pool[] = {" ", "\n", "\xC2\xA0", "\xE3\x80\x80", kRama, "\xF0\x9F\x98\x80", "e\xCC\x81", "\xE2\x80\xA8"};
  for (int i = 0; i < 3000; ++i) {
    std::string b;
    for (int k = len(rng); k > 0; --k) {
      if (byte(rng) < 100) b += pool[static_cast<std::size_t>(byte(rng)) % 8];
      else b.push_back(static_cast<char>(byte(rng)));
    }
    const std::string r = readable_token(b);
    REQUIRE_MESSAGE(!has_whitespace(r), "bytes of size ", b.size());
    CHECK(common::utf8_valid(r));
  }
}

TEST_CASE("BPE model: readable tokens, text round trip and fingerprint") {
  TempDir dir;
  const auto model = small_model(dir);
  for (std::size_t id = 0; id < model.size(); ++id) {
    if (id < model.num_specials()) CHECK(model.token_readable(id) == model.token_shown(id));
    else CHECK(model.token_readable(id) == readable_token(model.token_bytes(id)));
  }
  const std::int32_t whole = model.find_shown(tok::bytes_to_shown(" " + kRama));
  REQUIRE(whole >= 0);  // " рама" is frequent enough to be one token
  CHECK(model.token_readable(static_cast<std::size_t>(whole)) == "\xC4\xA0" + kRama);

  const auto back = tok::BpeModel::from_text(model.to_text(), "embedded");
  CHECK(back.to_text() == model.to_text());
  CHECK(back.fingerprint() == model.fingerprint());
  CHECK(model.fingerprint().rfind("bpe:" + std::to_string(model.size()) + ":", 0) == 0);
  auto merges = model.merges();
  merges.pop_back();
  CHECK(tok::BpeModel(model.specials(), merges).fingerprint() != model.fingerprint());
  auto specials = model.specials();
  specials[0] = "[X]";
  CHECK(tok::BpeModel(specials, model.merges()).fingerprint() != model.fingerprint());
  std::string text = model.to_text();
  text.resize(text.size() / 2);
  CHECK_THROWS_WITH_AS(tok::BpeModel::from_text(text, "M (embedded)"), doctest::Contains("M (embedded):"), common::FormatError);
}

TEST_CASE("BPE sentence: each token's bytes are its range of the text, the leading space of a line excepted") {
  TempDir dir;
  const auto model = small_model(dir);
  const std::string text = "\xD0\xBC\xD0\xB0\xD0\xBC\xD0\xB0  " + kRama + "!\n\tthe frame\n\nzebra " + kRama;
  const tok::BpeSentence s = tok::encode_sentence(model, text);
  CHECK(s.text == text);  // raw text passes unchanged (tok::prepare_for_bpe)
  REQUIRE(s.ids.size() == s.spans.size());
  REQUIRE(!s.ids.empty());
  std::size_t covered = 0, at = 0;
  for (std::size_t k = 0; k < s.ids.size(); ++k) {
    const std::string& bytes = model.token_bytes(static_cast<std::size_t>(s.ids[k]));
    const std::string got = text.substr(s.spans[k].begin, s.spans[k].end - s.spans[k].begin);
    // A line's first token starts with the space every line gets; it is not in the text.
    CHECK((got == bytes || (bytes[0] == ' ' && got == bytes.substr(1))));
    CHECK(s.spans[k].begin >= at);
    at = s.spans[k].end;
    covered += got.size();
  }
  CHECK(covered + 3 == text.size());  // every byte but the three '\n'
  CHECK(tok::encode_sentence(model, " \t \n ").ids.empty());  // blank: no token
  CHECK(tok::encode_sentence(model, "").ids.empty());
}

TEST_CASE("BPE sentence: words found as typed and mapped to the pieces that overlap them") {
  TempDir dir;
  const auto model = small_model(dir);
  const std::string ramu = "\xD1\x80\xD0\xB0\xD0\xBC\xD1\x83";  // раму
  const std::string text = "\xD0\xBC\xD1\x8B\xD0\xBB\xD0\xB0 " + ramu + "\xD1\x88 " + ramu + ". the frame";
  const tok::ByteRange w = tok::find_word(text, ramu);
  CHECK(w.begin == text.find(ramu + "."));  // not inside "рамуш": a letter follows there
  CHECK(w.end == w.begin + ramu.size());
  CHECK(tok::find_word(text, "frame").begin == text.size() - 5);
  CHECK(tok::find_word(text, "fram").empty());
  CHECK(tok::find_word(text, "he").empty());   // inside "the": not at a word start
  CHECK(tok::find_word(text, "").empty());
  CHECK(tok::find_word("e\xCC\x81t\xC3\xA9", "e").empty());  // a combining mark continues the word

  const tok::ByteRange second = tok::whitespace_word(text, 2);
  CHECK(text.substr(second.begin, second.end - second.begin) == ramu + ".");
  CHECK(tok::whitespace_word("  a  bc ", 1).begin == 5);
  CHECK(tok::whitespace_word("a b", 2).empty());

  const tok::BpeSentence s = tok::encode_sentence(model, text);
  const tok::TokenRange r = tok::tokens_overlapping(s, w);
  REQUIRE(!r.empty());
  std::string pieces;
  for (std::size_t k = r.first; k < r.last; ++k) pieces += model.token_bytes(static_cast<std::size_t>(s.ids[k]));
  CHECK(pieces.find(ramu) != std::string::npos);                 // the word's bytes, all of them
  CHECK(pieces.find('.') == std::string::npos);                   // not the full stop after it
  CHECK(s.spans[r.first].begin <= w.begin);
  CHECK(s.spans[r.last - 1].end >= w.end);
  CHECK(tok::tokens_overlapping(s, {text.size(), text.size() + 3}).empty());
}
