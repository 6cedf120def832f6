#include "word2vec/similarity_pairs.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

#include "common/errors.h"
#include "common/line_reader.h"
#include "common/text_fields.h"
#include "common/utf8.h"

namespace w2v {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::optional<double> parse_score(const std::string& s) {
  double v = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || res.ec != std::errc() || res.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// 1-based byte of the first invalid UTF-8 sequence, 0 if the line is valid.
std::size_t invalid_utf8_byte(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp;
    const std::size_t n = common::utf8_decode(reinterpret_cast<const unsigned char*>(s.data() + i), s.size() - i, &cp);
    if (n == 0) return i + 1;
    i += n;
  }
  return 0;
}

bool skipped(std::string_view line) {
  const auto first = line.find_first_not_of(" \t");
  return first == std::string_view::npos || line[first] == '#';
}

class PairFileReader {
 public:
  explicit PairFileReader(const std::string& path) : in_(path, "similarity file") {}

  SimilarityPairs read() {
    bool first = true;
    for (std::string line; in_.next(line);) {
      if (in_.line_number() == 1 && line.compare(0, kBom.size(), kBom) == 0) line.erase(0, kBom.size());
      if (const std::size_t bad = invalid_utf8_byte(line))
        throw common::FormatError(in_.where() + ": invalid UTF-8 at byte " + std::to_string(bad) +
                                  " of the line (convert the file to UTF-8, e.g. iconv -f cp1251 -t utf-8)");
      if (skipped(line)) continue;
      if (first) {
        first = false;
        if (line.find(',') != std::string::npos && line.find('\t') == std::string::npos) {
          out_.layout = PairFileLayout::kCsv;
          auto f = csv_fields(line);
          csv_width_ = f.size();
          csv_first_line_ = in_.line_number();
          if (!parse_score(f[2])) {
            out_.header = true;
            continue;
          }
        }
      }
      out_.layout == PairFileLayout::kCsv ? add_csv(line) : add_whitespace(line);
    }
    if (out_.pairs.empty())
      throw common::FormatError(in_.name() + (out_.header ? ": a header line but no word pairs"
                                                         : ": no word pairs ('word1 word2 score' or 'word1,word2,score' lines)"));
    return std::move(out_);
  }

 private:
  std::vector<std::string> csv_fields(const std::string& line) {
    auto r = common::split_csv(line);
    if (!r.error.empty())
      throw common::FormatError(in_.where() + ": " + r.error + " at byte " + std::to_string(r.error_byte) +
                                " of the line");
    if (r.fields.size() < 3)
      throw common::FormatError(in_.where() + ": expected 'word1,word2,score', got " + std::to_string(r.fields.size()) +
                                " comma-separated field(s)");
    return std::move(r.fields);
  }

  void add_csv(const std::string& line) {
    auto f = csv_fields(line);
    if (f.size() != csv_width_)
      throw common::FormatError(in_.where() + ": " + std::to_string(f.size()) + " comma-separated fields, but line " +
                                std::to_string(csv_first_line_) + " (the first) has " + std::to_string(csv_width_) +
                                " (an unquoted comma inside a field?)");
    if (f[0].empty() || f[1].empty())
      throw common::FormatError(in_.where() + ": empty word in '" + line + "'");
    add(std::move(f[0]), std::move(f[1]), f[2]);
  }

  void add_whitespace(const std::string& line) {
    auto f = common::split_ws(line);
    if (f.size() < 3)
      throw common::FormatError(in_.where() + ": expected 'word1 word2 score', got " + std::to_string(f.size()) +
                                " fields");
    add(std::move(f[0]), std::move(f[1]), f[2]);
  }

  void add(std::string a, std::string b, const std::string& score) {
    auto v = parse_score(score);
    if (!v) throw common::FormatError(in_.where() + ": score '" + score + "' is not a number");
    out_.pairs.push_back({std::move(a), std::move(b), *v, in_.line_number()});
  }

  common::LineReader in_;
  SimilarityPairs out_;
  std::size_t csv_width_ = 0, csv_first_line_ = 0;
};

}  // namespace

SimilarityPairs read_similarity_pairs(const std::string& path) { return PairFileReader(path).read(); }

}  // namespace w2v
