#include "word2vec/vectors_record.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/errors.h"

namespace w2v {

namespace {
constexpr const char* kFormat = "wordlens-vectors-record 1";
}

std::string record_path(const std::string& vectors_path) { return vectors_path + ".json"; }

std::string VectorsRecord::to_json() const {
  nlohmann::ordered_json j;
  j["format"] = kFormat;
  j["normalizer"] = normalizer ? nlohmann::ordered_json(normalizer->spec()) : nlohmann::ordered_json(nullptr);
  j["tokenizer"] = bpe() ? "bpe" : "whitespace";
  if (bpe()) j["bpe_model"] = bpe_model;
  j["vectors_bytes"] = vectors_bytes;
  return j.dump(2) + "\n";
}

VectorsRecord VectorsRecord::from_json(const std::string& text, const std::string& where) {
  auto bad = [&](const std::string& why) {
    return common::FormatError(where + ": " + why + " (the record `wordlens train` writes beside its vectors; delete it if "
                               "the vectors came from elsewhere)");
  };
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    throw bad("not JSON");
  }
  if (!j.is_object() || !j.contains("format") || j["format"] != kFormat) throw bad("not a wordlens vectors record");
  VectorsRecord r;
  try {
    const auto& n = j.at("normalizer");
    if (!n.is_null()) r.normalizer = tok::NormalizerOptions::from_spec(n.get<std::string>(), where);
    const std::string tokenizer = j.at("tokenizer").get<std::string>();
    if (tokenizer == "bpe") r.bpe_model = j.at("bpe_model").get<std::string>();
    else if (tokenizer != "whitespace") throw bad("tokenizer '" + tokenizer + "' is not whitespace or bpe");
    if (r.bpe() && r.normalizer) throw bad("BPE tokens are not normalised");
    if (r.bpe_model.empty() && tokenizer == "bpe") throw bad("bpe_model is empty");
    r.vectors_bytes = j.at("vectors_bytes").get<std::uint64_t>();
  } catch (const nlohmann::json::exception&) {
    throw bad("a field is missing or of the wrong type");
  }
  return r;
}

std::optional<VectorsRecord> read_vectors_record(const std::string& vectors_path) {
  namespace fs = std::filesystem;
  const std::string path = record_path(vectors_path);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw common::InputError("cannot read the vectors record '" + path + "'");
  VectorsRecord r = VectorsRecord::from_json(text.str(), path);
  const auto size = fs::file_size(vectors_path, ec);
  if (!ec && size != r.vectors_bytes) {
    spdlog::warn("{} describes a vectors file of {} bytes, {} has {}: ignored (the vectors were replaced since)", path,
                 r.vectors_bytes, vectors_path, size);
    return std::nullopt;
  }
  return r;
}

}  // namespace w2v
