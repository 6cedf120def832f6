#include "encoder/train_checkpoint.h"

#include <cstring>
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

TrainCounters read_train_checkpoint(const std::string& path, const std::string& signature, Encoder& model, AdamW& adam) {
  auto f = read_safetensors(path);
  auto it = f.metadata.find("train_signature");
  if (it == f.metadata.end()) throw common::FormatError(path + ": not a wordlens encoder checkpoint");
  if (it->second != signature)
    throw common::OptionError("checkpoint '" + path + "' was written with other options (" + it->second +
                              "): resume with the same options");
  ParamSet& p = model.params();
  for (std::size_t s = 0; s < p.slots().size(); ++s) {
    const auto& slot = p.slots()[s];
    auto v = f.tensors.at(slot.name).as_floats(slot.name);
    std::memcpy(p.data(s), v.data(), v.size() * sizeof(float));
  }
  auto m = f.tensors.at("optimizer.exp_avg").as_floats("optimizer.exp_avg");
  auto v2 = f.tensors.at("optimizer.exp_avg_sq").as_floats("optimizer.exp_avg_sq");
  if (m.size() != p.total()) throw common::FormatError(path + ": optimizer state has the wrong size");
  std::memcpy(adam.m(), m.data(), m.size() * sizeof(float));
  std::memcpy(adam.v(), v2.data(), v2.size() * sizeof(float));
  TrainCounters c;
  c.step = std::stoull(f.metadata.at("step"));
  c.tokens_seen = std::stoull(f.metadata.at("tokens_seen"));
  adam.set_steps(static_cast<long>(c.step));
  return c;
}

}  // namespace enc
