// Word-pair similarity files (WordSim-353, SimLex-999, RUSSE HJ): word pairs
// with a human score, in one of two layouts, detected per file.
//
// The first line that is neither blank nor a '#' comment decides: when it
// holds a comma and no tab, the file is CSV; otherwise it is whitespace
// separated. In a CSV file that first line is a header (column names) when
// its third field is not a number, and the first pair otherwise.
//
// - whitespace layout: "word1 word2 score" (tabs or spaces); fields after the
//   third are ignored.
// - CSV layout: "word1,word2,score" (RFC 4180 quoting on one line, see
//   common::split_csv); every line has as many fields as the first one, and
//   the first three are the two words and the score.
//
// In both, blank lines and lines starting with '#' are skipped, a UTF-8 byte
// order mark at the start is ignored, and the text must be UTF-8. Words are
// kept exactly as written.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace w2v {

enum class PairFileLayout { kWhitespace, kCsv };

struct ScoredPair {
  std::string first, second;
  double score = 0;
  std::size_t line = 0;  // 1-based line in the file
};

struct SimilarityPairs {
  PairFileLayout layout = PairFileLayout::kWhitespace;
  bool header = false;  // CSV: the first line named the columns
  std::vector<ScoredPair> pairs;
};

// Reads a similarity file. Throws common::InputError when it cannot be read
// and common::FormatError naming the file, the line (and the byte, for
// quoting and UTF-8 errors) for a malformed line, a score that is not a
// finite number, an empty word, or a file without pairs.
SimilarityPairs read_similarity_pairs(const std::string& path);

}  // namespace w2v
