#include "compare/index_build.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

#include "common/errors.h"
#include "compare/line_embedder.h"
#include "word2vec/sentence_vectors.h"

namespace cmp {

namespace {

// Lines of the input with the byte offset of each line's start.
class OffsetLineReader {
 public:
  explicit OffsetLineReader(const std::string& path) : in_(path, std::ios::binary), path_(path) {
    if (!in_) throw common::InputError("cannot open input '" + path + "': " + std::strerror(errno));
    offsets_.push_back(0);
  }
  // Up to n lines (a trailing '\r' dropped) appended to *lines; false at the end of the file.
  bool next_chunk(std::size_t n, std::vector<std::string>* lines) {
    lines->clear();
    std::string line;
    while (lines->size() < n && std::getline(in_, line)) {
      pos_ += line.size() + (in_.eof() ? 0 : 1);
      offsets_.push_back(pos_);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines->push_back(std::move(line));
    }
    if (in_.bad()) throw common::InputError("cannot read input '" + path_ + "' after line " + std::to_string(offsets_.size() - 1));
    return !lines->empty();
  }
  std::uint64_t bytes() const { return pos_; }
  const std::vector<std::uint64_t>& offsets() const { return offsets_; }

 private:
  std::ifstream in_;
  std::string path_;
  std::uint64_t pos_ = 0;
  std::vector<std::uint64_t> offsets_;  // [lines + 1]
};

struct ScratchFile {  // unnamed temporary file, removed when closed
  std::FILE* f = std::tmpfile();
  ~ScratchFile() {
    if (f) std::fclose(f);
  }
};

void write_scratch(ScratchFile& s, const common::Matrix& x) {
  for (std::size_t i = 0; i < x.rows(); ++i)
    if (std::fwrite(x.row(i), sizeof(float), x.cols(), s.f) != x.cols())
      throw common::IoError(std::string("cannot write the scratch file of the SIF rows: ") + std::strerror(errno));
}

// Second SIF pass: rows back from the scratch file, the component removed, unit length, into the index.
void finish_sif(ScratchFile& s, std::size_t rows, std::size_t dim, std::size_t chunk, const std::vector<double>& u,
                SentenceIndexWriter& out) {
  if (std::fflush(s.f) != 0 || std::fseek(s.f, 0, SEEK_SET) != 0) throw common::IoError("cannot rewind the SIF scratch file");
  for (std::size_t at = 0; at < rows; at += chunk) {
    common::Matrix x(std::min(chunk, rows - at), dim);  // [S, d]
    for (std::size_t i = 0; i < x.rows(); ++i)
      if (std::fread(x.row(i), sizeof(float), dim, s.f) != dim) throw common::IoError("cannot read the SIF scratch file back");
    w2v::remove_component(x, u);
    normalize_rows(x);
    out.add(x);
  }
}

void add_counts(IndexBuildStats& st, const EmbedStats& e) {
  st.empty += e.empty, st.tokens += e.tokens, st.known += e.known, st.truncated += e.truncated;
}

}  // namespace

void IndexBuildOptions::validate() const {
  if (input.empty() || output.empty()) throw common::OptionError("--input and --output are required");
  if (chunk_lines == 0) throw common::OptionError("the chunk must hold at least one line");
  embed.validate();
}

IndexBuildStats build_sentence_index(const IndexBuildOptions& opt, const IndexProgress& progress) {
  opt.validate();
  SentenceIndexMeta meta;
  meta.method = opt.embed.method, meta.sif_a = opt.embed.sif_a, meta.layer = opt.embed.layer;
  meta.source = FileRef::of(opt.input);
  meta.vectors = FileRef::of(opt.embed.vectors), meta.vocab = FileRef::of(opt.embed.vocab);
  meta.model = FileRef::of(opt.embed.model), meta.tokenizer = FileRef::of(opt.embed.tokenizer);
  const std::uint64_t total = std::stoull(meta.source.fingerprint);  // "B bytes, ..."
  LineEmbedder embedder(opt.embed);
  embedder.choose_normalizer(opt.normalizer);
  OffsetLineReader reader(opt.input);
  std::unique_ptr<SentenceIndexWriter> out;
  std::unique_ptr<w2v::GramMatrix> gram;
  ScratchFile scratch;
  const bool sif = removes_component(opt.embed.method);
  if (sif && !scratch.f) throw common::IoError(std::string("cannot create a scratch file for the SIF rows: ") + std::strerror(errno));
  IndexBuildStats st;
  std::vector<std::string> lines;
  while (reader.next_chunk(opt.chunk_lines, &lines)) {
    EmbedStats es;
    common::Matrix x = embedder.embed(lines, st.lines + 1, opt.input, &es);  // [S, d]
    add_counts(st, es);
    st.lines += lines.size();
    if (!out) {
      st.dim = x.cols();
      out = std::make_unique<SentenceIndexWriter>(opt.output, opt.dtype, st.dim);
      gram = std::make_unique<w2v::GramMatrix>(st.dim);
    }
    if (sif) {
      gram->add(x);
      write_scratch(scratch, x);
    } else {
      normalize_rows(x);
      out->add(x);
    }
    if (progress) progress(reader.bytes(), total);
  }
  if (st.lines == 0) throw common::InputError("input '" + opt.input + "' has no lines to index");
  if (FileRef::of(opt.input).fingerprint != meta.source.fingerprint || reader.bytes() != total)
    throw common::InputError("input '" + opt.input + "' changed while it was being indexed: run again");
  if (sif) {
    meta.sif_component = gram->first_component();
    if (meta.sif_component.empty()) meta.sif_component.assign(st.dim, 0.0);  // every line empty: nothing to remove
    finish_sif(scratch, st.lines, st.dim, opt.chunk_lines, meta.sif_component, *out);
  }
  st.bytes = reader.bytes();
  meta.normalizer = st.normalizer = embedder.normalizer_spec();
  out->finish(reader.offsets(), meta);
  return st;
}

}  // namespace cmp
