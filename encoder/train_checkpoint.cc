#include "encoder/train_checkpoint.h"

#include <charconv>
#include <cstring>
#include <limits>
#include <sstream>
#include <vector>

#include "common/errors.h"
#include "encoder/safetensors.h"

namespace enc {

namespace {

// A count from the checkpoint's metadata (FormatError naming the key when
// it is missing or not a number).
std::uint64_t meta_count(const StFile& f, const std::string& path, const std::string& key) {
  auto it = f.metadata.find(key);
  if (it == f.metadata.end()) throw common::FormatError("checkpoint '" + path + "': metadata '" + key + "' is missing");
  std::uint64_t v = 0;
  const std::string& s = it->second;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size())
    throw common::FormatError("checkpoint '" + path + "': metadata '" + key + "' is not a number ('" + s + "')");
  return v;
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

// The tensor `name` as floats, FormatError when it is missing or its shape
// is not `shape` (another model size, other vectors at the same path).
std::vector<float> checked_tensor(const StFile& f, const std::string& path, const std::string& name,
                                  const std::vector<std::size_t>& shape) {
  auto it = f.tensors.find(name);
  if (it == f.tensors.end()) throw common::FormatError("checkpoint '" + path + "' has no tensor '" + name + "'");
  if (it->second.shape != shape)
    throw common::FormatError("checkpoint '" + path + "': tensor '" + name + "' has shape " + shape_text(it->second.shape) +
                              ", the model " + shape_text(shape) + " (other --vectors, --tokenizer or shape options?)");
  auto v = it->second.as_floats(name);
  if (v.size() != it->second.numel()) throw common::FormatError("checkpoint '" + path + "': tensor '" + name + "' is damaged");
  return v;
}

// The options, vocabulary and corpus must be the checkpoint's.
void check_key(const StFile& f, const std::string& path, const ResumeKey& key) {
  auto meta = [&](const char* k) {
    auto it = f.metadata.find(k);
    return it == f.metadata.end() ? nullptr : &it->second;
  };
  const std::string* sig = meta("train_signature");
  if (!sig) throw common::FormatError(path + ": not a wordlens encoder checkpoint");
  const std::string *vocab = meta("train_vocab_fingerprint"), *corpus = meta("train_corpus_fingerprint");
  if (!vocab || !corpus || !meta("seconds_ms"))
    throw common::FormatError("checkpoint '" + path + "' was written by an older wordlens: start again without --resume");
  if (*sig != key.signature)
    throw common::OptionError("checkpoint '" + path + "' was written with other options (" + *sig +
                              "): resume with the same options");
  if (*vocab != key.vocab_fingerprint)
    throw common::InputError("checkpoint '" + path + "' was written with another vocabulary (" + *vocab + "; now " +
                             key.vocab_fingerprint + "): resume with the same --vectors or --tokenizer");
  if (*corpus != key.corpus_fingerprint)
    throw common::InputError("checkpoint '" + path + "' was written for another corpus (" + *corpus + "; now " +
                             key.corpus_fingerprint + "): resume with the same --corpus");
}

}  // namespace

std::string train_signature(const EncoderTrainOptions& o) {
  std::ostringstream s;
  s.precision(9);
  s << "vectors=" << o.vectors << ";tokenizer=" << o.tokenizer << ";random_init=" << o.random_init << ";dim=" << o.dim
    << ";layers=" << o.layers << ";heads=" << o.heads << ";ffn_mult=" << o.ffn_mult << ";max_len=" << o.max_len
    << ";window=" << o.window << ";norm_first=" << o.norm_first << ";activation=" << to_string(o.activation)
    << ";positional=" << to_string(o.positional) << ";batch_tokens=" << o.batch_tokens << ";steps=" << o.steps
    << ";epochs=" << o.epochs << ";lr=" << o.lr << ";weight_decay=" << o.weight_decay << ";clip=" << o.clip
    << ";dropout=" << o.dropout << ";attention_dropout=" << o.attention_p() << ";warmup=" << o.warmup
    << ";schedule=" << to_string(o.schedule) << ";seed=" << o.seed << ";threads=" << o.threads
    << ";freeze=" << o.freeze_embeddings << ";valid_fraction=" << o.valid_fraction
    << ";objective=" << to_string(o.objective) << ";init=" << o.init << ";temperature=" << o.temperature;
  return s.str();
}

void write_train_checkpoint(const std::string& path, const Encoder& model, const AdamW& adam, const ResumeKey& key,
                            const TrainCounters& counters) {
  const ParamSet& p = model.params();
  std::vector<StWrite> t;
  for (std::size_t s = 0; s < p.slots().size(); ++s) t.push_back({p.slots()[s].name, p.slots()[s].shape, p.data(s)});
  t.push_back({"optimizer.exp_avg", {p.total()}, adam.m()});
  t.push_back({"optimizer.exp_avg_sq", {p.total()}, adam.v()});
  auto meta = model.config().to_metadata();
  for (const auto& [k, v] : model.extra_metadata()) meta[k] = v;
  meta["train_signature"] = key.signature;
  meta["train_vocab_fingerprint"] = key.vocab_fingerprint;
  meta["train_corpus_fingerprint"] = key.corpus_fingerprint;
  meta["step"] = std::to_string(counters.step);
  meta["tokens_seen"] = std::to_string(counters.tokens_seen);
  meta["seconds_ms"] = std::to_string(static_cast<std::uint64_t>(counters.seconds * 1000));
  write_safetensors(path, t, meta);
}

TrainCounters read_train_checkpoint(const std::string& path, const ResumeKey& key, Encoder& model, AdamW& adam) {
  const auto f = read_safetensors(path);
  check_key(f, path, key);
  ParamSet& p = model.params();
  for (std::size_t s = 0; s < p.slots().size(); ++s) {
    const auto& slot = p.slots()[s];
    auto v = checked_tensor(f, path, slot.name, slot.shape);
    std::memcpy(p.data(s), v.data(), v.size() * sizeof(float));
  }
  auto m = checked_tensor(f, path, "optimizer.exp_avg", {p.total()});
  auto v2 = checked_tensor(f, path, "optimizer.exp_avg_sq", {p.total()});
  std::memcpy(adam.m(), m.data(), m.size() * sizeof(float));
  std::memcpy(adam.v(), v2.data(), v2.size() * sizeof(float));
  TrainCounters c;
  c.step = meta_count(f, path, "step");
  c.tokens_seen = meta_count(f, path, "tokens_seen");
  c.seconds = static_cast<double>(meta_count(f, path, "seconds_ms")) / 1000;
  adam.set_steps(static_cast<long>(c.step));
  return c;
}

}  // namespace enc
