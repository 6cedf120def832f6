// Helpers shared by the libFuzzer targets (tests/fuzz/fuzz_*.cc). The
// loaders take paths, so the input is written to a file in a per-process
// temporary directory (removed at exit); readers of a directory get the
// input split into files at kSeparator.
//
// A target calls the loader inside try { ... } catch (const common::Error&):
// a common::Error is a clean refusal of a bad file. Anything else escapes to
// libFuzzer and is reported as a crash (std::invalid_argument from stoull,
// std::out_of_range from map::at, std::length_error, std::bad_alloc, ...),
// as are sanitizer reports, timeouts and allocations over -malloc_limit_mb.
//
// WORDLENS_FUZZ_DEBUG=1 prints each refusal to stderr (to check that a seed
// is accepted: `fuzz_vocab corpus/vocab/*` should print nothing).
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/errors.h"

namespace fuzz {

namespace fs = std::filesystem;

// Separates the files of a directory reader's input.
inline constexpr std::string_view kSeparator = "\n=====\n";

// The process's scratch directory, created on first use, removed at exit.
inline const fs::path& work_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("wordlens-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(fs::temp_directory_path() / ("wordlens-fuzz-" + std::to_string(::getpid())), ec);
    });
    return d;
  }();
  return dir;
}

inline void write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) std::abort();  // the harness, not the loader, failed
}

// Writes the input to WORK/name and returns the path.
inline std::string input_file(const std::uint8_t* data, std::size_t size, const std::string& name = "input") {
  const fs::path p = work_dir() / name;
  write_file(p, std::string_view(reinterpret_cast<const char*>(data), size));
  return p.string();
}

// Splits the input at kSeparator into at most names.size() parts and writes
// part i to DIR/names[i] of a fresh directory WORK/dir (a name without a
// part is absent). Returns the directory.
inline std::string input_dir(const std::uint8_t* data, std::size_t size, const std::vector<std::string>& names) {
  const fs::path dir = work_dir() / "dir";
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::size_t cut = i + 1 < names.size() ? rest.find(kSeparator) : std::string_view::npos;
    write_file(dir / names[i], rest.substr(0, cut));
    if (cut == std::string_view::npos) break;
    rest.remove_prefix(cut + kSeparator.size());
  }
  return dir.string();
}

// For the safetensors readers: an input starting with '{' is "header form",
// JSON HEADER + kSeparator + DATA, written as the file u64le(len(HEADER)),
// HEADER, DATA — so that mutating the JSON (a bigger number, another key)
// does not break the length prefix; any other input is written as it is.
inline std::string safetensors_file(const std::uint8_t* data, std::size_t size, const std::string& name) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (in.empty() || in[0] != '{') return input_file(data, size, name);
  const std::size_t cut = in.find(kSeparator);
  const std::string_view header = in.substr(0, cut);
  const std::string_view rest = cut == std::string_view::npos ? std::string_view() : in.substr(cut + kSeparator.size());
  std::string file(8, '\0');
  for (std::size_t i = 0; i < 8; ++i) file[i] = static_cast<char>(static_cast<std::uint64_t>(header.size()) >> (8 * i));
  file.append(header).append(rest);
  const fs::path p = work_dir() / name;
  write_file(p, file);
  return p.string();
}

// A clean refusal; printed only with WORDLENS_FUZZ_DEBUG set.
inline void refused(const common::Error& e) {
  static const bool debug = std::getenv("WORDLENS_FUZZ_DEBUG") != nullptr;
  if (debug) std::fprintf(stderr, "refused: %s\n", e.what());
}

// A broken invariant on an accepted input: report it as a crash.
[[noreturn]] inline void invariant_failed(const char* what) {
  std::fprintf(stderr, "fuzz invariant failed: %s\n", what);
  std::abort();
}

}  // namespace fuzz
