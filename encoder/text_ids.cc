#include "encoder/text_ids.h"

#include "common/errors.h"
#include "tokenizer/bpe_sentence.h"

namespace enc {

TextIds::TextIds(const EncoderVocab& vocab, std::optional<tok::NormalizerOptions> normalizer, std::size_t max_len)
    : vocab_(vocab), max_len_(max_len) {
  if (max_len < 1) throw common::OptionError("max_len must be at least 1");
  if (vocab.is_bpe() && normalizer)
    throw common::OptionError("an encoder trained on BPE tokens reads raw text: no normaliser applies");
  if (!vocab.is_bpe() && !normalizer)
    throw common::OptionError("an encoder trained from word vectors needs the normaliser of its text");
  if (normalizer) norm_.emplace(*normalizer);
}

std::vector<std::int32_t> TextIds::ids(std::string_view line) {
  std::vector<std::int32_t> out = {vocab_.cls};
  if (vocab_.is_bpe()) {
    const auto bpe = tok::encode_sentence(*vocab_.bpe, line).ids;
    out.insert(out.end(), bpe.begin(), bpe.end());
  } else {
    words_.clear();
    norm_->append_tokens(line, &words_);
    for (const auto& w : words_) {
      std::int32_t id = vocab_.index.find(w);
      if (id <= 0 || id >= vocab_.unk) {  // not a word of the vectors ("</s>", id 0, is not a word either)
        id = vocab_.unk;
        ++stats_.unknown;
      }
      out.push_back(id);
    }
  }
  ++stats_.lines;
  stats_.tokens += out.size() - 1;
  if (out.size() == 1) ++stats_.empty;
  if (out.size() > max_len_) {
    ++stats_.truncated;
    stats_.dropped += out.size() - max_len_;
    out.resize(max_len_);
  }
  return out;
}

}  // namespace enc
