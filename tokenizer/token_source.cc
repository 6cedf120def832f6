#include "tokenizer/token_source.h"

#include "tokenizer/bpe_token_reader.h"
#include "tokenizer/token_reader.h"

namespace tok {

std::unique_ptr<TokenSource> make_token_source(const common::CorpusFiles& files, std::uint64_t begin,
                                               std::uint64_t end, const BpeModel* bpe) {
  if (bpe) return std::make_unique<BpeTokenReader>(files, *bpe, begin, end);
  return std::make_unique<TokenReader>(files, begin, end);
}

}  // namespace tok
