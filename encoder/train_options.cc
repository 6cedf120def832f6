#include "encoder/train_options.h"

#include "common/errors.h"

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

}  // namespace enc
