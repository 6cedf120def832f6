// The file of a sentence index (`wordlens index`, read by `wordlens search`):
// one unit vector per line of a text file, the byte offset of every line,
// and what is needed to embed a query exactly as the lines were — the
// method, the files used (path and content fingerprint), the normaliser's
// spec and, for SIF, the first principal component of the indexed lines.
//
// Layout, little-endian:
//   [0, 16)   magic "wordlens-index\n\0"
//   [16, 24)  u64 rows n          [24, 32) u64 dim d
//   [32, 36)  u32 dtype (0 f32, 1 f16)   [36, 40) u32 0
//   [40, 48)  u64 metadata bytes m
//   vectors [n, d] (f32 or f16; unit rows, zero rows for lines without a known token)
//   offsets [n + 1] u64: line i is bytes [offsets[i], offsets[i+1]) of the source, '\n' included
//   metadata: m bytes of JSON (SentenceIndexMeta::to_json)
// The file's size must be exactly that: anything else is a FormatError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/atomic_file.h"
#include "common/aligned.h"
#include "compare/sentence_embedder.h"

namespace cmp {

enum class IndexDtype { kF32, kF16 };
// "f32", "f16"; parse: OptionError "WHAT: 'x' is not one of f32, f16".
std::string_view to_string(IndexDtype d);
IndexDtype parse_index_dtype(std::string_view text, std::string_view what);

// A file an index was made from: the path (absolute) and its content
// fingerprint (common::content_fingerprint). Empty path: not used.
struct FileRef {
  std::string path, fingerprint;
  bool used() const { return !path.empty(); }
  static FileRef of(const std::string& path);  // empty path -> unused
};

struct SentenceIndexMeta {
  SentenceMethod method = SentenceMethod::kAvg;
  IndexDtype dtype = IndexDtype::kF32;
  std::size_t rows = 0, dim = 0, empty = 0;  // empty: lines without a known token (zero rows)
  FileRef source, vectors, vocab, model, tokenizer;
  std::optional<std::string> normalizer;  // the spec; none: raw text (an encoder of BPE tokens)
  double sif_a = 1e-3;
  enc::LayerChoice layer;             // encoder-*: whose hidden states were pooled
  std::vector<double> sif_component;  // [dim] for sif, encoder-sif: removed from every line and every query

  std::string to_json() const;
  // FormatError naming `where` for anything missing or inconsistent.
  static SentenceIndexMeta from_json(std::string_view text, const std::string& where);
};

// Writes an index as its rows come, atomically (nothing is left behind if
// finish() is never reached).
class SentenceIndexWriter {
 public:
  SentenceIndexWriter(const std::string& path, IndexDtype dtype, std::size_t dim);
  // Appends rows x[S, dim] (unit or zero rows), converted to the dtype.
  void add(const common::Matrix& x);
  std::size_t rows() const { return rows_; }
  // Writes the offsets [rows() + 1] and the metadata (its rows, dim, dtype
  // and empty — the zero rows written — set here), then commits the file.
  void finish(const std::vector<std::uint64_t>& offsets, SentenceIndexMeta meta);

 private:
  common::AtomicFile out_;
  IndexDtype dtype_;
  std::size_t dim_, rows_ = 0, zero_rows_ = 0;
};

struct SentenceIndex {
  SentenceIndexMeta meta;
  common::Matrix unit;                  // [n, dim] unit rows (f16 files: widened exactly)
  std::vector<std::uint64_t> offsets;   // [n + 1]
  std::vector<std::int32_t> zero_rows;  // ascending: lines that match nothing
};

// InputError if the file cannot be opened; FormatError naming the file and
// the part that is wrong (magic, sizes, truncation, offsets, metadata, rows
// that are neither unit nor zero).
SentenceIndex read_sentence_index(const std::string& path);

}  // namespace cmp
