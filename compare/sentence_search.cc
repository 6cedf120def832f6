#include "compare/sentence_search.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/errors.h"
#include "common/file_identity.h"
#include "word2vec/nearest_rows.h"
#include "word2vec/sentence_vectors.h"

namespace cmp {

std::string checked_file(const FileRef& recorded, const std::string& override_path, const std::string& what,
                         const std::string& index_path) {
  if (!recorded.used()) {
    if (!override_path.empty()) throw common::OptionError(what + ": " + index_path + " was built without one");
    return "";
  }
  const std::string path = override_path.empty() ? recorded.path : override_path;
  std::string now;
  try {
    now = common::content_fingerprint(path);
  } catch (const common::InputError& e) {
    throw common::InputError(std::string(e.what()) + " (" + what + " of " + index_path + "; give it with " + what + " if it moved)");
  }
  if (now != recorded.fingerprint)
    throw common::InputError(what + " '" + path + "' (" + now + ") is not the file " + index_path + " was built with ('" +
                             recorded.path + "', " + recorded.fingerprint + "): give that one, or build a new index");
  return path;
}

SentenceSearch::SentenceSearch(const std::string& index_path, const SearchFiles& files)
    : path_(index_path), index_(read_sentence_index(index_path)) {
  const auto& m = index_.meta;
  source_ = files.source.empty() ? m.source.path : files.source;
  const std::string now = common::content_fingerprint(source_);
  if (now != m.source.fingerprint)
    throw common::InputError("'" + source_ + "' changed since " + index_path + " was built (now " + now + ", then " +
                             m.source.fingerprint + "): build the index again (wordlens index)");
  SentenceEmbedderOptions eo;
  eo.method = m.method, eo.sif_a = m.sif_a, eo.layer = m.layer, eo.threads = files.threads;
  eo.vectors = checked_file(m.vectors, files.vectors, "--vectors", index_path);
  eo.vocab = checked_file(m.vocab, files.vocab, "--vocab", index_path);
  eo.model = checked_file(m.model, files.model, "--model", index_path);
  eo.tokenizer = checked_file(m.tokenizer, files.tokenizer, "--tokenizer", index_path);
  embedder_ = std::make_unique<LineEmbedder>(eo);
  embedder_->use_normalizer(m.normalizer, index_path);
  half_ = w2v::fast_copy(index_.unit);
  fd_ = ::open(source_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw common::InputError("cannot open '" + source_ + "': " + std::strerror(errno));
}

SentenceSearch::~SentenceSearch() {
  if (fd_ >= 0) ::close(fd_);
}

bool SentenceSearch::embed_query(const std::string& query, common::AlignedFloats* q) {
  common::Matrix x = embedder_->embed({query}, 1, "query", nullptr);  // [1, d]
  if (x.cols() != meta().dim)
    throw common::InputError("the model gives vectors of dimension " + std::to_string(x.cols()) + ", the index holds " +
                             std::to_string(meta().dim));
  if (removes_component(meta().method)) w2v::remove_component(x, meta().sif_component);
  normalize_rows(x);
  q->reset(ld());
  std::copy(x.row(0), x.row(0) + x.ld(), q->data());
  for (std::size_t j = 0; j < meta().dim; ++j)
    if (x.at(0, j) != 0.f) return true;
  return false;
}

std::vector<common::Hit> SentenceSearch::nearest(const float* q, std::size_t k) const {
  return w2v::nearest_rows(index_.unit, half_, index_.unit.rows(), q, k, {}, index_.zero_rows);
}

std::vector<common::Hit> SentenceSearch::nearest_ref(const float* q, std::size_t k) const {
  return w2v::nearest_rows_ref(index_.unit, index_.unit.rows(), q, k, {}, index_.zero_rows);
}

std::string SentenceSearch::line(std::int32_t row) const {
  const auto r = static_cast<std::size_t>(row);
  if (row < 0 || r + 1 >= index_.offsets.size()) throw common::InputError("no line " + std::to_string(r + 1) + " in " + path_);
  const std::uint64_t begin = index_.offsets[r], end = index_.offsets[r + 1];
  std::string s(end - begin, '\0');
  const ssize_t n = ::pread(fd_, s.data(), s.size(), static_cast<off_t>(begin));
  const bool last = r + 2 == index_.offsets.size();
  if (n != static_cast<ssize_t>(s.size()) || (!last && (s.empty() || s.back() != '\n')))
    throw common::InputError("cannot read line " + std::to_string(r + 1) + " of '" + source_ + "' (it changed since " + path_ + " was built?)");
  if (!s.empty() && s.back() == '\n') s.pop_back();
  if (!s.empty() && s.back() == '\r') s.pop_back();
  return s;
}

}  // namespace cmp
