#include "encoder/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <numeric>
#include <random>
#include <sstream>

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "tokenizer/bpe_model.h"
#include "common/errors.h"
#include "encoder/safetensors.h"
#include "encoder/mlm.h"
#include "encoder/model.h"
#include "encoder/ops.h"
#include "encoder/pooling.h"
#include "encoder/simcse.h"
#include "encoder/train_data.h"

namespace enc {

void EncoderTrainOptions::validate() const {
  using common::OptionError;
  if (corpus.empty()) throw OptionError("--corpus is required");
  if (output.empty()) throw OptionError("--output is required (weights .safetensors)");
  if (vectors.empty() == tokenizer.empty()) throw OptionError("give exactly one of --vectors (Word2Vec) or --tokenizer (BPE)");
  if (objective == ObjectiveKind::kSimcse && (init.empty() || vectors.empty()))
    throw OptionError("--objective simcse starts from an MLM model: give --init M.safetensors and its --vectors");
  if (!(temperature > 0)) throw OptionError("--temperature must be positive");
  if (random_init && vectors.empty()) throw OptionError("--random-init goes with --vectors (it keeps their vocabulary)");
  if (layers < 1 || heads < 1 || ffn_mult < 1) throw OptionError("--layers, --heads and --ffn-mult must be at least 1");
  if (max_len < 2) throw OptionError("--max-len must be at least 2");
  if (batch_tokens < max_len) throw OptionError("--batch-tokens must be at least --max-len");
  if (steps == 0 && !(epochs > 0)) throw OptionError("give --steps N or --epochs E > 0");
  if (!(lr > 0)) throw OptionError("--lr must be positive");
  if (!(dropout >= 0 && dropout < 1)) throw OptionError("--dropout must be in [0, 1)");
  if (!(attention_dropout == -1 || (attention_dropout >= 0 && attention_dropout < 1)))
    throw OptionError("--attention-dropout must be in [0, 1)");
  if (!(valid_fraction >= 0 && valid_fraction < 0.5)) throw OptionError("--valid-fraction must be in [0, 0.5)");
  if (threads < 1) throw OptionError("--threads must be at least 1");
  if (checkpoint_path() == output) throw OptionError("--checkpoint must differ from --output");
}

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kMaskRate = 0.15;

// The options that must match for an exact resume.
std::string signature(const EncoderTrainOptions& o) {
  std::ostringstream s;
  s.precision(9);
  s << "vectors=" << o.vectors << ";tokenizer=" << o.tokenizer << ";random_init=" << o.random_init << ";dim=" << o.dim
    << ";layers=" << o.layers << ";heads=" << o.heads << ";ffn_mult=" << o.ffn_mult << ";max_len=" << o.max_len
    << ";window=" << o.window << ";norm_first=" << o.norm_first << ";activation=" << to_string(o.activation)
    << ";positional=" << to_string(o.positional) << ";batch_tokens=" << o.batch_tokens << ";steps=" << o.steps
    << ";epochs=" << o.epochs << ";lr=" << o.lr << ";weight_decay=" << o.weight_decay << ";clip=" << o.clip
    << ";dropout=" << o.dropout << ";attention_dropout=" << o.attention_p() << ";warmup=" << o.warmup << ";schedule=" << to_string(o.schedule) << ";seed=" << o.seed
    << ";threads=" << o.threads << ";freeze=" << o.freeze_embeddings << ";valid_fraction=" << o.valid_fraction
    << ";objective=" << to_string(o.objective) << ";init=" << o.init << ";temperature=" << o.temperature;
  return s.str();
}

struct Batch {
  std::vector<std::size_t> seqs;
  std::size_t seq_len = 0;
};

// Batches of one epoch: the training sequences shuffled by (seed, epoch),
// sorted by length within chunks of 4096 (so a batch holds sequences of
// similar length and little padding), grouped greedily so that
// count × longest <= batch_tokens, and the batches shuffled again.
std::vector<Batch> epoch_batches(const Sequences& data, std::size_t n_train, std::size_t batch_tokens,
                                 std::uint64_t seed, std::size_t epoch) {
  std::vector<std::size_t> order(n_train);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed * 6364136223846793005ULL + epoch + 1);
  std::shuffle(order.begin(), order.end(), rng);
  constexpr std::size_t kChunk = 4096;
  for (std::size_t c = 0; c < order.size(); c += kChunk) {
    auto end = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), c + kChunk));
    std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(c), end,
                     [&](std::size_t a, std::size_t b) { return data.length(a) < data.length(b); });
  }
  std::vector<Batch> out;
  Batch cur;
  for (std::size_t i : order) {
    const std::size_t len = data.length(i), longest = std::max(cur.seq_len, len);
    if (!cur.seqs.empty() && ((cur.seqs.size() + 1) * longest > batch_tokens || len < cur.seq_len)) {
      out.push_back(std::move(cur));
      cur = Batch();
    }
    cur.seqs.push_back(i);
    cur.seq_len = std::max(cur.seq_len, len);
  }
  if (!cur.seqs.empty()) out.push_back(std::move(cur));
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

MlmBatch make_batch(const Sequences& data, const Batch& b, const EncoderVocab& vocab) {
  MlmBatch m;
  m.batch = b.seqs.size();
  m.seq = b.seq_len;
  m.ids.assign(m.batch * m.seq, vocab.pad);
  for (std::size_t i = 0; i < m.batch; ++i) {
    const std::size_t s = b.seqs[i], len = data.length(s);
    std::copy(data.data(s), data.data(s) + len, m.ids.begin() + static_cast<std::ptrdiff_t>(i * m.seq));
    m.lengths.push_back(static_cast<std::int32_t>(len));
  }
  return m;
}

double learning_rate(const EncoderTrainOptions& o, std::size_t step, std::size_t total) {
  if (step < o.warmup) return o.lr * static_cast<double>(step + 1) / static_cast<double>(o.warmup);
  if (o.schedule == Schedule::kConstant || total <= o.warmup) return o.lr;
  const double t = static_cast<double>(step - o.warmup) / static_cast<double>(total - o.warmup);
  if (o.schedule == Schedule::kCosine) return o.lr * 0.5 * (1 + std::cos(M_PI * t));
  return o.lr * (1 - t);
}

}  // namespace

EncoderTrainResult train_encoder(const EncoderTrainOptions& opt, const std::function<void(const EncoderProgress&)>& on_progress,
                                 const std::function<bool()>& should_stop) {
  opt.validate();
  const auto t0 = Clock::now();
  { common::AtomicFile probe(opt.output); }
  { common::AtomicFile probe(opt.checkpoint_path()); }
  if (opt.resume && !std::ifstream(opt.checkpoint_path()))  // fail before reading the corpus
    throw common::InputError("cannot open checkpoint '" + opt.checkpoint_path() +
                             "' (nothing to resume: train without --resume first)");
  // Vocabulary, model, initial embeddings.
  std::unique_ptr<tok::BpeModel> bpe;
  EncoderVocab vocab;
  w2v::Embeddings vec;
  std::size_t d = opt.dim;
  if (!opt.vectors.empty()) {
    vec = w2v::read_vectors(opt.vectors);
    vocab = EncoderVocab::from_vectors(vec);
    d = vec.vectors.cols();
  } else {
    bpe = std::make_unique<tok::BpeModel>(tok::BpeModel::load(opt.tokenizer));
    vocab = EncoderVocab::from_bpe(*bpe);
  }
  const bool simcse = opt.objective == ObjectiveKind::kSimcse;
  EncoderConfig cfg;
  cfg.vocab_size = vocab.size, cfg.d_model = d, cfg.n_heads = opt.heads, cfg.n_layers = opt.layers;
  cfg.d_ff = opt.ffn_mult * d, cfg.max_len = opt.max_len, cfg.norm_first = opt.norm_first;
  cfg.activation = opt.activation, cfg.positional = opt.positional, cfg.attention_window = opt.window;
  cfg.final_norm = opt.norm_first;
  Encoder model = simcse ? Encoder::load(opt.init) : Encoder(cfg);
  if (simcse) {
    vocab = vocab_for(model, vec, opt.vectors, opt.init);  // the MLM model's vocabulary, checked
    cfg = model.config();
    d = cfg.d_model;
  } else {
    model.init_random(opt.seed);
    if (!opt.vectors.empty() && !opt.random_init)
      for (std::size_t w = 0; w < vec.words.size(); ++w)
        std::memcpy(model.params().data(0) + w * d, vec.vectors.row(w), d * sizeof(float));
    model.extra_metadata() = vocab.to_metadata();
    model.extra_metadata()["init"] = opt.vectors.empty() ? "random" : opt.random_init ? "random" : "vectors";
  }
  model.extra_metadata()["objective"] = std::string(to_string(opt.objective));
  if (simcse && opt.max_len > cfg.max_len)
    throw common::OptionError("--max-len " + std::to_string(opt.max_len) + " exceeds the model's max_len " +
                              std::to_string(cfg.max_len));
  model.set_threads(opt.threads);

  // Data: the last valid_fraction of the sequences is held out.
  DataStats ds;
  const Sequences data = read_sequences(opt.corpus, vocab, bpe.get(), opt.max_len, &ds);
  const std::size_t n_valid = static_cast<std::size_t>(static_cast<double>(data.size()) * opt.valid_fraction);
  const std::size_t n_train = data.size() - n_valid;
  if (n_train == 0) throw common::InputError("no training sequences left after the held-out slice");
  EncoderTrainResult result;
  result.sequences = data.size(), result.splits = ds.splits, result.tokens = ds.tokens, result.unknown = ds.unknown;
  result.valid_sequences = n_valid;
  spdlog::info("corpus: {} lines -> {} sequences ({} long lines split at --max-len {}), {} tokens, {} unknown; {} held out",
               ds.lines, ds.sequences, ds.splits, opt.max_len, ds.tokens, ds.unknown, n_valid);
  const std::size_t batch_tokens = simcse ? opt.batch_tokens / 2 : opt.batch_tokens;  // simcse: every sentence twice
  const std::size_t per_epoch = epoch_batches(data, n_train, batch_tokens, opt.seed, 0).size();
  const std::size_t total = opt.steps ? opt.steps
                                      : std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(opt.epochs * static_cast<double>(per_epoch))));

  AdamW adam(model.params().total());
  std::size_t step = 0;
  std::uint64_t tokens_seen = 0;
  const std::string ckpt = opt.checkpoint_path();
  if (opt.resume) {
    auto f = enc::read_safetensors(ckpt);
    auto it = f.metadata.find("train_signature");
    if (it == f.metadata.end()) throw common::FormatError(ckpt + ": not a wordlens encoder checkpoint");
    if (it->second != signature(opt))
      throw common::OptionError("checkpoint '" + ckpt + "' was written with other options (" + it->second +
                                "): resume with the same options");
    for (std::size_t s = 0; s < model.params().slots().size(); ++s) {
      const auto& slot = model.params().slots()[s];
      auto v = f.tensors.at(slot.name).as_floats(slot.name);
      std::memcpy(model.params().data(s), v.data(), v.size() * sizeof(float));
    }
    auto m = f.tensors.at("optimizer.exp_avg").as_floats("optimizer.exp_avg");
    auto v2 = f.tensors.at("optimizer.exp_avg_sq").as_floats("optimizer.exp_avg_sq");
    if (m.size() != model.params().total()) throw common::FormatError(ckpt + ": optimizer state has the wrong size");
    std::memcpy(adam.m(), m.data(), m.size() * sizeof(float));
    std::memcpy(adam.v(), v2.data(), v2.size() * sizeof(float));
    step = std::stoull(f.metadata.at("step"));
    tokens_seen = std::stoull(f.metadata.at("tokens_seen"));
    adam.set_steps(static_cast<long>(step));
    spdlog::info("resuming from '{}' at step {}", ckpt, step);
  }
  auto write_checkpoint = [&] {
    std::vector<enc::StWrite> t;
    for (std::size_t s = 0; s < model.params().slots().size(); ++s)
      t.push_back({model.params().slots()[s].name, model.params().slots()[s].shape, model.params().data(s)});
    t.push_back({"optimizer.exp_avg", {model.params().total()}, adam.m()});
    t.push_back({"optimizer.exp_avg_sq", {model.params().total()}, adam.v()});
    auto meta = cfg.to_metadata();
    for (const auto& [k, v] : model.extra_metadata()) meta[k] = v;
    meta["train_signature"] = signature(opt);
    meta["step"] = std::to_string(step);
    meta["tokens_seen"] = std::to_string(tokens_seen);
    enc::write_safetensors(ckpt, t, meta);
  };

  // SimCSE: the batch twice (rows B..2B-1 repeat rows 0..B-1; dropout makes
  // the two views differ), and mean pooling over each row's real tokens.
  auto simcse_views = [](MlmBatch& m) {
    m.ids.insert(m.ids.end(), m.ids.begin(), m.ids.end());
    m.lengths.insert(m.lengths.end(), m.lengths.begin(), m.lengths.end());
    m.batch *= 2;
  };
  common::AlignedFloats z;  // [2B, d]
  auto pool_mean = [&](const float* h, const MlmBatch& m, common::AlignedFloats& out) {
    out.ensure(m.batch * d);
    std::fill(out.data(), out.data() + m.batch * d, 0.f);
    for (std::size_t i = 0; i < m.batch; ++i) {
      const auto len = static_cast<std::size_t>(m.lengths[i]);
      for (std::size_t t = 0; t < len; ++t)
        for (std::size_t j = 0; j < d; ++j) out.data()[i * d + j] += h[(i * m.seq + t) * d + j];
      for (std::size_t j = 0; j < d; ++j) out.data()[i * d + j] /= static_cast<float>(len);
    }
  };
  // Held-out evaluation with fixed masks (comparable across steps and runs).
  MlmHead head;
  auto evaluate = [&](double* loss, double* acc) {
    double l = 0;
    std::size_t correct = 0, count = 0;
    Batch b;
    auto flush = [&] {
      if (b.seqs.empty()) return;
      MlmBatch m = make_batch(data, b, vocab);
      if (simcse) {
        const std::size_t bn = m.batch;
        simcse_views(m);
        const float* h = model.forward_train(m.ids.data(), m.lengths.data(), m.batch, m.seq, opt.dropout, opt.attention_p(), 0xE7A1 + b.seqs.front());
        pool_mean(h, m, z);
        std::size_t ok = 0;
        l += simcse_loss(z.data(), bn, d, opt.temperature, nullptr, &ok) * static_cast<double>(bn);
        correct += ok;
        count += bn;
        b = Batch();
        return;
      }
      std::mt19937_64 rng(opt.seed + 0xE7A1 + b.seqs.front());
      mask_tokens(m, kMaskRate, vocab.mask, vocab.first_regular, vocab.size, rng, 1);
      const float* h = model.forward(m.ids.data(), m.lengths.data(), m.batch, m.seq);
      auto r = head.evaluate(model, h, m);
      l += r.loss * static_cast<double>(r.count);
      correct += r.correct;
      count += r.count;
      b = Batch();
    };
    for (std::size_t i = n_train; i < data.size(); ++i) {
      const std::size_t longest = std::max(b.seq_len, data.length(i));
      if (!b.seqs.empty() && (b.seqs.size() + 1) * longest > batch_tokens) flush();
      b.seqs.push_back(i);
      b.seq_len = std::max(b.seq_len, data.length(i));
    }
    flush();
    *loss = count ? l / static_cast<double>(count) : NAN;
    *acc = count ? static_cast<double>(correct) / static_cast<double>(count) : NAN;
  };

  std::ofstream log(opt.log_path(), opt.resume ? std::ios::app : std::ios::trunc);
  if (!log) throw common::IoError("cannot write the training log '" + opt.log_path() + "'");
  if (!opt.resume) log << "step,epoch,tokens,seconds,lr,loss,valid_loss,valid_ppl,valid_acc\n";
  common::AlignedFloats dh, dz;
  std::vector<Batch> batches;
  std::size_t batches_epoch = SIZE_MAX;
  const std::size_t emb_floats = opt.freeze_embeddings ? common::padded_ld(model.params().slots()[0].size) : 0;
  double loss_acc = 0;
  std::size_t loss_n = 0;
  const auto run_start = Clock::now();
  std::uint64_t run_tokens = 0;
  while (step < total) {
    const std::size_t epoch = step / per_epoch, index = step % per_epoch;
    if (epoch != batches_epoch) {
      batches = epoch_batches(data, n_train, batch_tokens, opt.seed, epoch);
      batches_epoch = epoch;
    }
    MlmBatch m = make_batch(data, batches[index], vocab);
    MlmResult r;
    model.params().zero_grad();
    if (simcse) {
      const std::size_t bn = m.batch;
      simcse_views(m);
      const float* h = model.forward_train(m.ids.data(), m.lengths.data(), m.batch, m.seq, opt.dropout, opt.attention_p(), opt.seed * 7919ULL + step);
      pool_mean(h, m, z);
      dz.ensure(2 * bn * d);
      r.loss = simcse_loss(z.data(), bn, d, opt.temperature, dz.data());
      // Mean pooling backward: every real token of a view receives dz / length.
      dh.ensure(m.batch * m.seq * d);
      std::fill(dh.data(), dh.data() + m.batch * m.seq * d, 0.f);
      for (std::size_t i = 0; i < m.batch; ++i) {
        const auto len = static_cast<std::size_t>(m.lengths[i]);
        for (std::size_t t = 0; t < len; ++t)
          for (std::size_t j = 0; j < d; ++j) dh.data()[(i * m.seq + t) * d + j] = dz.data()[i * d + j] / static_cast<float>(len);
      }
    } else {
      std::mt19937_64 rng(opt.seed * 1000003ULL + step);
      mask_tokens(m, kMaskRate, vocab.mask, vocab.first_regular, vocab.size, rng, 1);
      const float* h = model.forward_train(m.ids.data(), m.lengths.data(), m.batch, m.seq, opt.dropout, opt.attention_p(), opt.seed * 7919ULL + step);
      dh.ensure(m.batch * m.seq * d);
      r = head.forward_backward(model, h, m, dh.data());
    }
    model.backward(dh.data());
    if (opt.clip > 0) clip_grad_norm(model.params().grad_all(), model.params().total(), opt.clip);
    const double lr = learning_rate(opt, step, total);
    adam.step(model.params(), static_cast<float>(lr), opt.weight_decay, emb_floats);
    ++step;
    std::uint64_t n_tok = 0;
    for (auto len : m.lengths) n_tok += static_cast<std::uint64_t>(len);
    tokens_seen += n_tok;
    run_tokens += n_tok;
    loss_acc += r.loss;
    ++loss_n;
    EncoderProgress p;
    p.step = step, p.steps = total, p.lr = lr, p.loss = r.loss;
    p.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    p.tokens_per_s = static_cast<double>(run_tokens) / std::chrono::duration<double>(Clock::now() - run_start).count();
    const bool eval_now = n_valid > 0 && ((opt.eval_every && step % opt.eval_every == 0) || step == total);
    if (eval_now) {
      evaluate(&p.valid_loss, &p.valid_acc);
      p.eval = true;
      result.valid_loss = p.valid_loss, result.valid_acc = p.valid_acc;
    }
    if (step % 10 == 0 || eval_now || step == total) {
      char line[256];
      std::snprintf(line, sizeof line, "%zu,%.4f,%llu,%.2f,%.6g,%.5f,", step, static_cast<double>(step) / static_cast<double>(per_epoch),
                    static_cast<unsigned long long>(tokens_seen), p.seconds, lr, loss_acc / static_cast<double>(loss_n));
      log << line;
      if (eval_now) log << p.valid_loss << "," << std::exp(p.valid_loss) << "," << p.valid_acc;
      else log << ",,";
      log << "\n" << std::flush;
      loss_acc = 0;
      loss_n = 0;
    }
    if (on_progress) on_progress(p);
    if (opt.checkpoint_every && step % opt.checkpoint_every == 0 && step < total) write_checkpoint();
    if (should_stop && should_stop() && step < total) {
      write_checkpoint();
      result.interrupted = true;
      break;
    }
  }
  result.steps = step;
  if (!result.interrupted) model.save(opt.output);
  result.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return result;
}

}  // namespace enc
