// Looking inside a trained encoder, one sentence at a time: its attention
// maps, the contextual vector of a word, and the feed-forward neurons read
// as a key-value memory (Geva et al. 2021: the neuron's activation is the
// key's match, column n of linear2 the value it writes into the residual
// stream). Each function runs one forward over the single sentence
// [CLS] t1 t2 ... (no padding): normalised words looked up in the vectors'
// vocabulary, or, for an encoder trained on BPE tokens, the pieces of the
// raw text (shown in their readable form, tok::readable_token).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tokenizer/normalizer.h"
#include "encoder/model.h"
#include "encoder/train_data.h"
#include "tokenizer/bpe_sentence.h"
#include "word2vec/embedding_index.h"

namespace cmp {

// A sentence as the encoder sees it.
struct InspectedTokens {
  std::vector<std::int32_t> ids;      // [T], [CLS] first
  std::vector<std::string> display;   // [T] "[CLS]", the words (unknown ones as "[UNK]:word") or readable BPE tokens
  tok::BpeSentence bpe;               // BPE: the text and each token's bytes (token k is ids[k + 1]); else empty
};

// ids and display tokens of words (normalised tokens). Throws InputError for
// an empty sentence or one longer than max_len - 1 words.
InspectedTokens inspect_tokens(const enc::Encoder& model, const enc::EncoderVocab& vocab, const std::vector<std::string>& words);

// A raw sentence as the encoder reads it: its BPE pieces when the
// vocabulary is a BPE model (tok::encode_sentence), else its normalised
// words (inspect_tokens; `norm`, the normaliser the model records, is not
// used for BPE). The same InputErrors; with `cut`, a longer sentence keeps
// its first max_len - 1 tokens instead.
InspectedTokens inspect_text(const enc::Encoder& model, const enc::EncoderVocab& vocab, const std::string& text,
                             tok::Normalizer& norm, bool cut = false);

struct AttentionMaps {
  InspectedTokens tokens;
  std::size_t layers = 0, heads = 0, seq = 0;
  std::vector<float> weights;  // [L, H, T, T]: query rows, key columns; each row sums to 1
  // The [T, T] map of (layer, head).
  const float* map(std::size_t layer, std::size_t head) const { return weights.data() + (layer * heads + head) * seq * seq; }
  // The mean over the heads of `layer`, [T, T].
  std::vector<float> head_mean(std::size_t layer) const;
};

// One forward over the tokens; every layer's and head's attention probabilities.
AttentionMaps attention_maps(enc::Encoder& model, InspectedTokens tokens);
AttentionMaps attention_maps(enc::Encoder& model, const enc::EncoderVocab& vocab, const std::vector<std::string>& words);

struct Attended {
  std::size_t key = 0;  // position of the most attended token
  float weight = 0;
};

// For each query row of map[seq, seq], the key with the highest weight
// (ties: the earlier position). Returns [seq].
std::vector<Attended> top_attended(const float* map, std::size_t seq);

// The encoder's final hidden state [d] at words[position] (the [CLS] offset
// is added here: position 0 is the first word). Throws InputError when
// position >= words.size().
std::vector<float> contextual_vector(enc::Encoder& model, const enc::EncoderVocab& vocab, const std::vector<std::string>& words,
                                     std::size_t position);

// Cosine of q[d] against rows [0, rows) of m (row stride ld), best k first
// (ties: lower row), skipping the rows in `exclude` and zero rows.
std::vector<common::Hit> nearest_rows(const float* m, std::size_t rows, std::size_t d, std::size_t ld, const float* q,
                                   std::size_t k, std::span<const std::int32_t> exclude);
// The same among the rows `candidates` only.
std::vector<common::Hit> nearest_rows_among(const float* m, std::size_t d, std::size_t ld, const float* q, std::size_t k,
                                            std::span<const std::int32_t> candidates, std::span<const std::int32_t> exclude);

// Cosine of two vectors of the same length (in double); NaN when one is zero.
float vector_cosine(std::span<const float> a, std::span<const float> b);

// The encoder ids that stand for text: the words (</s> and the specials
// left out) or the BPE tokens (the specials left out).
std::vector<std::int32_t> regular_tokens(const enc::EncoderVocab& vocab);
// The BPE tokens that start a word: a space, then at least one byte that is
// not whitespace (shown with a leading "Ġ").
std::vector<std::int32_t> whole_word_tokens(const enc::EncoderVocab& vocab);

// The data of a named parameter tensor ("layers.0.norm1.weight"). Throws
// FormatError if the model has none of that name.
const float* named_tensor(const enc::Encoder& model, const std::string& name);

// The rows of the encoder's input embedding ("embedding.weight", [vocab_size, d]).
const float* embedding_matrix(const enc::Encoder& model);

struct ContextNeighbours {
  std::size_t position = 0;                // of the word's first occurrence in words (BPE: its first piece)
  std::size_t pieces = 1;                  // BPE: tokens of the word, from position on
  std::vector<common::Hit> static_hits;       // ids are rows of the vectors (= encoder ids)
  std::vector<common::Hit> contextual_hits;
  std::vector<float> contextual;              // [d] the contextual vector the contextual hits are near
};

// Means "the final hidden states" where a layer is asked for.
inline constexpr std::size_t kFinalLayer = static_cast<std::size_t>(-1);

// The hidden states [T, d] of the tokens after `layer` (0-based), read as
// the MLM head reads the last layer: through the final LayerNorm when the
// model has one (so every layer is compared with the embedding rows in the
// same way; for the last layer this is the forward's output). One forward.
// OptionError for a layer out of range.
std::vector<float> layer_states(enc::Encoder& model, const InspectedTokens& tokens, std::size_t layer);

// The nearest vocabulary words of `word` (a normalised token): by its
// Word2Vec vector e.row(word) against every row of e (static), and by the
// encoder's final hidden state at its first occurrence in words against the
// rows 0..V-1 of the encoder's input embedding (contextual). The word, row 0
// (</s>, the padding id) and the specials are left out. Throws InputError if
// word is not in the vocabulary or not in words. With a `layer` other than
// kFinalLayer, the contextual vector is the hidden state after that layer
// (layer_states).
ContextNeighbours context_neighbours(enc::Encoder& model, const enc::EncoderVocab& vocab, const w2v::Embeddings& e,
                                     const std::vector<std::string>& words, const std::string& word, std::size_t top,
                                     std::size_t layer = kFinalLayer);

// The same for an encoder trained on BPE tokens, with `tokens` from
// inspect_text: `word` (raw text, tok::find_word) is found in the sentence
// and mapped to the pieces that overlap it. Static: the mean of those
// pieces' input-embedding rows (the encoder's context-free view of the
// word); contextual: the mean of their final hidden states. Both against
// the whole-word tokens' input-embedding rows, the word's own pieces left
// out. Throws InputError if the word does not occur as a word.
ContextNeighbours context_neighbours_bpe(enc::Encoder& model, const enc::EncoderVocab& vocab, const InspectedTokens& tokens,
                                         const std::string& word, std::size_t top, std::size_t layer = kFinalLayer);

enum class NeuronScore { kSum, kMax };

struct FfnNeuron {
  std::size_t neuron = 0;
  float score = 0;         // activation summed (or max) over the sentence's words
  std::size_t peak = 0;    // position (in the [CLS]-first sequence) where it fires most
  float peak_value = 0;
};

struct FfnReading {
  InspectedTokens tokens;
  std::vector<FfnNeuron> neurons;  // best first
};

// One forward over the tokens; the `count` neurons of layer's
// act(linear1(x)) [T, d_ff] with the highest score over the token positions
// ([CLS] left out).
FfnReading top_ffn_neurons(enc::Encoder& model, InspectedTokens tokens, std::size_t layer, std::size_t count,
                           NeuronScore score);
FfnReading top_ffn_neurons(enc::Encoder& model, const enc::EncoderVocab& vocab, const std::vector<std::string>& words,
                           std::size_t layer, std::size_t count, NeuronScore score);

// What neuron n of layer writes into the residual stream: column n of
// layers.L.linear2.weight (stored [d, d_ff]). Returns [d].
std::vector<float> ffn_value_vector(const enc::Encoder& model, std::size_t layer, std::size_t neuron);

// The regular tokens (regular_tokens) whose input-embedding rows are closest
// (cosine) to ffn_value_vector(model, layer, neuron), best first.
std::vector<common::Hit> ffn_value_neighbours(const enc::Encoder& model, const enc::EncoderVocab& vocab, std::size_t layer,
                                           std::size_t neuron, std::size_t top);

}  // namespace cmp
