// Helpers shared by the unit tests: a self-removing temporary directory,
// whole-file read/write, catching an exception's message, and finding the
// shared data.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace testutil {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed with its contents.
class TempDir {
 public:
  TempDir() {
    static std::atomic<unsigned> counter{0};
    auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = fs::temp_directory_path() / ("wordlens-test-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(counter++) + "-" + std::to_string(stamp));
    fs::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // Names of the entries directly in the directory.
  std::set<std::string> entries() const {
    std::set<std::string> s;
    for (const auto& e : fs::directory_iterator(path_)) s.insert(e.path().filename().string());
    return s;
  }

 private:
  fs::path path_;
};

inline void write_file(const std::string& path, std::string_view content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("test setup: cannot write " + path);
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("test setup: cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs f; returns the message of the exception of type E it throws, or a
// marker string ("<no exception>", "<other exception: ...>") otherwise, so
// that CHECK(contains(...)) fails with a readable value.
template <class E, class F>
std::string thrown(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("<other exception: ") + e.what() + ">";
  } catch (...) {
    return "<non-std exception>";
  }
  return "<no exception>";
}

inline bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

// The path of `rel` (e.g. "corpus/bench.txt") under ../shared/data, looked
// for from the working directory and up to three levels above it; empty
// when the shared data is absent (the caller skips with a message).
inline std::string shared_data(const std::string& rel) {
  const std::string path = "../shared/data/" + rel;
  for (const char* prefix : {"", "../", "../../", "../../../"})
    if (fs::exists(std::string(prefix) + path)) return std::string(prefix) + path;
  return "";
}

// n draws from N(0, sd²), for kernel tests.
inline std::vector<float> randn(std::size_t n, std::mt19937& rng, float sd = 1.f) {
  std::normal_distribution<float> g(0.f, sd);
  std::vector<float> v(n);
  for (auto& x : v) x = g(rng);
  return v;
}

}  // namespace testutil
