#include "encoder/train_setup.h"

#include <cstring>
#include <string>

#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "common/text_format.h"
#include "encoder/model_vocab.h"
#include "encoder/text_normalizer.h"
#include "word2vec/vectors_record.h"

namespace enc {

namespace {

// The model MLM pre-training starts from: random, with the embeddings of
// the vectors unless --random-init.
Encoder new_model(const EncoderTrainOptions& opt, const EncoderVocab& vocab, const w2v::Embeddings& vec, std::size_t d) {
  EncoderConfig cfg;
  cfg.vocab_size = vocab.size, cfg.d_model = d, cfg.n_heads = opt.heads, cfg.n_layers = opt.layers;
  cfg.d_ff = opt.ffn_mult * d, cfg.max_len = opt.max_len, cfg.norm_first = opt.norm_first;
  cfg.activation = opt.activation, cfg.positional = opt.positional, cfg.attention_window = opt.window;
  cfg.final_norm = opt.norm_first;
  Encoder model(cfg);
  model.init_random(opt.seed);
  if (!opt.vectors.empty() && !opt.random_init)
    for (std::size_t w = 0; w < vec.words.size(); ++w)
      std::memcpy(model.params().data(0) + w * d, vec.vectors.row(w), d * sizeof(float));
  model.extra_metadata() = vocab.to_metadata();
  if (vocab.bpe) embed_bpe_model(model, *vocab.bpe);  // the weights alone are enough at query time
  model.extra_metadata()["init"] = opt.vectors.empty() ? "random" : opt.random_init ? "random" : "vectors";
  return model;
}

// A given shape option must agree with the --init model ("--layers 4: the
// --init model m.safetensors has n_layers 2").
void agree(bool given, bool same, const std::string& option, const std::string& model_has, const std::string& path) {
  if (!given || same) return;
  throw common::OptionError(option + ": the --init model " + path + " has " + model_has +
                            " (--objective simcse keeps the model's shape: leave the option out)");
}

std::string n(std::size_t x) { return std::to_string(x); }

}  // namespace

void check_given_shape(const EncoderTrainOptions& opt, const EncoderConfig& c, const std::string& path) {
  const GivenShape& g = opt.given;
  agree(g.dim, opt.dim == c.d_model, "--dim " + n(opt.dim), "d_model " + n(c.d_model), path);
  agree(g.layers, opt.layers == c.n_layers, "--layers " + n(opt.layers), "n_layers " + n(c.n_layers), path);
  agree(g.heads, opt.heads == c.n_heads, "--heads " + n(opt.heads), "n_heads " + n(c.n_heads), path);
  const std::string ffn = c.d_ff % c.d_model ? " with d_model " : " = " + n(c.d_ff / c.d_model) + " x d_model ";
  agree(g.ffn_mult, opt.ffn_mult * c.d_model == c.d_ff, "--ffn-mult " + n(opt.ffn_mult), "d_ff " + n(c.d_ff) + ffn + n(c.d_model),
        path);
  agree(g.window, opt.window == c.attention_window, "--window " + n(opt.window),
        "attention_window " + n(c.attention_window), path);
  agree(g.post_norm, opt.norm_first == c.norm_first, "--post-norm", "pre-norm layers", path);
  agree(g.activation, opt.activation == c.activation, "--activation " + std::string(to_string(opt.activation)),
        "activation " + std::string(to_string(c.activation)), path);
  agree(g.positional, opt.positional == c.positional, "--positional " + std::string(to_string(opt.positional)),
        "positional " + std::string(to_string(c.positional)), path);
}

namespace {

// The vocabulary and the model (new, or the --init model under simcse).
TrainModel vocab_and_model(const EncoderTrainOptions& opt) {
  if (opt.objective == ObjectiveKind::kSimcse) {
    Encoder model = Encoder::load(opt.init);
    check_given_shape(opt, model.config(), opt.init);
    // The MLM model's vocabulary, checked: its vectors, or its own BPE model.
    EncoderVocab vocab = query_vocab(model, opt.init, opt.vectors, opt.tokenizer);
    if (vocab.bpe) embed_bpe_model(model, *vocab.bpe);  // also into weights written before models were embedded
    model.extra_metadata()["objective"] = std::string(to_string(opt.objective));
    if (opt.max_len > model.config().max_len)
      throw common::OptionError("--max-len " + std::to_string(opt.max_len) + " exceeds the model's max_len " +
                                std::to_string(model.config().max_len));
    return {std::move(vocab), std::move(model), std::nullopt};
  }
  EncoderVocab vocab;
  w2v::Embeddings vec;
  std::size_t d = opt.dim;
  if (!opt.vectors.empty()) {
    vec = w2v::read_vectors(opt.vectors);
    vocab = EncoderVocab::from_vectors(vec);
    d = vec.vectors.cols();
    if (opt.given.dim && opt.dim != d)  // d_model is the vectors' size: a different --dim is not silently dropped
      throw common::OptionError("--dim " + n(opt.dim) + ": the vectors " + opt.vectors + " have " + n(d) +
                                " dimensions, which is d_model with --vectors (leave --dim out, or train vectors with -size " +
                                n(opt.dim) + ")");
  } else {
    vocab = EncoderVocab::from_bpe(std::make_shared<const tok::BpeModel>(tok::BpeModel::load(opt.tokenizer)));
  }
  Encoder model = new_model(opt, vocab, vec, d);
  model.extra_metadata()["objective"] = std::string(to_string(opt.objective));
  return {std::move(vocab), std::move(model), std::nullopt};
}

}  // namespace

std::optional<tok::NormalizerOptions> corpus_normalizer(const EncoderTrainOptions& opt) {
  if (!opt.tokenizer.empty()) return std::nullopt;  // BPE reads raw text (validate() refuses normalisation options)
  std::vector<tok::NormalizerRecord> records;
  if (opt.objective == ObjectiveKind::kSimcse && !opt.init.empty()) records.push_back(model_normalizer_record(opt.init));
  if (!opt.vectors.empty()) {
    const auto r = w2v::read_vectors_record(opt.vectors);
    if (r && r->bpe()) throw common::OptionError(opt.vectors + " holds BPE tokens: train the encoder with --tokenizer " + r->bpe_model);
    if (r) records.push_back(r->normalizer_record(w2v::record_path(opt.vectors)));
  }
  bool recorded = false;
  for (const auto& r : records) recorded = recorded || r.options.has_value();
  if (!recorded && opt.normalizer.given.empty()) return std::nullopt;
  return tok::choose_normalizer(opt.normalizer, records);
}

TrainModel setup_model(const EncoderTrainOptions& opt) {
  auto normalizer = corpus_normalizer(opt);
  TrainModel tm = vocab_and_model(opt);
  tm.normalizer = normalizer;
  if (normalizer) {
    tm.model.extra_metadata()[kNormalizerKey] = normalizer->spec();
    spdlog::info("corpus normalised on the fly: {}", normalizer->spec());
  } else {
    tm.model.extra_metadata().erase(kNormalizerKey);
  }
  return tm;
}


TrainData split_data(const EncoderTrainOptions& opt, const TrainModel& m) {
  TrainData t;
  t.data = read_sequences(opt.corpus, m.vocab, m.vocab.bpe.get(), opt.max_len, &t.stats, m.normalizer ? &*m.normalizer : nullptr);
  t.n_valid = static_cast<std::size_t>(static_cast<double>(t.data.size()) * opt.valid_fraction);
  t.n_train = t.data.size() - t.n_valid;
  if (t.n_train == 0) throw common::InputError("no training sequences left after the held-out slice");
  const DataStats& ds = t.stats;
  using common::plural;
  spdlog::info("corpus: {} -> {} ({} split at --max-len {}), {}, {} unknown; {} held out",
               plural(ds.lines, "line", "lines"), plural(ds.sequences, "sequence", "sequences"),
               plural(ds.splits, "long line", "long lines"), opt.max_len, plural(ds.tokens, "token", "tokens"), ds.unknown,
               t.n_valid);
  return t;
}

}  // namespace enc
