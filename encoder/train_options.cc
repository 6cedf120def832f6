#include "encoder/train_options.h"

#include <cmath>
#include <filesystem>
#include <string>
#include <utility>

#include "common/errors.h"

namespace enc {

namespace {

// A count from the command line: Boost reads "-1" into an unsigned as a
// huge number, so anything past `most` is refused here.
void check_count(const char* name, std::size_t value, std::size_t most) {
  if (value > most)
    throw common::OptionError(std::string(name) + " " + std::to_string(value) + " is out of range (at most " +
                              std::to_string(most) + "; a negative number wraps around)");
}

void check_finite(const char* name, double value) {
  if (!std::isfinite(value)) throw common::OptionError(std::string(name) + " must be a finite number");
}

// The optimisation options: finite and in range.
void check_optimisation(const EncoderTrainOptions& o) {
  constexpr std::size_t kMostSteps = 1'000'000'000'000;
  check_count("--steps", o.steps, kMostSteps);
  check_count("--warmup", o.warmup, kMostSteps);
  check_count("--eval-every", o.eval_every, kMostSteps);
  check_count("--checkpoint-every", o.checkpoint_every, kMostSteps);
  check_count("--snapshot-every", o.snapshot_every, kMostSteps);
  check_count("--batch-tokens", o.batch_tokens, kMostSteps);
  for (auto [name, v] : {std::pair{"--epochs", o.epochs}, {"--lr", double{o.lr}}, {"--weight-decay", double{o.weight_decay}},
                         {"--clip", double{o.clip}}, {"--dropout", double{o.dropout}},
                         {"--temperature", double{o.temperature}}, {"--valid-fraction", o.valid_fraction}})
    check_finite(name, v);
  if (o.steps == 0 && !(o.epochs > 0 && o.epochs <= 1e6)) throw common::OptionError("give --steps N or --epochs E in (0, 1e6]");
  if (!(o.lr > 0)) throw common::OptionError("--lr must be positive");
  if (!(o.weight_decay >= 0 && o.weight_decay <= 1)) throw common::OptionError("--weight-decay must be in [0, 1]");
  if (!(o.clip >= 0)) throw common::OptionError("--clip must be at least 0 (0 = off)");
  if (!(o.temperature > 0)) throw common::OptionError("--temperature must be positive");
}

}  // namespace

std::string EncoderTrainOptions::snapshot_path(std::size_t step) const {
  std::filesystem::path p(output);
  const std::string name = p.stem().string() + ".step" + std::to_string(step) + p.extension().string();
  return (p.parent_path() / name).string();
}

void EncoderTrainOptions::validate() const {
  using common::OptionError;
  if (corpus.empty()) throw OptionError("--corpus is required");
  if (output.empty()) throw OptionError("--output is required (weights .safetensors)");
  if (objective == ObjectiveKind::kSimcse) {
    // The --init model's vocabulary: its vectors, or the BPE model it stores.
    if (init.empty())
      throw OptionError("--objective simcse starts from an MLM model: give --init M.safetensors (and its --vectors, "
                        "unless it was trained on BPE tokens)");
    if (!vectors.empty() && !tokenizer.empty()) throw OptionError("give --vectors (Word2Vec) or --tokenizer (BPE), not both");
  } else if (vectors.empty() == tokenizer.empty()) {
    throw OptionError("give exactly one of --vectors (Word2Vec) or --tokenizer (BPE)");
  }
  if (random_init && vectors.empty()) throw OptionError("--random-init goes with --vectors (it keeps their vocabulary)");
  if (!tokenizer.empty() && !normalizer.given.empty())
    throw OptionError(normalizer.given[0] + " normalises words: a BPE model (--tokenizer) reads the raw text itself");
  if (layers < 1 || heads < 1 || ffn_mult < 1) throw OptionError("--layers, --heads and --ffn-mult must be at least 1");
  if (max_len < 2) throw OptionError("--max-len must be at least 2");
  if (batch_tokens < max_len) throw OptionError("--batch-tokens must be at least --max-len");
  check_optimisation(*this);
  if (!(dropout >= 0 && dropout < 1)) throw OptionError("--dropout must be in [0, 1)");
  if (!(attention_dropout == -1 || (attention_dropout >= 0 && attention_dropout < 1)))
    throw OptionError("--attention-dropout must be in [0, 1)");
  if (!(valid_fraction >= 0 && valid_fraction < 0.5)) throw OptionError("--valid-fraction must be in [0, 0.5)");
  if (threads < 1) throw OptionError("--threads must be at least 1");
  if (checkpoint_path() == output) throw OptionError("--checkpoint must differ from --output");
}

}  // namespace enc
