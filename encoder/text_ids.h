// Raw text lines turned into the token ids an encoder was trained on, the
// way training built its sequences (encoder/train_data.h): [CLS] first, then
// for an encoder trained from Word2Vec vectors the line's words through the
// model's normaliser (enc::sentence_normalizer), looked up in the vectors'
// vocabulary (unknown words are [UNK]); for an encoder trained on BPE tokens
// the raw line as BPE pieces (tok::encode_sentence, as `bpe encode` does).
// A sequence longer than max_len is cut to max_len ids (counted); a line
// without tokens gives [CLS] alone (counted).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "encoder/train_data.h"
#include "tokenizer/normalizer.h"

namespace enc {

struct TextIdStats {
  std::size_t lines = 0, tokens = 0, unknown = 0, truncated = 0, empty = 0;  // tokens: without [CLS]
  std::size_t dropped = 0;  // tokens left out by the cuts at max_len
};

class TextIds {
 public:
  // A word-level vocabulary needs the normaliser (OptionError without it);
  // a BPE vocabulary reads raw text and takes none (OptionError with one).
  TextIds(const EncoderVocab& vocab, std::optional<tok::NormalizerOptions> normalizer, std::size_t max_len);
  // [CLS] and the line's ids, at most max_len in all. Invalid UTF-8 in a
  // line for a word-level vocabulary throws tok::TextError (callers name the
  // file and line).
  std::vector<std::int32_t> ids(std::string_view line);
  const TextIdStats& stats() const { return stats_; }

 private:
  const EncoderVocab& vocab_;
  std::optional<tok::Normalizer> norm_;
  std::size_t max_len_;
  TextIdStats stats_;
  std::vector<std::string> words_;
};

}  // namespace enc
