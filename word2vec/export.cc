#include "word2vec/export.h"

#include <cstdio>
#include <filesystem>

#include "common/atomic_file.h"
#include "common/buffered_writer.h"
#include "common/errors.h"
#include "common/npy.h"

namespace w2v {

namespace {

void write_words(common::AtomicFile& out, const std::vector<std::string>& words) {
  common::BufferedWriter buf(out);
  for (const auto& w : words) {
    buf.append(w);
    buf.push_back('\n');
  }
  buf.flush();
}

void write_tsv(common::AtomicFile& out, const common::Matrix& m) {
  common::BufferedWriter buf(out);
  char num[32];
  for (std::size_t r = 0; r < m.rows(); ++r) {
    for (std::size_t c = 0; c < m.cols(); ++c) {
      const int n = std::snprintf(num, sizeof num, "%.6g", static_cast<double>(m.at(r, c)));
      if (c) buf.push_back('\t');
      buf.append(num, static_cast<std::size_t>(n));
    }
    buf.push_back('\n');
  }
  buf.flush();
}

}  // namespace

void export_npy(const std::string& base, const Embeddings& e) {
  common::AtomicFile npy(base + ".npy"), vocab(base + ".vocab.txt");
  const auto& m = e.vectors;
  common::write_npy(npy, m.data(), m.rows(), m.cols(), m.ld());
  write_words(vocab, e.words);
  common::commit_all({&npy, &vocab});
}

void export_projector(const std::string& dir, const Embeddings& e) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool existed = fs::exists(dir, ec);
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw common::IoError("cannot create directory '" + dir + "'" + (ec ? ": " + ec.message() : ""));
  try {
    common::AtomicFile vec((std::filesystem::path(dir) / "vectors.tsv").string()),
        meta((std::filesystem::path(dir) / "metadata.tsv").string());
    write_tsv(vec, e.vectors);
    write_words(meta, e.words);
    common::commit_all({&vec, &meta});
  } catch (...) {
    if (!existed) fs::remove(dir, ec);  // the directory this call made, now empty again
    throw;
  }
}

}  // namespace w2v
