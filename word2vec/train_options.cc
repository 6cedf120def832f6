#include "word2vec/train_options.h"

#include <cmath>

#include "common/enum_names.h"
#include "common/errors.h"
#include "common/file_identity.h"
#include "word2vec/window_kernel.h"

namespace w2v {

namespace {
constexpr common::EnumNames<Update, 2> kUpdates{{{Update::kPair, "pair"}, {Update::kBatch, "batch"}}};
}  // namespace

std::string_view to_string(Update u) { return common::enum_name(kUpdates, u); }
Update parse_update(std::string_view text, std::string_view what) { return common::parse_enum(kUpdates, text, what); }
std::string valid_updates() { return common::enum_list(kUpdates); }

void TrainOptions::validate() const {
  using common::OptionError;
  if (train.empty()) throw OptionError("-train is required: a text file, several files, a directory, or - for stdin");
  if (output.empty()) throw OptionError("-output is required: the file to write the vectors to");
  if (size <= 0 || size > 10000) throw OptionError("-size must be between 1 and 10000 (got " + std::to_string(size) + ")");
  if (window <= 0) throw OptionError("-window must be at least 1 (got " + std::to_string(window) + ")");
  if (!(sample >= 0) || !std::isfinite(sample)) throw OptionError("-sample must be a number >= 0 (0 disables subsampling)");
  if (hs != 0 && hs != 1) throw OptionError("-hs must be 0 or 1");
  if (negative < 0 || negative > WindowKernel::kMaxNegative)
    throw OptionError("-negative must be between 0 and " + std::to_string(WindowKernel::kMaxNegative));
  if (hs == 0 && negative == 0)
    throw OptionError("neither hierarchical softmax nor negative sampling is on: use -hs 1 or -negative N > 0");
  if (threads <= 0 || threads > 1024) throw OptionError("-threads must be between 1 and 1024");
  if (iter <= 0) throw OptionError("-iter must be at least 1");
  if (min_count < 1) throw OptionError("-min-count must be at least 1");
  if (alpha && !(*alpha > 0 && *alpha <= 1))  // also NaN, inf and negative values (-1 used to mean "default")
    throw OptionError("-alpha must be in (0, 1] (got " + common::shortest(*alpha) + ")");
  if (cbow != 0 && cbow != 1) throw OptionError("-cbow must be 0 (skip-gram) or 1 (CBOW)");
  if (update == Update::kBatch && cbow != 0 && (hs != 0 || negative == 0))
    throw OptionError("--update batch is implemented for CBOW with negative sampling only (-hs 0 -negative N > 0); "
                      "use --update pair for CBOW with hierarchical softmax");
  if (cache_mib < 0 || cache_mib > (std::int64_t{1} << 24))
    throw OptionError("--cache-mib must be between 0 (off) and 16777216 (got " + std::to_string(cache_mib) + ")");
  if (private_nodes < 0 || private_nodes > (std::int64_t{1} << 24))
    throw OptionError("--private-nodes must be between 0 (off) and 16777216 (got " + std::to_string(private_nodes) + ")");
  if (binary != 0 && binary != 1) throw OptionError("-binary must be 0 (text) or 1 (binary)");
  if (max_vocab < 0 || max_vocab == 1) throw OptionError("--max-vocab must be 0 (no limit) or at least 2");
  if (resume && !read_vocab.empty()) throw OptionError("--resume takes the vocabulary from the checkpoint: drop -read-vocab");
  if (normalize && !tokenizer.empty())
    throw OptionError("--normalize and --tokenizer: a BPE model reads the raw text itself; give one of them");
  if (sync_every < 1000) throw OptionError("--sync-every must be at least 1000 words (got " + std::to_string(sync_every) + ")");
  normalizer.validate();
  // No output may replace an input (same file, however it is spelled).
  std::vector<common::NamedPath> inputs;
  for (const auto& t : train) inputs.push_back({"-train", t});
  inputs.push_back({"-read-vocab", read_vocab});
  inputs.push_back({"--tokenizer", tokenizer});
  common::check_outputs_distinct({{"-output", output}, {"-output's record", output + ".json"}, {"--checkpoint", checkpoint_path()},
                                  {"-save-vocab", save_vocab}},
                                 inputs);
}

}  // namespace w2v
