#include "tokenizer/normalizing_reader.h"

#include "common/errors.h"
#include "common/utf8.h"

namespace tok {

NormalizingReader::NormalizingReader(const common::CorpusFiles& files, std::uint64_t begin, std::uint64_t end,
                                     const NormalizerOptions& options)
    : reader_(files, begin, end, kMaxWordBytes), norm_(options), word_start_(begin) {}

// [a-z0-9]+ (and A-Z with --case keep) normalises to itself: no Normalizer call.
bool NormalizingReader::plain(std::string_view w) const {
  const bool keep = norm_.options().case_mode == CaseMode::kKeep;
  if (w.size() > TokenReader::kMaxTokenBytes) return false;
  for (const char c : w)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (keep && c >= 'A' && c <= 'Z'))) return false;
  return !w.empty();
}

TokenKind NormalizingReader::next(std::string_view* tok) {
  if (next_ < pending_.size()) {
    ++returned_;
    *tok = pending_[next_++];
    return TokenKind::kToken;
  }
  for (;;) {
    const std::uint64_t before = reader_.position();
    std::string_view w;
    const TokenKind kind = reader_.next(&w);
    pending_.clear();
    next_ = 0;
    if (kind != TokenKind::kToken) {
      word_start_ = reader_.position();
      returned_ = 0;
      return kind;
    }
    word_start_ = before;
    returned_ = 0;
    if (plain(w)) {
      returned_ = 1;
      *tok = w;
      return TokenKind::kToken;
    }
    try {
      norm_.append_tokens(w, &pending_);
    } catch (const TextError& e) {  // (TokenReader has refused invalid UTF-8 and NUL already)
      throw common::InputError("byte offset " + std::to_string(before) + " of the training input: " + e.what());
    }
    for (auto& t : pending_)
      if (t.size() > TokenReader::kMaxTokenBytes) t.resize(common::utf8_prefix_len(t, TokenReader::kMaxTokenBytes));
    if (pending_.empty()) continue;
    returned_ = 1;
    next_ = 1;
    *tok = pending_[0];
    return TokenKind::kToken;
  }
}

void NormalizingReader::seek(std::uint64_t pos, std::uint64_t skip) {
  reader_.seek(pos);
  pending_.clear();
  next_ = 0;
  word_start_ = pos;
  returned_ = 0;
  std::string_view tok;
  for (std::uint64_t i = 0; i < skip; ++i)
    if (next(&tok) != TokenKind::kToken) throw common::FormatError("checkpoint position lies beyond its word (corpus changed?)");
}

}  // namespace tok
