// wordlens export: vectors to TensorBoard projector TSV, numpy .npy, or
// word2vec text.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include <boost/program_options.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "common/enum_names.h"
#include "common/errors.h"
#include "word2vec/export.h"
#include "word2vec/vectors_io.h"

namespace po = boost::program_options;

namespace cli {

namespace {

enum class ExportFormat { kTsv, kNpy, kVec };
constexpr common::EnumNames<ExportFormat, 3> kExportFormats{
    {{ExportFormat::kTsv, "tsv"}, {ExportFormat::kNpy, "npy"}, {ExportFormat::kVec, "vec"}}};

}  // namespace

int cmd_export(int argc, char** argv) {
  std::string vectors, format, out;
  std::size_t limit = 0;
  po::options_description desc(
      "usage: wordlens export VECTORS --format tsv|npy|vec OUT\n\n"
      "  tsv  OUT is a directory: vectors.tsv + metadata.tsv for the TensorBoard projector\n"
      "  npy  OUT.npy (float32, words x dim) + OUT.vocab.txt (one word per line, same order)\n"
      "  vec  OUT in word2vec text format (readable by gensim, fastText tools, ...)\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("vectors", po::value(&vectors), "input vectors (word2vec binary/text or fastText .vec)")
    ("format", po::value(&format), "tsv, npy or vec")
    ("out", po::value(&out), "output path")
    ("limit", po::value(&limit)->default_value(0), "export only the N first (most frequent) words (0 = all)");
  // clang-format on
  po::positional_options_description pos;
  pos.add("vectors", 1).add("out", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm, &pos)) return 0;
  if (vectors.empty() || out.empty()) throw common::OptionError("usage: wordlens export VECTORS --format tsv|npy|vec OUT");
  const ExportFormat f = common::parse_enum(kExportFormats, format, "--format");
  auto e = w2v::read_vectors(vectors, limit);
  const auto& m = e.vectors;
  if (f == ExportFormat::kVec) {
    std::vector<std::string_view> words(e.words.begin(), e.words.end());
    w2v::write_vectors(out, words, m, false);
    std::cout << "wrote " << out << " (" << m.rows() << " x " << m.cols() << ")\n";
  } else if (f == ExportFormat::kNpy) {
    const std::string base = out.size() > 4 && out.ends_with(".npy") ? out.substr(0, out.size() - 4) : out;
    w2v::export_npy(base, e);
    std::cout << "wrote " << base << ".npy (" << m.rows() << " x " << m.cols() << " float32) and " << base
              << ".vocab.txt\n";
  } else {
    w2v::export_projector(out, e);
    const std::filesystem::path dir(out);
    std::cout << "wrote " << (dir / "vectors.tsv").string() << " and " << (dir / "metadata.tsv").string() << " ("
              << m.rows() << " x " << m.cols() << "): load them at projector.tensorflow.org or in TensorBoard\n";
  }
  return 0;
}

}  // namespace cli
