#include "tokenizer/token_source.h"

#include "tokenizer/bpe_token_reader.h"
#include "tokenizer/normalizing_reader.h"
#include "tokenizer/token_reader.h"
#include "common/errors.h"

namespace tok {

std::unique_ptr<TokenSource> make_token_source(const common::CorpusFiles& files, std::uint64_t begin,
                                               std::uint64_t end, const BpeModel* bpe,
                                               const NormalizerOptions* normalize) {
  if (bpe && normalize) throw common::OptionError("BPE tokens are read from raw text: give a BPE model or normalisation, not both");
  if (bpe) return std::make_unique<BpeTokenReader>(files, *bpe, begin, end);
  if (normalize) return std::make_unique<NormalizingReader>(files, begin, end, *normalize);
  return std::make_unique<TokenReader>(files, begin, end);
}

}  // namespace tok
