// Word-in-Context (Pilehvar & Camacho-Collados 2019): does the target word
// have the same sense in two sentences? Read from DIR/<split>.data.txt
// (lemma, POS, "i-j" token indices, sentence 1, sentence 2; tab-separated)
// and DIR/<split>.gold.txt (T/F). Scored as in the paper's baselines: a
// cosine threshold chosen on the train split, applied to the other splits.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tokenizer/normalizer.h"

namespace cmp {

struct WicItem {
  std::string lemma;                   // normalised; empty if it normalises to nothing
  std::vector<std::string> t1, t2;     // normalised tokens of the two sentences
  std::size_t p1 = 0, p2 = 0;          // the target's position in t1, t2
  std::string s1, s2;                  // the two sentences as written (for an encoder reading raw text)
  std::size_t i1 = 0, i2 = 0;          // the target's index among their space-separated tokens
  bool same = false;                   // gold: same sense
  std::size_t line = 0;                // in DIR/<split>.data.txt (for messages)
};

struct WicSplit {
  std::string name;  // from the file name: "dev.data.txt" -> "dev"
  std::vector<WicItem> items;
};

// Reads every <split>.data.txt with its gold file; "train" comes first, the
// others in name order; lemmas and sentences normalised with `norm`. Throws
// InputError (no train split, missing gold file, invalid UTF-8 naming
// file:line and byte) or FormatError naming file:line (missing columns, an
// index out of range of the sentence, a gold label other than T/F, line
// counts differ).
// words_required: a sentence with no word left after normalisation is a
// FormatError; without it (only an encoder reading raw text will use the
// items) its t1/t2 are empty and p1/p2 0.
std::vector<WicSplit> read_wic(const std::string& dir, const tok::NormalizerOptions& norm = {},
                               bool words_required = true);

// Normalises (with n) the space-separated tokens of a WiC sentence one by one and
// returns the position, in the normalised tokens, of space token `index`
// (its first normalised token; if it normalises to nothing, the next token
// that does, else the previous one). Throws FormatError if index is out of
// range or, when words_required, nothing in the sentence survives
// normalisation (else the position is 0 of no tokens).
std::size_t wic_position(const std::string& sentence, std::size_t index, std::vector<std::string>* tokens,
                         tok::Normalizer& n, bool words_required = true);

struct WicThreshold {
  double threshold = 0;       // predict "same" when cosine >= threshold
  double train_accuracy = 0;  // x100
};

// The threshold maximising accuracy on (cosine, gold): every distinct cosine
// and +infinity ("never same") are tried; ties go to the smallest threshold.
WicThreshold choose_threshold(const std::vector<double>& cosine, const std::vector<bool>& gold);
// Accuracy x100 of "same iff cosine >= threshold".
double wic_accuracy(const std::vector<double>& cosine, const std::vector<bool>& gold, double threshold);

}  // namespace cmp
