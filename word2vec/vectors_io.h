// Word vectors in word2vec.c's formats: a "V D\n" header, then per word the
// word, a space, and D float32 (binary, little-endian) or D "%lf " numbers
// (text), then '\n'. Reading auto-detects the two and also accepts files
// without the trailing newline after a binary row (gensim) and fastText .vec.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/aligned.h"

namespace common {
class AtomicFile;
}

namespace w2v {

struct Embeddings {
  std::vector<std::string> words;  // [V] in file order
  common::Matrix vectors;          // [V, D]
};

// Writes words[i] with row i of m (first m.cols() columns), atomically.
// Throws FormatError for a word that is empty or contains whitespace.
void write_vectors(const std::string& path, const std::vector<std::string_view>& words, const common::Matrix& m,
                   bool binary);
// The same into an open file, not committed (the caller commits it, with
// the vectors' record); returns the bytes written.
std::uint64_t write_vectors(common::AtomicFile& out, const std::vector<std::string_view>& words, const common::Matrix& m,
                            bool binary);

// Reads a word2vec binary/text or fastText .vec file; `limit` > 0 reads only
// the first `limit` words. Throws InputError/FormatError naming the file and
// the line or byte offset of the problem.
Embeddings read_vectors(const std::string& path, std::size_t limit = 0);

}  // namespace w2v
