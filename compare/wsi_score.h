// Word sense induction scored three ways: each word's contexts are turned
// into vectors by a method, clustered (compare/sense_clusters.h), and the
// clusters compared with the gold senses by the adjusted Rand index; the
// file's score is the mean over words weighted by their number of contexts.
//   static         the word's own Word2Vec vector (the word column, through
//                  the normaliser): the same in every context, so one
//                  cluster, and ARI 0 by construction for a word with two
//                  senses or more.
//   static_window  the mean Word2Vec vector of the words within ±window of
//                  the target (as WiC's static_window).
//   encoder        the target's contextual vector, the encoder's final
//                  hidden state at its position (enc::encode_tokens, as WiC).
// A context without a vector for a method (static: the word is unknown;
// static_window: no known word in the window) is a cluster of its own, and
// still scored. For the encoder an unknown target is [UNK] in its context:
// it has a contextual vector and is clustered like the others (counted as
// unknown all the same).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/aligned.h"
#include "compare/wsi.h"
#include "encoder/model.h"
#include "encoder/train_data.h"
#include "word2vec/sentence_vectors.h"

namespace cmp {

// At most this many contexts of one word are clustered (the distance matrix
// holds n^2 doubles).
constexpr std::size_t kMaxWsiWordContexts = 5000;

// The contexts of a file located in their normalised tokens, grouped by word.
struct WsiPrepared {
  std::string name;                               // the file's base name
  std::vector<std::vector<std::string>> tokens;   // per kept context
  std::vector<std::size_t> target;                // the target's token index, per kept context
  std::vector<std::int64_t> gold;                 // gold sense, per kept context
  std::vector<std::string> words;                 // scored words, in order of first appearance
  std::vector<std::string> lemma;                 // per word: its first normalised token ("" if none)
  std::vector<std::vector<std::size_t>> members;  // per word: its kept contexts
  std::size_t untokenised = 0;  // contexts dropped: the normaliser gives no token at the target
  std::size_t single = 0;       // words dropped: fewer than two contexts left
  std::size_t contexts() const { return tokens.size(); }
};

// Tokenises every context and the word column with `tokenize`. Contexts
// whose target yields no token are dropped and counted, then words left with
// fewer than two contexts (counted); their contexts are not kept. Throws
// InputError if no word is left (naming the file and why), or a word has
// more than kMaxWsiWordContexts contexts.
WsiPrepared prepare_wsi(const WsiData& data, const TextTokenizer& tokenize);

struct WsiMethodScore {
  double ari = 0;                       // mean over words weighted by their contexts
  std::vector<double> word_ari;         // per word
  std::vector<std::size_t> word_k;      // clusters found per word (contexts without a vector not counted)
  std::size_t no_vector = 0;            // contexts without a vector (zero rows)
};

// Clusters each word's rows of v [contexts, d] (zero rows: no vector) and
// scores them against the gold senses.
WsiMethodScore score_wsi_method(const WsiPrepared& p, const common::Matrix& v, std::size_t max_k = 10);

// The three methods on one prepared file, as `compare --json` prints it:
// {"static": ARI, "static_window": ARI, "encoder": ARI|null, "words": N,
//  "contexts": N, "unknown": {method: N}, "skipped_contexts": N,
//  "skipped_words": N, "per_word": {WORD: {"contexts", "gold_senses",
//  "static", "static_window", "encoder", "clusters": {method: k}}}}.
// model may be null (encoder: null).
nlohmann::ordered_json score_wsi(const WsiPrepared& p, const w2v::SentenceVectors& sv, enc::Encoder* model,
                                 const enc::EncoderVocab& vocab, std::size_t window, std::size_t batch);

}  // namespace cmp
