#include "word2vec/vectors_io.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>

#include "common/atomic_file.h"
#include "common/buffered_writer.h"
#include "common/errors.h"
#include "common/utf8.h"

namespace w2v {

namespace {

bool has_space(std::string_view w) {
  for (unsigned char c : w)
    if (common::is_ascii_space(c)) return true;
  // Unicode spaces too: they would split the word when read back.
  const auto* p = reinterpret_cast<const unsigned char*>(w.data());
  for (std::size_t i = 0; i < w.size();) {
    char32_t cp;
    std::size_t n = common::utf8_decode(p + i, w.size() - i, &cp);
    if (n == 0) return false;
    if (common::is_unicode_space(cp)) return true;
    i += n;
  }
  return false;
}

}  // namespace

void write_vectors(const std::string& path, const std::vector<std::string_view>& words, const common::Matrix& m,
                   bool binary) {
  common::AtomicFile out(path);
  write_vectors(out, words, m, binary);
  out.commit();
}

std::uint64_t write_vectors(common::AtomicFile& out, const std::vector<std::string_view>& words, const common::Matrix& m,
                            bool binary) {
  for (auto w : words)
    if (w.empty() || has_space(w))
      throw common::FormatError("cannot write the word '" + std::string(w) +
                                "': a word2vec file cannot hold an empty word or one containing whitespace");
  std::uint64_t bytes = 0;
  common::BufferedWriter buf([&](std::string_view s) {
    out.write(s);
    bytes += s.size();
  });
  buf.append(std::to_string(words.size()) + " " + std::to_string(m.cols()) + "\n");
  char num[64];
  for (std::size_t i = 0; i < words.size(); ++i) {
    buf.append(words[i]);
    buf.push_back(' ');
    const float* row = m.row(i);
    if (binary) {
      buf.append(reinterpret_cast<const char*>(row), m.cols() * sizeof(float));
    } else {
      for (std::size_t j = 0; j < m.cols(); ++j) {
        // Same digits as word2vec.c's fprintf("%lf ").
        auto r = std::to_chars(num, num + sizeof num, static_cast<double>(row[j]), std::chars_format::fixed, 6);
        buf.append(num, static_cast<std::size_t>(r.ptr - num));
        buf.push_back(' ');
      }
    }
    buf.push_back('\n');
  }
  buf.flush();
  return bytes;
}

namespace {

class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path), f_(std::fopen(path.c_str(), "rb")) {
    if (!f_) throw common::InputError("cannot open vectors file '" + path + "': " + std::strerror(errno));
    struct stat st{};
    if (::fstat(::fileno(f_), &st) != 0 || S_ISDIR(st.st_mode)) {
      std::fclose(f_);
      throw common::InputError("cannot read vectors file '" + path + "': it is a directory, not a file");
    }
    size_ = S_ISREG(st.st_mode) ? static_cast<long long>(st.st_size) : -1;
    std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
  }
  // Bytes in the file (-1 if it is not a regular file).
  long long size() const { return size_; }
  ~Reader() { std::fclose(f_); }
  int get() {
    int c = std::fgetc(f_);
    if (c != EOF) ++off_;
    return c;
  }
  void unget(int c) {
    std::ungetc(c, f_);
    --off_;
  }
  // Reads up to n bytes without consuming them.
  std::string peek(std::size_t n) {
    long at = std::ftell(f_);
    std::string s(n, '\0');
    s.resize(std::fread(s.data(), 1, n, f_));
    if (at < 0 || std::fseek(f_, at, SEEK_SET) != 0) fail("cannot seek (vectors must be a regular file)");
    return s;
  }
  std::size_t read(void* p, std::size_t n) {
    std::size_t k = std::fread(p, 1, n, f_);
    off_ += k;
    return k;
  }
  // A FormatError naming the file, what is wrong and where (byte `off`, by
  // default the current position).
  [[noreturn]] void fail(const std::string& why, long long off = -1) const {
    throw common::FormatError(path_ + ": " + why + " at byte offset " + std::to_string(off < 0 ? off_ : off));
  }
  // Reads up to whitespace; skips leading blanks/newlines.
  std::string token(bool* eof) {
    int c;
    do c = get();
    while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
    std::string s;
    if (c == EOF) {
      *eof = true;
      return s;
    }
    while (c != EOF && c != ' ' && c != '\n' && c != '\t' && c != '\r') {
      s.push_back(static_cast<char>(c));
      if (s.size() > 4096) fail("a word longer than 4096 bytes (is this a word2vec file?)");
      c = get();
    }
    if (c != EOF) unget(c);
    *eof = false;
    return s;
  }
  long long offset() const { return off_; }

 private:
  std::string path_;
  std::FILE* f_;
  long long off_ = 0, size_ = -1;
};

// Guards against silent garbage in binary rows: non-finite values, or a
// row whose bytes are all printable ASCII (text where floats were expected).
void check_binary_row(Reader& in, const float* row, std::size_t d, std::size_t r, const std::string& word) {
  for (std::size_t j = 0; j < d; ++j)
    if (!std::isfinite(row[j]))
      in.fail("row " + std::to_string(r + 1) + " ('" + word + "') holds a non-finite value (corrupt file?)");
  if (d * sizeof(float) < 16) return;
  const auto* b = reinterpret_cast<const unsigned char*>(row);
  for (std::size_t i = 0; i < d * sizeof(float); ++i)
    if (b[i] < 0x20 || b[i] > 0x7E) return;
  in.fail("row " + std::to_string(r + 1) + " ('" + word + "') is text inside a binary vectors file (mixed formats?)");
}

}  // namespace

namespace {

struct Header {
  long long rows = 0, dim = 0;
};

// "V D" on the first line. The rows to be read (V, or the first `limit`)
// must fit in the rest of the file — the shortest row is "w 0 0 ... 0\n",
// 2d + 2 bytes; a binary one is 4d + 2 — checked before anything is
// allocated for them.
Header read_header(Reader& in, std::size_t limit) {
  std::string line;
  for (int c; (c = in.get()) != EOF && c != '\n';) {
    line.push_back(static_cast<char>(c));
    if (line.size() > 64) in.fail("no 'count dimension' header line (not a word2vec/fastText vectors file)", 0);
  }
  Header h;
  char extra = 0;
  if (std::sscanf(line.c_str(), "%lld %lld %c", &h.rows, &h.dim, &extra) != 2 || h.rows <= 0 || h.dim <= 0 ||
      h.dim > 100000)
    in.fail("bad header '" + line + "': expected 'count dimension' (not a word2vec/fastText vectors file)", 0);
  const auto want_rows = static_cast<unsigned long long>(
      limit > 0 ? std::min<unsigned long long>(limit, static_cast<unsigned long long>(h.rows)) : h.rows);
  if (in.size() >= 0) {
    const auto room = static_cast<unsigned long long>(in.size() - in.offset());
    const auto min_row = 2ULL * static_cast<unsigned long long>(h.dim) + 2;
    if (want_rows > room / min_row)
      in.fail("the header claims " + std::to_string(h.rows) + " rows of " + std::to_string(h.dim) +
                  " values, but the file has room for at most " + std::to_string(room / min_row) +
                  " (truncated, or not a vectors file?)",
              0);
  }
  return h;
}

// Reads the first word and tells binary from text: in a text file the word
// is followed by a printable number; binary floats almost never are.
bool first_word_is_binary(Reader& in, std::string* word) {
  bool eof;
  const long long row_start = in.offset();
  *word = in.token(&eof);
  if (eof) in.fail("file ends after the header (truncated?)");
  if (in.get() != ' ') in.fail("expected a space after the first word", row_start);
  const std::string probe = in.peek(12);
  std::size_t i = 0;
  while (i < probe.size() && (probe[i] == '-' || probe[i] == '+' || probe[i] == '.' || (probe[i] >= '0' && probe[i] <= '9') ||
                              probe[i] == 'e' || probe[i] == 'E'))
    ++i;
  return !(i > 0 && (i == probe.size() || probe[i] == ' ' || probe[i] == '\n' || probe[i] == '\r'));
}

void read_binary_row(Reader& in, float* row, std::size_t d, std::size_t r, long long rows, const std::string& word) {
  if (in.read(row, d * sizeof(float)) != d * sizeof(float))
    in.fail("file ends inside row " + std::to_string(r + 1) + " of " + std::to_string(rows) + " (truncated?)");
  check_binary_row(in, row, d, r, word);
  const int c = in.get();  // word2vec.c writes '\n' after each row; gensim may not
  if (c != '\n' && c != EOF) in.unget(c);
}

void read_text_row(Reader& in, float* row, std::size_t d, std::size_t r, const std::string& word) {
  const std::string where = "row " + std::to_string(r + 1) + " ('" + word + "')";
  for (std::size_t j = 0; j < d; ++j) {
    bool eof;
    const std::string t = in.token(&eof);
    if (eof) in.fail("file ends inside row " + std::to_string(r + 1) + " (truncated?)");
    float x;
    auto res = std::from_chars(t.data(), t.data() + t.size(), x);
    if (res.ec != std::errc() || res.ptr != t.data() + t.size()) in.fail(where + ": '" + t + "' is not a number");
    if (!std::isfinite(x))
      in.fail(where + ": '" + t + "' is not a finite number (corrupt file, or vectors of a diverged run?)");
    row[j] = x;
  }
  // The row must end here: more numbers mean a dimension mismatch.
  int c;
  do c = in.get();
  while (c == ' ' || c == '\r' || c == '\t');
  if (c != '\n' && c != EOF)
    in.fail(where + " has more than " + std::to_string(d) + " values (dimension mismatch with the header)");
}

}  // namespace

Embeddings read_vectors(const std::string& path, std::size_t limit) {
  Reader in(path);
  const Header h = read_header(in, limit);
  const std::size_t n = limit > 0 ? std::min(limit, static_cast<std::size_t>(h.rows)) : static_cast<std::size_t>(h.rows);
  const auto d = static_cast<std::size_t>(h.dim);
  Embeddings e;
  e.vectors.resize(n, d);
  e.words.reserve(n);
  std::string first;
  const bool binary = first_word_is_binary(in, &first);
  e.words.push_back(std::move(first));
  for (std::size_t r = 0; r < n; ++r) {
    if (r > 0) {
      bool eof;
      std::string w = in.token(&eof);
      if (eof) in.fail("file ends after " + std::to_string(r) + " of " + std::to_string(h.rows) + " rows (truncated?)");
      const int sep = in.get();
      if (sep != ' ' && sep != '\t') in.fail("expected a space after word '" + w + "'");
      e.words.push_back(std::move(w));
    }
    if (!common::utf8_valid(e.words.back()))
      in.fail("word " + std::to_string(r + 1) + " is not valid UTF-8 (binary data in a text file, or wrong dimension?)");
    if (binary)
      read_binary_row(in, e.vectors.row(r), d, r, h.rows, e.words.back());
    else
      read_text_row(in, e.vectors.row(r), d, r, e.words.back());
  }
  return e;
}

}  // namespace w2v
