#include "compare/wsi.h"

#include <algorithm>
#include <cstdint>
#include <map>

#include "common/errors.h"
#include "common/line_reader.h"
#include "common/text_fields.h"
#include "common/utf8.h"

namespace cmp {

namespace {

constexpr const char* kLayout = "context_id word gold_sense_id predict_sense_id positions context";

// A CSV quoted field ("...", every inner quote doubled) loses its quotes;
// anything else is kept as it is.
std::string unquote(const std::string& f) {
  if (f.size() < 2 || f.front() != '"' || f.back() != '"') return f;
  std::string out;
  out.reserve(f.size() - 2);
  for (std::size_t i = 1; i + 1 < f.size(); ++i) {
    if (f[i] != '"') {
      out.push_back(f[i]);
    } else if (i + 2 < f.size() && f[i + 1] == '"') {
      out.push_back('"');
      ++i;
    } else {
      return f;  // a lone inner quote: not a quoted field
    }
  }
  return out;
}

// Byte offset of the first invalid UTF-8 sequence, or SIZE_MAX.
std::size_t first_bad_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t n = common::utf8_decode(p + i, s.size() - i, &cp);
    if (n == 0 || cp == 0) return i;
    i += n;
  }
  return SIZE_MAX;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Column indices of the header, by name.
struct Columns {
  std::size_t id = SIZE_MAX, word = SIZE_MAX, gold = SIZE_MAX, positions = SIZE_MAX, context = SIZE_MAX, count = 0;
};

Columns read_header(std::string line, const std::string& at) {
  if (line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // byte-order mark
  const auto names = common::split_fields(line, '\t');
  Columns c;
  c.count = names.size();
  const std::map<std::string, std::size_t*> want = {
      {"context_id", &c.id}, {"word", &c.word}, {"gold_sense_id", &c.gold}, {"positions", &c.positions}, {"context", &c.context}};
  for (std::size_t i = 0; i < names.size(); ++i)
    if (auto it = want.find(unquote(names[i])); it != want.end()) *it->second = i;
  for (const auto& [name, index] : want)
    if (*index == SIZE_MAX && name != "context_id")
      throw common::FormatError(at + "the header has no column '" + name + "' (a RUSSE 2018 file starts with the tab-separated header: " +
                                kLayout + ")");
  return c;
}

std::int64_t parse_gold(const std::string& f, const std::string& at) {
  if (f.empty()) throw common::FormatError(at + "gold_sense_id is empty (contexts without gold senses cannot be scored)");
  const bool neg = f[0] == '-';
  const std::string_view digits = std::string_view(f).substr(neg ? 1 : 0);
  if (!all_digits(digits) || digits.size() > 18)
    throw common::FormatError(at + "gold_sense_id '" + f + "' is not a whole number");
  const std::int64_t v = std::stoll(std::string(digits));
  return neg ? -v : v;
}

// The first non-empty "a-b" range of the positions column, in bytes of ctx.
void parse_positions(const std::string& f, const std::string& ctx, const std::string& at, WsiContext* c, std::size_t* empty) {
  const std::size_t chars = [&] {
    std::size_t n = 0;
    for (unsigned char b : ctx) n += (b & 0xC0) != 0x80 ? 1 : 0;
    return n;
  }();
  bool found = false;
  for (auto r : common::split_fields(f, ',')) {
    r.erase(0, r.find_first_not_of(' '));
    r.erase(r.find_last_not_of(' ') + 1);
    const auto dash = r.find('-');
    if (dash == std::string::npos || !all_digits(std::string_view(r).substr(0, dash)) ||
        !all_digits(std::string_view(r).substr(dash + 1)) || dash > 9 || r.size() - dash - 1 > 9)
      throw common::FormatError(at + "positions '" + f + "': '" + r + "' is not a character range a-b");
    const std::size_t a = std::stoul(r.substr(0, dash)), b = std::stoul(r.substr(dash + 1));
    if (a > b) throw common::FormatError(at + "positions '" + f + "': range " + r + " ends before it starts");
    if (b > chars)
      throw common::FormatError(at + "positions '" + f + "': range " + r + " lies outside the context (" +
                                std::to_string(chars) + " characters)");
    if (a == b) {
      ++*empty;
      continue;
    }
    if (!found) {
      c->begin = utf8_byte_offset(ctx, a);
      c->end = utf8_byte_offset(ctx, b);
      found = true;
    }
  }
  if (!found) throw common::FormatError(at + "positions '" + f + "' holds no non-empty range a-b of the target");
}

}  // namespace

std::size_t utf8_byte_offset(std::string_view s, std::size_t cp) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (seen++ == cp) return i;
  }
  return seen == cp ? s.size() : SIZE_MAX;
}

WsiData read_wsi(const std::string& path) {
  common::LineReader in(path, "WSI file");
  WsiData d;
  d.path = path;
  std::string line;
  if (!in.next_nonempty(line)) throw common::FormatError(path + " is empty (expected the header: " + kLayout + ")");
  const Columns col = read_header(line, in.where() + ": ");
  while (in.next_nonempty(line)) {
    const std::string at = in.where() + ": ";
    if (const std::size_t bad = first_bad_utf8(line); bad != SIZE_MAX)
      throw common::FormatError(at + "invalid UTF-8 or NUL at byte " + std::to_string(bad) + " of the line");
    auto f = common::split_fields(line, '\t');
    if (f.size() != col.count)
      throw common::FormatError(at + std::to_string(f.size()) + " tab-separated columns, the header has " +
                                std::to_string(col.count) + " (" + kLayout + ")");
    for (auto& x : f) x = unquote(x);
    WsiContext c;
    c.line = in.line_number();
    if (col.id != SIZE_MAX) c.id = f[col.id];
    c.word = f[col.word];
    if (c.word.empty()) throw common::FormatError(at + "the word column is empty");
    c.gold = parse_gold(f[col.gold], at);
    c.context = f[col.context];
    parse_positions(f[col.positions], c.context, at, &c, &d.empty_ranges);
    d.contexts.push_back(std::move(c));
  }
  if (d.contexts.empty()) throw common::FormatError(path + " holds a header but no contexts");
  return d;
}

std::size_t target_token(const std::vector<TextToken>& tokens, std::size_t begin, std::size_t end) {
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (tokens[i].begin <= begin && begin < tokens[i].end) return i;
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (tokens[i].begin >= begin && tokens[i].begin < end) return i;
  return SIZE_MAX;
}

TextTokenizer normalizer_tokenizer(tok::Normalizer& norm) {
  return [&norm](std::string_view raw) {
    std::vector<TextToken> out;
    for (auto& t : norm.tokens_with_offsets(raw)) out.push_back({std::move(t.text), t.begin, t.end});
    return out;
  };
}

}  // namespace cmp
