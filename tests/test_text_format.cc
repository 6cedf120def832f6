// Counted nouns, shortest float text, the default thread count, and the
// "did you mean" suggestions of similar / analogy.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "common/text_format.h"
#include "tokenizer/word_suggestion.h"

TEST_CASE("plural: one sentence, two sentences, no sentences") {
  CHECK(common::plural(1, "sentence", "sentences") == "1 sentence");
  CHECK(common::plural(0, "sentence", "sentences") == "0 sentences");
  CHECK(common::plural(12, "sentence", "sentences") == "12 sentences");
}

TEST_CASE("shortest: floats in the shortest text that reads back as the same float") {
  CHECK(common::shortest(5e-4f) == "5e-4");
  CHECK(common::shortest(1e-5f) == "1e-5");
  CHECK(common::shortest(1e20) == "1e20");
  CHECK(common::shortest(0.001f) == "0.001");
  CHECK(common::shortest(0.025) == "0.025");
  CHECK(common::shortest(2.0f) == "2");
  for (float v : {5e-4f, 1e-5f, 0.1f, 1.0f / 3.0f, 3.4e38f, 1e-45f})
    CHECK(std::strtof(common::shortest(v).c_str(), nullptr) == v);
  for (double v : {0.025, 1e-3, 1.0 / 3.0}) CHECK(std::strtod(common::shortest(v).c_str(), nullptr) == v);
}

TEST_CASE("default_threads: at least one") { CHECK(common::default_threads() >= 1); }

TEST_CASE("loose_key and edit_distance") {
  CHECK(tok::loose_key("Whale") == "whale");
  CHECK(tok::loose_key("Éclair") == "eclair");
  CHECK(tok::loose_key("ＷＨＡＬＥ") == "whale");
  CHECK(tok::loose_key("Straße") == "strasse");
  CHECK(tok::edit_distance("whale", "whael") == 2);
  CHECK(tok::edit_distance("кошка", "кошко") == 1);  // code points, not bytes
  CHECK(tok::edit_distance("", "abc") == 3);
}

TEST_CASE("suggest_word: case, accents and compatibility forms first, then the most frequent near spelling") {
  const std::vector<std::string> words = {"</s>", "the", "Whale", "café", "whole", "elephant", "elegant", "Москва"};
  CHECK(tok::suggest_word("whale", words) == std::optional<std::string>("Whale"));   // case beats the nearer-looking 'whole'
  CHECK(tok::suggest_word("WHALE", words) == std::optional<std::string>("Whale"));
  CHECK(tok::suggest_word("cafe", words) == std::optional<std::string>("café"));
  CHECK(tok::suggest_word("москва", words) == std::optional<std::string>("Москва"));
  CHECK(tok::suggest_word("elephnat", words) == std::optional<std::string>("elephant"));  // 2 edits, 8 letters
  CHECK(tok::suggest_word("wholf", words) == std::optional<std::string>("whole"));      // 1 edit, 5 letters
  CHECK_FALSE(tok::suggest_word("thw", words));        // 3 letters: no edit-distance guess
  CHECK_FALSE(tok::suggest_word("zebra", words));      // nothing near
  CHECK_FALSE(tok::suggest_word("Whale", {"</s>", "Whale", "dog"}));  // never the query itself
}
