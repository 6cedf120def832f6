#include "encoder/train_checkpoint.h"

#include <charconv>
#include <cstring>
#include <limits>
#include <sstream>
#include <vector>

#include "common/errors.h"
#include "encoder/safetensors.h"

namespace enc {

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

void write_train_checkpoint(const std::string& path, const Encoder& model, const AdamW& adam,
                            const std::string& signature, const TrainCounters& counters) {
  const ParamSet& p = model.params();
  std::vector<StWrite> t;
  for (std::size_t s = 0; s < p.slots().size(); ++s) t.push_back({p.slots()[s].name, p.slots()[s].shape, p.data(s)});
  t.push_back({"optimizer.exp_avg", {p.total()}, adam.m()});
  t.push_back({"optimizer.exp_avg_sq", {p.total()}, adam.v()});
  auto meta = model.config().to_metadata();
  for (const auto& [k, v] : model.extra_metadata()) meta[k] = v;
  meta["train_signature"] = signature;
  meta["step"] = std::to_string(counters.step);
  meta["tokens_seen"] = std::to_string(counters.tokens_seen);
  write_safetensors(path, t, meta);
}

namespace {

// The values of tensor `name`, which must be F32 of the given shape.
std::vector<float> checkpoint_floats(const StFile& f, const std::string& path, const std::string& name,
                                     const std::vector<std::size_t>& shape) {
  auto it = f.tensors.find(name);
  if (it == f.tensors.end())
    throw common::FormatError(path + ": tensor '" + name + "' is missing (not a checkpoint of this model?)");
  if (it->second.shape != shape)
    throw common::FormatError(path + ": tensor '" + name + "' has another shape than the model's (a checkpoint of another model size?)");
  return it->second.as_floats(name);
}

std::uint64_t checkpoint_count(const StFile& f, const std::string& path, const std::string& key) {
  auto it = f.metadata.find(key);
  if (it == f.metadata.end()) throw common::FormatError(path + ": metadata '" + key + "' is missing");
  const std::string& v = it->second;
  std::uint64_t x = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), x);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size())
    throw common::FormatError(path + ": metadata '" + key + "' = '" + v + "' is not a whole number");
  return x;
}

}  // namespace

TrainCounters read_train_checkpoint(const std::string& path, const std::string& signature, Encoder& model, AdamW& adam) {
  auto f = read_safetensors(path);
  auto it = f.metadata.find("train_signature");
  if (it == f.metadata.end()) throw common::FormatError(path + ": not a wordlens encoder checkpoint");
  if (it->second != signature)
    throw common::OptionError("checkpoint '" + path + "' was written with other options (" + it->second +
                              "): resume with the same options");
  ParamSet& p = model.params();
  // Everything is read and checked before the model and optimizer change.
  std::vector<std::vector<float>> weights;
  for (const auto& slot : p.slots()) weights.push_back(checkpoint_floats(f, path, slot.name, slot.shape));
  const auto m = checkpoint_floats(f, path, "optimizer.exp_avg", {p.total()});
  const auto v = checkpoint_floats(f, path, "optimizer.exp_avg_sq", {p.total()});
  for (const auto& name : f.order)
    if (!p.find(name) && name != "optimizer.exp_avg" && name != "optimizer.exp_avg_sq")
      throw common::FormatError(path + ": unexpected tensor '" + name + "' for this model");
  TrainCounters c;
  c.step = checkpoint_count(f, path, "step");
  c.tokens_seen = checkpoint_count(f, path, "tokens_seen");
  if (c.step > static_cast<std::uint64_t>(std::numeric_limits<long>::max()))
    throw common::FormatError(path + ": metadata 'step' is out of range");
  for (std::size_t s = 0; s < weights.size(); ++s)
    std::memcpy(p.data(s), weights[s].data(), weights[s].size() * sizeof(float));
  std::memcpy(adam.m(), m.data(), m.size() * sizeof(float));
  std::memcpy(adam.v(), v.data(), v.size() * sizeof(float));
  adam.set_steps(static_cast<long>(c.step));
  return c;
}

}  // namespace enc
