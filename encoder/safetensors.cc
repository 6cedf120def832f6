#include "encoder/safetensors.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/errors.h"

namespace enc {

std::size_t StTensor::numel() const {
  std::size_t n = 1;
  for (auto s : shape)
    if (__builtin_mul_overflow(n, s, &n)) return kNumelOverflow;
  return n;
}

std::vector<float> StTensor::as_floats(const std::string& name) const {
  if (dtype != "F32") throw common::FormatError("tensor '" + name + "' has dtype " + dtype + ", expected F32");
  std::vector<float> v(numel());
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i]))
      throw common::FormatError("tensor '" + name + "' holds a non-finite value (" + std::to_string(v[i]) +
                                ") at element " + std::to_string(i) + ": the weights are corrupt or training diverged");
  return v;
}

std::vector<std::int64_t> StTensor::as_ints(const std::string& name) const {
  std::vector<std::int64_t> v(numel());
  if (dtype == "I64") {
    std::memcpy(v.data(), bytes.data(), v.size() * 8);
  } else if (dtype == "I32") {
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::int32_t x;
      std::memcpy(&x, bytes.data() + 4 * i, 4);
      v[i] = x;
    }
  } else {
    throw common::FormatError("tensor '" + name + "' has dtype " + dtype + ", expected I32 or I64");
  }
  return v;
}

namespace {

// A JSON array of whole numbers >= 0 ("shape", "data_offsets"). nlohmann's
// get<std::vector<std::size_t>> would convert a float such as 1e70 (undefined
// behaviour) or wrap a negative number instead of refusing it.
std::vector<std::uint64_t> whole_numbers(const nlohmann::json& v, const std::string& what,
                                         const std::function<common::FormatError(const std::string&)>& fail) {
  if (!v.is_array()) throw fail(what + " is not an array");
  std::vector<std::uint64_t> out;
  for (const auto& x : v) {
    if (!x.is_number_unsigned()) throw fail(what + " holds " + x.dump().substr(0, 40) + ", not a whole number >= 0");
    out.push_back(x.get<std::uint64_t>());
  }
  return out;
}

// A safetensors file's JSON header, checked to be an object; `in` is left
// open at the first data byte (8 + header_bytes), data_size bytes follow.
struct StHeader {
  nlohmann::json json;
  std::uint64_t header_bytes = 0, data_size = 0;
};

StHeader read_header(std::ifstream& in, const std::string& path) {
  in.open(path, std::ios::binary | std::ios::ate);
  if (!in) throw common::InputError("cannot open weights file '" + path + "'");
  const auto file_size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  auto fail = [&](const std::string& why) { return common::FormatError(path + ": " + why); };
  std::uint64_t n = 0;
  unsigned char len[8];
  if (file_size < 8 || !in.read(reinterpret_cast<char*>(len), 8)) throw fail("too short to be a safetensors file");
  for (int i = 7; i >= 0; --i) n = (n << 8) | len[i];
  if (n < 2 || n > file_size - 8 || n > (100u << 20)) throw fail("not a safetensors file (bad header length)");
  std::string header(n, '\0');
  if (!in.read(header.data(), static_cast<std::streamsize>(n))) throw fail("file ends inside its header (truncated?)");
  StHeader h;
  try {
    h.json = nlohmann::json::parse(header);
  } catch (const nlohmann::json::exception&) {
    throw fail("not a safetensors file (header is not JSON)");
  }
  if (!h.json.is_object()) throw fail("not a safetensors file (header is not a JSON object)");
  h.header_bytes = n;
  h.data_size = file_size - 8 - n;
  return h;
}

// The "__metadata__" object (every value a string) into *meta.
void read_metadata(const nlohmann::json& m, const std::string& path, std::map<std::string, std::string>* meta) {
  if (!m.is_object()) throw common::FormatError(path + ": __metadata__ is not an object");
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (!it.value().is_string()) throw common::FormatError(path + ": metadata '" + it.key() + "' is not a string");
    (*meta)[it.key()] = it.value().get<std::string>();
  }
}

}  // namespace

std::map<std::string, std::string> read_safetensors_metadata(const std::string& path) {
  std::ifstream in;
  const StHeader h = read_header(in, path);
  std::map<std::string, std::string> meta;
  if (h.json.contains("__metadata__")) read_metadata(h.json["__metadata__"], path, &meta);
  return meta;
}

StFile read_safetensors(const std::string& path) {
  std::ifstream in;
  const StHeader h = read_header(in, path);
  const nlohmann::json& j = h.json;
  const std::uint64_t n = h.header_bytes, data_size = h.data_size;
  auto fail = [&](const std::string& why) { return common::FormatError(path + ": " + why); };
  StFile f;
  std::vector<std::pair<std::uint64_t, std::string>> by_offset;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() == "__metadata__") {
      read_metadata(it.value(), path, &f.metadata);
      continue;
    }
    const auto& t = it.value();
    StTensor st;
    try {
      st.dtype = t.at("dtype").get<std::string>();
      const std::string tensor = "tensor '" + it.key() + "': ";
      for (auto x : whole_numbers(t.at("shape"), tensor + "shape", fail)) st.shape.push_back(x);
      auto off = whole_numbers(t.at("data_offsets"), tensor + "data_offsets", fail);
      if (off.size() != 2 || off[0] > off[1] || off[1] > data_size)
        throw fail("tensor '" + it.key() + "': data offsets outside the file (truncated?)");
      std::size_t width = st.dtype == "F32" || st.dtype == "I32" ? 4 : st.dtype == "I64" || st.dtype == "F64" ? 8 : 0;
      if (width == 0) throw fail("tensor '" + it.key() + "': unsupported dtype " + st.dtype);
      const std::size_t numel = st.numel();
      std::size_t bytes = 0;
      if (numel == StTensor::kNumelOverflow || __builtin_mul_overflow(numel, width, &bytes))
        throw fail("tensor '" + it.key() + "': shape is too large (its element count overflows)");
      if (off[1] - off[0] != bytes)
        throw fail("tensor '" + it.key() + "': byte size " + std::to_string(off[1] - off[0]) +
                   " does not match its shape (" + std::to_string(bytes) + " bytes)");
      st.bytes.resize(off[1] - off[0]);
      in.seekg(static_cast<std::streamoff>(8 + n + off[0]));
      if (!in.read(reinterpret_cast<char*>(st.bytes.data()), static_cast<std::streamsize>(st.bytes.size())))
        throw fail("tensor '" + it.key() + "': file ends early (truncated?)");
      by_offset.emplace_back(off[0], it.key());
    } catch (const nlohmann::json::exception&) {
      throw fail("tensor '" + it.key() + "': malformed header entry");
    }
    f.tensors.emplace(it.key(), std::move(st));
  }
  std::sort(by_offset.begin(), by_offset.end());
  for (auto& [o, name] : by_offset) f.order.push_back(name);
  return f;
}

void write_safetensors(const std::string& path, const std::vector<StWrite>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json j;
  if (!metadata.empty()) j["__metadata__"] = metadata;
  std::uint64_t off = 0;
  for (const auto& t : tensors) {
    std::size_t n = 1;
    for (auto s : t.shape) n *= s;
    j[t.name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {off, off + n * 4}}};
    off += n * 4;
  }
  std::string header = j.dump();
  header.append((8 - header.size() % 8) % 8, ' ');
  common::AtomicFile out(path);
  unsigned char len[8];
  std::uint64_t hn = header.size();
  for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(hn >> (8 * i));
  out.write(len, 8);
  out.write(header);
  for (const auto& t : tensors) {
    std::size_t n = 1;
    for (auto s : t.shape) n *= s;
    out.write(t.data, n * sizeof(float));
  }
  out.commit();
}

}  // namespace enc
