#include "compare/sentence_embedder.h"

#include <cmath>

#include "common/enum_names.h"
#include "common/errors.h"
#include "encoder/model_vocab.h"

namespace cmp {

namespace {

constexpr common::EnumNames<SentenceMethod, 8> kMethods{{{SentenceMethod::kAvg, "avg"},
                                                          {SentenceMethod::kSif, "sif"},
                                                          {SentenceMethod::kSifWeighted, "sif-weighted"},
                                                          {SentenceMethod::kEncoderMean, "encoder-mean"},
                                                          {SentenceMethod::kEncoderMeanNoCls, "encoder-mean-no-cls"},
                                                          {SentenceMethod::kEncoderCls, "encoder-cls"},
                                                          {SentenceMethod::kEncoderSif, "encoder-sif"},
                                                          {SentenceMethod::kEncoderSifWeighted, "encoder-sif-weighted"}}};

}  // namespace

std::string_view to_string(SentenceMethod m) { return common::enum_name(kMethods, m); }

SentenceMethod parse_sentence_method(std::string_view text, std::string_view what) {
  return common::parse_enum(kMethods, text, what);
}

std::string sentence_method_list() { return common::enum_list(kMethods); }

bool uses_encoder(SentenceMethod m) {
  return m != SentenceMethod::kAvg && m != SentenceMethod::kSif && m != SentenceMethod::kSifWeighted;
}

bool uses_counts(SentenceMethod m) {
  return m == SentenceMethod::kSif || m == SentenceMethod::kSifWeighted || m == SentenceMethod::kEncoderSif ||
         m == SentenceMethod::kEncoderSifWeighted;
}

bool removes_component(SentenceMethod m) { return m == SentenceMethod::kSif || m == SentenceMethod::kEncoderSif; }

enc::Pooling encoder_pooling(SentenceMethod m) {
  switch (m) {
    case SentenceMethod::kEncoderMeanNoCls: return enc::Pooling::kMeanNoCls;
    case SentenceMethod::kEncoderCls: return enc::Pooling::kCls;
    case SentenceMethod::kEncoderSif:
    case SentenceMethod::kEncoderSifWeighted: return enc::Pooling::kWeighted;
    default: return enc::Pooling::kMean;
  }
}

void SentenceEmbedderOptions::validate() const {
  const std::string m(to_string(method));
  // An encoder's vocabulary is checked when it is loaded (its vectors, or its own BPE model).
  if (!uses_encoder(method) && vectors.empty()) throw common::OptionError("--method " + m + " needs --vectors");
  if (!uses_encoder(method) && !tokenizer.empty())
    throw common::OptionError("--tokenizer goes with an encoder trained on BPE tokens (an encoder-* --method)");
  if (uses_encoder(method) && model.empty()) throw common::OptionError("--method " + m + " needs --model (encoder weights)");
  if (uses_counts(method) && vocab.empty())
    throw common::OptionError("--method " + m + " needs --vocab (word counts from train -save-vocab)");
  if (!uses_encoder(method) && layer.kind != enc::LayerChoice::Kind::kFinal)
    throw common::OptionError("--layer goes with an encoder method (--method " + m + " reads no encoder)");
  if (!(sif_a > 0) || !std::isfinite(sif_a)) throw common::OptionError("--sif-a must be a positive number");
  if (threads < 1) throw common::OptionError("--threads must be at least 1");
  if (batch < 1) throw common::OptionError("the encoder batch must be at least 1 sentence");
}

SentenceEmbedder::SentenceEmbedder(const SentenceEmbedderOptions& opt) : opt_(opt) {
  opt_.validate();
  if (uses_encoder(opt_.method)) {
    model_ = std::make_unique<enc::Encoder>(enc::Encoder::load(opt_.model));
    model_->set_threads(opt_.threads);
    vocab_ = enc::query_vocab(*model_, opt_.model, opt_.vectors, opt_.tokenizer);
    enc::check_layer_choice(*model_, opt_.layer);
    if (uses_counts(opt_.method)) token_weights_ = enc::sif_token_weights(vocab_, opt_.vocab, opt_.sif_a);
    return;
  }
  vectors_ = std::make_unique<w2v::Embeddings>(w2v::read_vectors(opt_.vectors));
  static_ = std::make_unique<w2v::SentenceVectors>(*vectors_);
  if (!opt_.vocab.empty()) static_->set_counts(opt_.vocab);
}

SentenceEmbedder::~SentenceEmbedder() = default;

common::Matrix SentenceEmbedder::embed(const std::vector<std::vector<std::string>>& sentences, EmbedStats* stats) {
  EmbedStats local;
  EmbedStats& st = stats ? *stats : local;
  if (model_) {
    if (reads_raw_text()) throw common::InputError("this encoder reads raw text (BPE tokens): use embed_text");
    return pool(enc::word_ids(vocab_, sentences), &st);
  }
  w2v::SentenceStats ss;
  const bool remove = opt_.method == SentenceMethod::kSif && opt_.sif_remove_component;
  auto m = opt_.method == SentenceMethod::kAvg ? static_->average(sentences, &ss)
           : remove                          ? static_->sif(sentences, opt_.sif_a, &ss)
                                             : static_->sif_weighted(sentences, opt_.sif_a, &ss);
  st.sentences = sentences.size(), st.empty = ss.empty, st.tokens = ss.tokens, st.known = ss.known;
  st.empty_rows = ss.empty_rows;
  return m;
}

common::Matrix SentenceEmbedder::embed_text(const std::vector<std::string>& sentences, EmbedStats* stats) {
  if (!reads_raw_text()) throw common::InputError("only an encoder trained on BPE tokens reads raw text: use embed");
  EmbedStats local;
  return pool(enc::bpe_ids(vocab_, sentences), stats ? stats : &local);
}

common::Matrix SentenceEmbedder::pool(const enc::TokenIds& ids, EmbedStats* stats) {
  enc::PoolStats ps;
  const enc::PoolSpec spec(encoder_pooling(opt_.method), opt_.layer, &token_weights_);
  auto m = enc::pool_sentences(*model_, vocab_, ids, spec, opt_.batch, &ps);
  if (removes_component(opt_.method) && opt_.sif_remove_component) w2v::remove_first_component(m);
  stats->sentences = ps.sentences, stats->empty = ps.empty, stats->truncated = ps.truncated;
  stats->empty_rows = ps.empty_rows;
  return m;
}

}  // namespace cmp
