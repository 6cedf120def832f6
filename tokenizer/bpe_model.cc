#include "tokenizer/bpe_model.h"

#include <cstdio>
#include <sstream>

#include "common/atomic_file.h"
#include "common/errors.h"
#include "common/line_reader.h"
#include "tokenizer/byte_unicode.h"
#include "tokenizer/readable_token.h"
#include "tokenizer/word_table.h"

namespace tok {

namespace {
constexpr const char* kMagic = "wordlens-bpe 1";
constexpr std::size_t kCacheLimit = 1 << 20;  // cached pieces per encoder
}  // namespace

BpeModel::BpeModel(std::vector<std::string> specials, std::vector<std::pair<std::int32_t, std::int32_t>> merges)
    : specials_(std::move(specials)), merges_(std::move(merges)) {
  auto add = [&](std::string bytes, std::string shown) {
    if (static_cast<std::size_t>(shown_index_.insert(shown)) != shown_.size())
      throw common::OptionError("token '" + shown + "' appears twice (a special token equal to another token?)");
    readable_.push_back(shown_.size() < specials_.size() ? shown : readable_token(bytes));
    bytes_.push_back(std::move(bytes));
    shown_.push_back(std::move(shown));
  };
  for (const auto& s : specials_) {
    if (s.empty()) throw common::OptionError("a special token is empty");
    for (unsigned char c : s)
      if (c <= ' ') throw common::OptionError("special token '" + s + "' contains whitespace or a control byte");
    add(s, s);
  }
  for (int b = 0; b < 256; ++b) {
    std::string one(1, static_cast<char>(b));
    add(one, bytes_to_shown(one));
  }
  for (std::size_t r = 0; r < merges_.size(); ++r) {
    auto [a, b] = merges_[r];
    const auto n = static_cast<std::int32_t>(bytes_.size());
    const auto first = static_cast<std::int32_t>(specials_.size());
    if (a < first || b < first || a >= n || b >= n)
      throw common::FormatError("merge " + std::to_string(r + 1) + " uses an unknown or special token");
    if (ranks_.find(pair_key(a, b))) throw common::FormatError("merge " + std::to_string(r + 1) + " repeats an earlier merge");
    ranks_[pair_key(a, b)] = static_cast<std::int32_t>(r);
    add(bytes_[static_cast<std::size_t>(a)] + bytes_[static_cast<std::size_t>(b)],
        shown_[static_cast<std::size_t>(a)] + shown_[static_cast<std::size_t>(b)]);
  }
}

void BpeModel::encode_piece(std::string_view piece, std::vector<std::int32_t>& out) const {
  std::vector<std::int32_t> sym;
  sym.reserve(piece.size());
  for (unsigned char c : piece) sym.push_back(byte_id(c));
  const std::int32_t first_merge = static_cast<std::int32_t>(specials_.size()) + 256;
  while (sym.size() > 1) {
    std::int32_t best = -1;
    for (std::size_t i = 0; i + 1 < sym.size(); ++i) {
      std::int32_t r = rank(sym[i], sym[i + 1]);
      if (r >= 0 && (best < 0 || r < best)) best = r;
    }
    if (best < 0) break;
    const auto [a, b] = merges_[static_cast<std::size_t>(best)];
    std::size_t w = 0;
    for (std::size_t i = 0; i < sym.size(); ++i) {
      if (i + 1 < sym.size() && sym[i] == a && sym[i + 1] == b) {
        sym[w++] = first_merge + best;
        ++i;
      } else {
        sym[w++] = sym[i];
      }
    }
    sym.resize(w);
  }
  out.insert(out.end(), sym.begin(), sym.end());
}

void BpeEncoder::encode_piece(std::string_view piece, std::vector<std::int32_t>& out) {
  if (piece.size() <= 1) {
    for (unsigned char c : piece) out.push_back(model_.byte_id(c));
    return;
  }
  std::int32_t id = cache_words_.find(piece);
  if (id < 0) {
    if (cache_ids_.size() >= kCacheLimit) {  // bound memory on huge, diverse inputs
      cache_words_ = WordTable();
      cache_ids_.clear();
    }
    id = cache_words_.insert(piece);
    cache_ids_.emplace_back();
    model_.encode_piece(piece, cache_ids_.back());
  }
  const auto& ids = cache_ids_[static_cast<std::size_t>(id)];
  out.insert(out.end(), ids.begin(), ids.end());
}

std::string bpe_decode_line(const BpeModel& model, const std::vector<std::int32_t>& ids) {
  std::string out;
  for (auto id : ids) {
    if (id < 0 || static_cast<std::size_t>(id) >= model.size())
      throw common::InputError("token id " + std::to_string(id) + " is out of range (the model has " +
                       std::to_string(model.size()) + " tokens)");
    out += model.token_bytes(static_cast<std::size_t>(id));
  }
  if (!out.empty() && out[0] == ' ') out.erase(0, 1);
  return out;
}

void BpeModel::save(const std::string& path) const {
  common::AtomicFile out(path);
  out.write(to_text());
  out.commit();
}

std::string BpeModel::fingerprint() const {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a over the specials and the merge ids
  auto mix = [&](std::uint64_t x) { h = (h ^ x) * 1099511628211ULL; };
  for (const auto& sp : specials_) mix(hash_bytes(sp));
  mix(specials_.size());
  for (auto [a, b] : merges_) mix((static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b));
  char buf[48];
  std::snprintf(buf, sizeof buf, "bpe:%zu:%016llx", size(), static_cast<unsigned long long>(h));
  return buf;
}

std::string BpeModel::to_text() const {
  std::ostringstream s;
  s << kMagic << "\n"
    << "# Byte-level BPE model written by wordlens. Token ids: the specials, then the 256 bytes,\n"
    << "# then one token per merge, in order. Tokens are shown through GPT-2's byte-to-unicode\n"
    << "# mapping (space = \xC4\xA0, newline = \xC4\x8A, tab = \xC4\x89); a merge line is 'LEFT RIGHT'.\n"
    << "specials " << specials_.size() << "\n";
  for (const auto& sp : specials_) s << sp << "\n";
  s << "merges " << merges_.size() << "\n";
  for (auto [a, b] : merges_) s << shown_[static_cast<std::size_t>(a)] << " " << shown_[static_cast<std::size_t>(b)] << "\n";
  s << "vocab " << size() << "\n";
  for (std::size_t i = 0; i < size(); ++i) s << i << "\t" << shown_[i] << "\n";
  s << "end\n";
  return s.str();
}

BpeModel BpeModel::load(const std::string& path) {
  common::LineReader in(path, "BPE model");
  return read(in);
}

BpeModel BpeModel::from_text(const std::string& text, const std::string& name) {
  std::istringstream s(text);
  common::LineReader in(s, name);
  return read(in);
}

BpeModel BpeModel::read(common::LineReader& in) {
  const std::string& path = in.name();
  std::string line;
  auto fail = [&](const std::string& why) -> common::FormatError { return common::FormatError(in.where() + ": " + why); };
  auto next = [&](bool allow_comment) {
    while (in.next(line))
      if (!allow_comment || line.empty() || line[0] != '#') return true;
    throw fail("file ends early (truncated model?)");
  };
  auto count_of = [&](const std::string& key) {
    next(true);
    if (line.rfind(key + " ", 0) != 0) throw fail("expected '" + key + " N'");
    try {
      return static_cast<std::size_t>(std::stoull(line.substr(key.size() + 1)));
    } catch (...) {
      throw fail("expected '" + key + " N'");
    }
  };
  if (!in.next(line) || line.rfind(kMagic, 0) != 0)
    throw common::FormatError(path + ": not a wordlens BPE model (first line should be '" + kMagic + "')");
  const std::size_t ns = count_of("specials");
  if (ns > 1000) throw fail("too many specials");
  std::vector<std::string> specials;
  for (std::size_t i = 0; i < ns; ++i) specials.push_back((next(false), line));
  const std::size_t nm = count_of("merges");
  if (nm > (1u << 24)) throw fail("too many merges");
  // Resolve merge tokens while building: a token's id is known once created.
  WordTable ids;
  std::vector<std::string> shown;
  for (const auto& sp : specials) ids.insert(sp), shown.push_back(sp);
  for (int b = 0; b < 256; ++b) {
    std::string s = bytes_to_shown(std::string(1, static_cast<char>(b)));
    ids.insert(s);
    shown.push_back(s);
  }
  std::vector<std::pair<std::int32_t, std::int32_t>> merges;
  merges.reserve(nm);
  for (std::size_t r = 0; r < nm; ++r) {
    next(false);
    auto sp = line.find(' ');
    if (sp == std::string::npos || line.find(' ', sp + 1) != std::string::npos) throw fail("expected 'LEFT RIGHT'");
    std::int32_t a = ids.find(std::string_view(line).substr(0, sp)), b = ids.find(std::string_view(line).substr(sp + 1));
    if (a < 0 || b < 0) throw fail("merge uses a token not defined before it");
    std::string merged = shown[static_cast<std::size_t>(a)] + shown[static_cast<std::size_t>(b)];
    if (static_cast<std::size_t>(ids.insert(merged)) != shown.size()) throw fail("merge repeats an existing token");
    shown.push_back(merged);
    merges.emplace_back(a, b);
  }
  const std::size_t nv = count_of("vocab");
  if (nv != shown.size()) throw fail("vocab size " + std::to_string(nv) + " does not match " + std::to_string(shown.size()));
  for (std::size_t i = 0; i < nv; ++i) {
    next(false);
    if (line != std::to_string(i) + "\t" + shown[i]) throw fail("vocab entry does not match the merges (truncated or edited model?)");
  }
  next(false);
  if (line != "end") throw fail("expected 'end' (truncated or corrupt model?)");
  try {
    return BpeModel(std::move(specials), std::move(merges));
  } catch (const common::OptionError& e) {
    throw common::FormatError(path + ": " + e.what());
  }
}

}  // namespace tok
