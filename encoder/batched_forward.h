// Forward passes over lists of token-id sequences of different lengths:
// padded to the longest of each batch, all sequences of a batch in one
// forward.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "common/aligned.h"
#include "encoder/model.h"

namespace enc {

// One forward over the id sequences padded with `pad` to the longest (at
// least 1); *seq gets that length T. An empty sequence runs as one pad
// token. Returns the final hidden states [n·T, d].
const float* forward_padded(Encoder& model, std::span<const std::vector<std::int32_t>> ids, std::int32_t pad,
                            std::size_t* seq);

// The final hidden states of every token of every sequence, in input
// order: [total tokens, d]. `batch` sequences per forward; padding id 0.
// progress(sequences done, total) after each forward, when given.
common::Matrix hidden_states(Encoder& model, const std::vector<std::vector<std::int32_t>>& seqs, std::size_t batch,
                             const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace enc
