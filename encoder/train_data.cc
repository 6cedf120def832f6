#include "encoder/train_data.h"

#include <cstdio>

#include "common/corpus_files.h"
#include "common/errors.h"
#include "common/stop_request.h"
#include "tokenizer/token_reader.h"
#include "tokenizer/word_table.h"

namespace enc {

namespace {
std::string fingerprint_of(const std::vector<std::string>& words, std::size_t n) {
  std::uint64_t h = 1469598103934665603ULL;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ tok::hash_bytes(words[i])) * 1099511628211ULL;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%zu:%016llx", n, static_cast<unsigned long long>(h));
  return buf;
}
}  // namespace

EncoderVocab EncoderVocab::from_vectors(const w2v::Embeddings& e) {
  EncoderVocab v;
  v.source = "vectors";
  v.words = e.words;
  const auto n = static_cast<std::int32_t>(e.words.size());
  v.fingerprint = fingerprint_of(e.words, e.words.size());
  v.unk = n, v.mask = n + 1, v.cls = n + 2, v.pad = 0, v.first_regular = 1;
  v.words.insert(v.words.end(), {"[UNK]", "[MASK]", "[CLS]"});
  v.size = v.words.size();
  for (const auto& w : v.words) v.index.insert(w);
  return v;
}

EncoderVocab EncoderVocab::from_bpe(std::shared_ptr<const tok::BpeModel> model) {
  const tok::BpeModel& m = *model;
  EncoderVocab v;
  v.source = "bpe";
  v.bpe = std::move(model);
  for (std::size_t i = 0; i < m.size(); ++i) v.words.push_back(m.token_shown(i));
  v.fingerprint = fingerprint_of(v.words, v.words.size());
  auto need = [&](const char* s) {
    auto id = m.find_shown(s);
    if (id < 0 || static_cast<std::size_t>(id) >= m.num_specials())
      throw common::InputError(std::string("the BPE model has no special token ") + s + " (train it with --special)");
    return id;
  };
  v.pad = need("[PAD]"), v.unk = need("[UNK]"), v.cls = need("[CLS]"), v.mask = need("[MASK]");
  v.first_regular = static_cast<std::int32_t>(m.num_specials());
  v.size = m.size();
  for (const auto& w : v.words) v.index.insert(w);
  return v;
}

std::map<std::string, std::string> EncoderVocab::to_metadata() const {
  return {{"vocab_source", source},          {"vocab_fingerprint", fingerprint}, {"pad_id", std::to_string(pad)},
          {"unk_id", std::to_string(unk)},   {"cls_id", std::to_string(cls)},    {"mask_id", std::to_string(mask)},
          {"first_regular_id", std::to_string(first_regular)}};
}

Sequences read_sequences(const std::vector<std::string>& corpus, const EncoderVocab& vocab,
                         const tok::BpeModel* bpe, std::size_t max_len, DataStats* stats,
                         const tok::NormalizerOptions* normalize) {
  if (max_len < 2) throw common::OptionError("--max-len must be at least 2 ([CLS] and one token)");
  common::CorpusFiles files(corpus);
  const auto& index = vocab.index;
  auto reader = tok::make_token_source(files, 0, files.total_bytes(), bpe, normalize);
  Sequences out;
  out.offsets.push_back(0);
  DataStats st;
  st.corpus_fingerprint = files.fingerprint();
  std::size_t in_line = 0;  // tokens of the current line so far
  auto close = [&] {
    if (out.tokens.size() > out.offsets.back()) out.offsets.push_back(out.tokens.size());
  };
  std::string_view tok;
  for (;;) {
    const auto kind = reader->next(&tok);
    if (kind == tok::TokenKind::kEnd) break;
    if (kind != tok::TokenKind::kToken) {
      if (in_line > 0) ++st.lines;
      close();
      in_line = 0;
      continue;
    }
    if (out.tokens.size() - out.offsets.back() >= max_len) {  // split a long line
      close();
      ++st.splits;
    }
    if (out.tokens.size() == out.offsets.back()) out.tokens.push_back(vocab.cls);
    std::int32_t id = index.find(tok);
    if (id < 0 || (bpe == nullptr && id == 0)) {  // "</s>" is not a word
      id = vocab.unk;
      ++st.unknown;
    }
    out.tokens.push_back(id);
    ++st.tokens;
    ++in_line;
    if ((st.tokens & 0xFFFF) == 0) common::throw_if_stop_requested("reading the training corpus");
  }
  if (in_line > 0) ++st.lines;
  close();
  st.sequences = out.size();
  if (st.tokens == 0) throw common::InputError("the training corpus has no tokens");
  if (stats) *stats = st;
  return out;
}

std::vector<std::int32_t> to_ids(const EncoderVocab& vocab, const std::vector<std::string>& words) {
  std::vector<std::int32_t> ids = {vocab.cls};
  for (const auto& w : words) {
    auto id = vocab.index.find(w);
    ids.push_back(id < 0 ? vocab.unk : id);
  }
  return ids;
}

}  // namespace enc
