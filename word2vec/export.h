// Vectors for other tools: numpy (.npy + a word list) and the TensorBoard
// projector (vectors.tsv + metadata.tsv). Each output of several files
// appears whole or not at all (common::commit_all).
#pragma once

#include <string>

#include "word2vec/vectors_io.h"

namespace w2v {

// BASE.npy (float32, words x dim) and BASE.vocab.txt (one word per line).
void export_npy(const std::string& base, const Embeddings& e);
// DIR/vectors.tsv and DIR/metadata.tsv; DIR is created if missing (and then
// removed again if the files cannot be written).
void export_projector(const std::string& dir, const Embeddings& e);

}  // namespace w2v
