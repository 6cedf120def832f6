#include "compare/sentence_index.h"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/enum_names.h"
#include "common/errors.h"
#include "common/file_identity.h"
#include "word2vec/half_matrix.h"

namespace cmp {

namespace {

constexpr char kMagic[16] = {'w', 'o', 'r', 'd', 'l', 'e', 'n', 's', '-', 'i', 'n', 'd', 'e', 'x', '\n', '\0'};
constexpr std::size_t kHeaderBytes = 48;
constexpr const char* kFormat = "wordlens-index 1";
constexpr std::uint64_t kMaxRows = 0x7fffffff;  // hits are int32 row ids
constexpr std::uint64_t kMaxDim = 65536;
constexpr std::uint64_t kMaxMetaBytes = std::uint64_t{1} << 30;

constexpr common::EnumNames<IndexDtype, 2> kDtypes{{{IndexDtype::kF32, "f32"}, {IndexDtype::kF16, "f16"}}};

std::size_t width(IndexDtype d) { return d == IndexDtype::kF16 ? 2 : 4; }

void put_u64(unsigned char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
std::uint64_t get_u64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
  return v;
}

nlohmann::ordered_json ref_json(const FileRef& f) {
  if (!f.used()) return nullptr;
  return {{"path", f.path}, {"fingerprint", f.fingerprint}};
}

FileRef ref_from(const nlohmann::ordered_json& j, const char* key) {
  const auto& v = j.at(key);
  if (v.is_null()) return {};
  return {v.at("path").get<std::string>(), v.at("fingerprint").get<std::string>()};
}

}  // namespace

std::string_view to_string(IndexDtype d) { return common::enum_name(kDtypes, d); }
IndexDtype parse_index_dtype(std::string_view text, std::string_view what) { return common::parse_enum(kDtypes, text, what); }

FileRef FileRef::of(const std::string& path) {
  if (path.empty()) return {};
  return {std::filesystem::absolute(path).lexically_normal().string(), common::content_fingerprint(path)};
}

std::string SentenceIndexMeta::to_json() const {
  nlohmann::ordered_json j;
  j["format"] = kFormat;
  j["method"] = std::string(cmp::to_string(method));
  j["dtype"] = std::string(cmp::to_string(dtype));
  j["rows"] = rows, j["dim"] = dim, j["empty"] = empty;
  j["source"] = ref_json(source), j["vectors"] = ref_json(vectors), j["vocab"] = ref_json(vocab);
  j["model"] = ref_json(model), j["tokenizer"] = ref_json(tokenizer);
  j["normalizer"] = normalizer ? nlohmann::ordered_json(*normalizer) : nlohmann::ordered_json(nullptr);
  j["sif_a"] = sif_a;
  j["layer"] = enc::to_string(layer);
  j["sif_component"] = sif_component.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(sif_component);
  return j.dump();
}

SentenceIndexMeta SentenceIndexMeta::from_json(std::string_view text, const std::string& where) {
  SentenceIndexMeta m;
  try {
    const auto j = nlohmann::ordered_json::parse(text);
    if (j.at("format").get<std::string>() != kFormat)
      throw common::FormatError(where + ": metadata format '" + j.at("format").get<std::string>() + "', expected '" + kFormat + "'");
    m.method = parse_sentence_method(j.at("method").get<std::string>(), "method");
    m.dtype = parse_index_dtype(j.at("dtype").get<std::string>(), "dtype");
    m.rows = j.at("rows").get<std::size_t>(), m.dim = j.at("dim").get<std::size_t>(), m.empty = j.at("empty").get<std::size_t>();
    m.source = ref_from(j, "source"), m.vectors = ref_from(j, "vectors"), m.vocab = ref_from(j, "vocab");
    m.model = ref_from(j, "model"), m.tokenizer = ref_from(j, "tokenizer");
    if (!j.at("normalizer").is_null()) m.normalizer = j.at("normalizer").get<std::string>();
    m.sif_a = j.at("sif_a").get<double>();
    // Indexes written before layers could be chosen pooled the final states.
    if (j.contains("layer")) m.layer = enc::parse_layer_choice(j.at("layer").get<std::string>(), "layer");
    if (!j.at("sif_component").is_null()) m.sif_component = j.at("sif_component").get<std::vector<double>>();
  } catch (const nlohmann::json::exception& e) {
    throw common::FormatError(where + ": damaged metadata: " + e.what());
  } catch (const common::OptionError& e) {
    throw common::FormatError(where + ": damaged metadata: " + e.what());
  }
  if (!m.source.used()) throw common::FormatError(where + ": the metadata names no source file");
  if (removes_component(m.method) && m.sif_component.size() != m.dim)
    throw common::FormatError(where + ": a sif index needs a component of " + std::to_string(m.dim) + " numbers");
  for (double x : m.sif_component)
    if (!std::isfinite(x)) throw common::FormatError(where + ": the sif component holds a non-finite number");
  return m;
}

SentenceIndexWriter::SentenceIndexWriter(const std::string& path, IndexDtype dtype, std::size_t dim)
    : out_(path), dtype_(dtype), dim_(dim) {
  unsigned char header[kHeaderBytes] = {};  // sizes are written by finish()
  out_.write(header, sizeof header);
}

void SentenceIndexWriter::add(const common::Matrix& x) {
  if (x.cols() != dim_) throw common::InputError("index rows of dimension " + std::to_string(x.cols()) + ", expected " + std::to_string(dim_));
  std::vector<unsigned char> buf(x.rows() * dim_ * width(dtype_));
  for (std::size_t i = 0; i < x.rows(); ++i) {
    const float* r = x.row(i);
    zero_rows_ += std::all_of(r, r + dim_, [](float v) { return v == 0.f; }) ? 1 : 0;
    if (dtype_ == IndexDtype::kF32) {
      std::memcpy(buf.data() + i * dim_ * 4, r, dim_ * 4);
    } else {
      for (std::size_t j = 0; j < dim_; ++j) {
        const std::uint16_t h = w2v::float_to_half(r[j]);
        std::memcpy(buf.data() + (i * dim_ + j) * 2, &h, 2);
      }
    }
  }
  out_.write(buf.data(), buf.size());
  rows_ += x.rows();
}

void SentenceIndexWriter::finish(const std::vector<std::uint64_t>& offsets, SentenceIndexMeta meta) {
  if (offsets.size() != rows_ + 1)
    throw common::InputError(std::to_string(offsets.size()) + " line offsets for " + std::to_string(rows_) + " rows");
  std::vector<unsigned char> off(offsets.size() * 8);
  for (std::size_t i = 0; i < offsets.size(); ++i) put_u64(off.data() + i * 8, offsets[i]);
  out_.write(off.data(), off.size());
  meta.rows = rows_, meta.dim = dim_, meta.dtype = dtype_, meta.empty = zero_rows_;
  const std::string json = meta.to_json();
  out_.write(json);
  unsigned char header[kHeaderBytes] = {};
  std::memcpy(header, kMagic, sizeof kMagic);
  put_u64(header + 16, rows_), put_u64(header + 24, dim_);
  header[32] = dtype_ == IndexDtype::kF16 ? 1 : 0;
  put_u64(header + 40, json.size());
  if (std::fseek(out_.stream(), 0, SEEK_SET) != 0) throw common::IoError("cannot seek in " + out_.path());
  out_.write(header, sizeof header);
  out_.commit();
}

namespace {

struct Header {
  std::uint64_t rows, dim, meta_bytes;
  IndexDtype dtype;
};

// The header, checked against the file's size (which must be exact).
Header read_header(std::ifstream& in, std::uint64_t file_size, const std::string& path) {
  unsigned char h[kHeaderBytes];
  if (file_size < kHeaderBytes || !in.read(reinterpret_cast<char*>(h), kHeaderBytes))
    throw common::FormatError(path + ": not a wordlens index (shorter than its 48-byte header)");
  if (std::memcmp(h, kMagic, sizeof kMagic) != 0)
    throw common::FormatError(path + ": not a wordlens index (no 'wordlens-index' magic; build one with wordlens index)");
  Header hd{get_u64(h + 16), get_u64(h + 24), get_u64(h + 40), h[32] == 1 ? IndexDtype::kF16 : IndexDtype::kF32};
  if (h[32] > 1 || h[33] || h[34] || h[35]) throw common::FormatError(path + ": unknown vector dtype code " + std::to_string(h[32]));
  if (hd.rows == 0 || hd.rows > kMaxRows) throw common::FormatError(path + ": " + std::to_string(hd.rows) + " rows (1 to 2^31-1 expected)");
  if (hd.dim == 0 || hd.dim > kMaxDim) throw common::FormatError(path + ": dimension " + std::to_string(hd.dim) + " (1 to 65536 expected)");
  if (hd.meta_bytes == 0 || hd.meta_bytes > kMaxMetaBytes) throw common::FormatError(path + ": metadata of " + std::to_string(hd.meta_bytes) + " bytes");
  const std::uint64_t expect = kHeaderBytes + hd.rows * hd.dim * width(hd.dtype) + (hd.rows + 1) * 8 + hd.meta_bytes;
  if (expect != file_size)
    throw common::FormatError(path + ": " + std::to_string(file_size) + " bytes, but its header describes " + std::to_string(expect) +
                              (file_size < expect ? " (truncated)" : " (trailing bytes)"));
  return hd;
}

void read_exact(std::ifstream& in, void* p, std::size_t n, const std::string& path, const char* what) {
  if (!in.read(static_cast<char*>(p), static_cast<std::streamsize>(n))) throw common::FormatError(path + ": cannot read its " + what);
}

// Rows into out[n, dim]; each must be zero or of unit length (within fp16 rounding).
void read_rows(std::ifstream& in, const Header& hd, const std::string& path, SentenceIndex& idx) {
  const std::size_t n = hd.rows, d = hd.dim;
  idx.unit.resize(n, d);
  std::vector<unsigned char> buf(d * width(hd.dtype));
  for (std::size_t i = 0; i < n; ++i) {
    read_exact(in, buf.data(), buf.size(), path, "vectors");
    float* r = idx.unit.row(i);
    if (hd.dtype == IndexDtype::kF32) {
      std::memcpy(r, buf.data(), d * 4);
    } else {
      for (std::size_t j = 0; j < d; ++j) {
        std::uint16_t h;
        std::memcpy(&h, buf.data() + j * 2, 2);
        r[j] = w2v::half_to_float(h);
      }
    }
    double s = 0;
    for (std::size_t j = 0; j < d; ++j) s += static_cast<double>(r[j]) * r[j];
    if (s == 0) idx.zero_rows.push_back(static_cast<std::int32_t>(i));
    else if (!(std::fabs(s - 1) < 1e-2))
      throw common::FormatError(path + ": row " + std::to_string(i + 1) + " is not a unit vector (squared length " + std::to_string(s) + ")");
  }
}

}  // namespace

SentenceIndex read_sentence_index(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  struct stat st{};
  if (!in || ::stat(path.c_str(), &st) != 0) throw common::InputError("cannot open index '" + path + "': " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw common::InputError("cannot read index '" + path + "': not a regular file");
  const Header hd = read_header(in, static_cast<std::uint64_t>(st.st_size), path);
  SentenceIndex idx;
  read_rows(in, hd, path, idx);
  std::vector<unsigned char> off((hd.rows + 1) * 8);
  read_exact(in, off.data(), off.size(), path, "line offsets");
  idx.offsets.resize(hd.rows + 1);
  for (std::size_t i = 0; i <= hd.rows; ++i) {
    idx.offsets[i] = get_u64(off.data() + i * 8);
    if (i == 0 ? idx.offsets[0] != 0 : idx.offsets[i] <= idx.offsets[i - 1])
      throw common::FormatError(path + ": line offsets are not increasing from 0 (at line " + std::to_string(i + 1) + ")");
  }
  std::string json(hd.meta_bytes, '\0');
  read_exact(in, json.data(), json.size(), path, "metadata");
  idx.meta = SentenceIndexMeta::from_json(json, path);
  if (idx.meta.rows != hd.rows || idx.meta.dim != hd.dim || idx.meta.dtype != hd.dtype)
    throw common::FormatError(path + ": the metadata's rows, dim or dtype differ from the header's");
  if (idx.meta.empty != idx.zero_rows.size())
    throw common::FormatError(path + ": the metadata counts " + std::to_string(idx.meta.empty) + " empty lines, the vectors " +
                              std::to_string(idx.zero_rows.size()));
  return idx;
}

}  // namespace cmp
