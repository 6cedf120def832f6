#include "tokenizer/tokenization_stats.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/enum_names.h"
#include "common/errors.h"
#include "common/parallel.h"
#include "common/utf8.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/bpe_trainer.h"
#include "tokenizer/word_table.h"

namespace tok {

namespace {

constexpr common::EnumNames<TokenScheme, 3> kSchemes{
    {{TokenScheme::kCharacters, "characters"}, {TokenScheme::kWords, "words"}, {TokenScheme::kBpe, "bpe"}}};
constexpr std::size_t kCodePoints = 0x110000;

bool blank(std::string_view line) {
  for (char c : line)
    if (!common::is_ascii_space(static_cast<unsigned char>(c))) return false;
  return true;
}

// The non-blank lines of text (views into it), UTF-8 checked.
struct Sentences {
  std::vector<std::string_view> lines;
  std::size_t all_lines = 0, blank = 0;
};

Sentences split_sentences(std::string_view text, const std::string& name) {
  Sentences s;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++s.all_lines;
    try {
      check_text(line);
    } catch (const TextError& e) {
      throw e.at(name + ":" + std::to_string(s.all_lines));
    }
    if (blank(line)) ++s.blank;
    else s.lines.push_back(line);
    at = end + 1;
  }
  return s;
}

// Counts of one thread's share of the sentences.
struct ShareCounts {
  std::vector<std::uint64_t> train_chars, eval_chars;  // [kCodePoints]
  WordTable train_words, eval_words;
  std::vector<std::uint64_t> train_word_counts, eval_word_counts;
  ShareCounts() : train_chars(kCodePoints, 0), eval_chars(kCodePoints, 0) {}
};

void add_word(WordTable& table, std::vector<std::uint64_t>& counts, std::string_view w) {
  const auto id = static_cast<std::size_t>(table.insert(w));
  if (id == counts.size()) counts.push_back(0);
  ++counts[id];
}

// One sentence into the counts; its lengths (when evaluated) into *chars, *words.
void count_sentence(std::string_view line, bool train, bool eval, Normalizer& norm, ShareCounts& c,
                    std::vector<std::string>& tokens, std::uint32_t* chars, std::uint32_t* words) {
  std::uint32_t n = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(line.data());
  for (std::size_t i = 0; i < line.size(); ++n) {
    char32_t cp = 0;
    const std::size_t len = common::utf8_decode(p + i, line.size() - i, &cp);
    i += len ? len : 1;  // (checked before: never 0)
    if (train) ++c.train_chars[cp];
    if (eval) ++c.eval_chars[cp];
  }
  tokens.clear();
  norm.append_tokens(line, &tokens);
  for (const auto& t : tokens) {
    if (train) add_word(c.train_words, c.train_word_counts, t);
    if (eval) add_word(c.eval_words, c.eval_word_counts, t);
  }
  if (eval) *chars = n, *words = static_cast<std::uint32_t>(tokens.size());
}

struct Split {
  std::size_t train = 0, eval_begin = 0;  // lines [0, train) train, [eval_begin, n) are evaluated
};

Split split_of(std::size_t n, double held_out, const std::string& name) {
  if (n == 0) throw common::InputError(name + ": no text: every line is blank");
  if (held_out <= 0) return {n, 0};
  if (n < 2)
    throw common::InputError(name + ": one sentence cannot be split into training and held-out lines (use --held-out 0)");
  const auto held = std::clamp<std::size_t>(static_cast<std::size_t>(std::llround(static_cast<double>(n) * held_out)), 1, n - 1);
  return {n - held, n - held};
}

// Characters and words: every sentence once, in parallel shares.
void count_chars_and_words(const std::vector<std::string_view>& lines, Split split, const TokenizationOptions& opt,
                           const TokenizationProgress& progress, TokenizationReport& r) {
  const std::size_t n = lines.size();
  const int nth = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(opt.threads), n));
  std::vector<ShareCounts> shares(static_cast<std::size_t>(nth));
  std::vector<std::uint32_t> chars(n - split.eval_begin), words(n - split.eval_begin);
  std::atomic<std::size_t> done{0};
  common::ThreadPool::shared().run(nth, [&](int ith, int) {
    auto [begin, end] = common::split_range(n, ith, nth);
    Normalizer norm(opt.normalizer);
    std::vector<std::string> tokens;
    ShareCounts& c = shares[static_cast<std::size_t>(ith)];
    for (std::size_t i = begin; i < end; ++i) {
      const bool eval = i >= split.eval_begin;
      const std::size_t k = eval ? i - split.eval_begin : 0;
      count_sentence(lines[i], i < split.train, eval, norm, c, tokens, eval ? &chars[k] : nullptr,
                     eval ? &words[k] : nullptr);  // (UTF-8 checked by split_sentences)
      if ((i - begin) % 4096 == 4095) {
        done += 4096;
        if (ith == 0 && progress) progress({"reading", done.load(), n, "sentences"});
      }
    }
  });
  if (progress) progress({"reading", n, n, "sentences"});
  ShareCounts& all = shares[0];
  for (std::size_t t = 1; t < shares.size(); ++t) {
    for (std::size_t cp = 0; cp < kCodePoints; ++cp) {
      all.train_chars[cp] += shares[t].train_chars[cp];
      all.eval_chars[cp] += shares[t].eval_chars[cp];
    }
    merge_counts(all.train_words, all.train_word_counts, shares[t].train_words, shares[t].train_word_counts);
    merge_counts(all.eval_words, all.eval_word_counts, shares[t].eval_words, shares[t].eval_word_counts);
  }
  SchemeStats ch;
  ch.scheme = TokenScheme::kCharacters;
  for (std::size_t cp = 0; cp < kCodePoints; ++cp) {
    if (all.train_chars[cp] > 0) ++ch.vocab_size;
    else ch.oov += all.eval_chars[cp];
  }
  ch.lengths = LengthStats::of(std::move(chars));
  SchemeStats wd;
  wd.scheme = TokenScheme::kWords;
  for (const auto c : all.train_word_counts) wd.vocab_size += c >= opt.min_count;
  for (std::size_t w = 0; w < all.eval_word_counts.size(); ++w) {
    const std::int32_t id = all.train_words.find(all.eval_words.word(w));
    if (id < 0 || all.train_word_counts[static_cast<std::size_t>(id)] < opt.min_count) wd.oov += all.eval_word_counts[w];
  }
  wd.lengths = LengthStats::of(std::move(words));
  r.schemes.push_back(std::move(ch));
  r.schemes.push_back(std::move(wd));
}

// Lengths in BPE tokens of the evaluated sentences.
std::vector<std::uint32_t> bpe_lengths(const BpeModel& model, const std::vector<std::string_view>& lines, Split split,
                                       int threads) {
  std::vector<std::uint32_t> out(lines.size() - split.eval_begin);
  const int nth = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(threads), std::max<std::size_t>(out.size(), 1)));
  common::ThreadPool::shared().run(nth, [&](int ith, int) {
    auto [begin, end] = common::split_range(out.size(), ith, nth);
    BpeEncoder enc(model);
    for (std::size_t k = begin; k < end; ++k)
      enc.encode_lines(lines[split.eval_begin + k],
                       [&](const std::vector<std::int32_t>& ids) { out[k] = static_cast<std::uint32_t>(ids.size()); });
  });
  return out;
}

void bpe_schemes(std::string_view train_text, const std::string& name, const std::vector<std::string_view>& lines,
                 Split split, const TokenizationOptions& opt, const TokenizationProgress& progress,
                 TokenizationReport& r) {
  if (opt.bpe_sizes.empty()) return;
  const PieceCounts counts = count_pieces_in_text(train_text, opt.threads, nullptr);
  for (const std::size_t size : opt.bpe_sizes) {
    BpeTrainOptions bo;
    bo.inputs = {name};
    bo.vocab_size = size;
    bo.threads = opt.threads;
    const std::string phase = "bpe " + std::to_string(size);
    const BpeModel model = learn_bpe(counts, bo, nullptr, [&](std::size_t done, std::size_t total) {
      if (progress) progress({phase, done, total, "merges"});
    });
    if (progress) progress({"encoding", 0, lines.size() - split.eval_begin, "sentences"});
    SchemeStats s;
    s.scheme = TokenScheme::kBpe;
    s.requested_size = size;
    s.vocab_size = model.size();
    s.lengths = LengthStats::of(bpe_lengths(model, lines, split, opt.threads));
    r.schemes.push_back(std::move(s));
  }
}

}  // namespace

std::string_view to_string(TokenScheme s) { return common::enum_name(kSchemes, s); }

void TokenizationOptions::validate() const {
  if (!(held_out >= 0 && held_out <= 0.9))
  {
    char got[32];
    std::snprintf(got, sizeof got, "%g", held_out);
    throw common::OptionError(std::string("--held-out must be between 0 and 0.9 (got ") + got + ")");
  }
  if (min_count < 1) throw common::OptionError("--min-count must be at least 1");
  if (dim < 1) throw common::OptionError("--dim must be at least 1");
  if (threads < 1 || threads > 256) throw common::OptionError("--threads must be between 1 and 256");
  for (const std::size_t s : bpe_sizes) {
    const std::size_t smallest = 256 + BpeTrainOptions().specials.size();
    if (s < smallest || s > (std::size_t{1} << 24))
      throw common::OptionError("--bpe-sizes: " + std::to_string(s) + " is not a BPE vocabulary size: between " +
                                std::to_string(smallest) + " (256 bytes + the specials) and 16777216");
  }
}

LengthStats LengthStats::of(std::vector<std::uint32_t> lengths) {
  LengthStats s;
  s.sentences = lengths.size();
  if (lengths.empty()) return s;
  for (const std::uint32_t t : lengths) {
    s.tokens += t;
    s.sum_sq += static_cast<double>(t) * static_cast<double>(t);
    s.max = std::max<std::size_t>(s.max, t);
  }
  s.mean = static_cast<double>(s.tokens) / static_cast<double>(s.sentences);
  const auto mid = lengths.begin() + static_cast<std::ptrdiff_t>((lengths.size() - 1) / 2);
  std::nth_element(lengths.begin(), mid, lengths.end());
  s.p50 = *mid;
  return s;
}

std::string SchemeStats::label() const {
  std::string s(to_string(scheme));
  if (scheme == TokenScheme::kBpe) s += " " + std::to_string(requested_size);
  return s;
}

TokenizationReport compare_tokenizations(std::string_view text, const std::string& name, const TokenizationOptions& opt,
                                         const TokenizationProgress& progress) {
  opt.validate();
  const Sentences s = split_sentences(text, name);
  const Split split = split_of(s.lines.size(), opt.held_out, name);
  TokenizationReport r;
  r.bytes = text.size();
  r.lines = s.all_lines;
  r.blank_lines = s.blank;
  r.train_sentences = split.train;
  r.held_out_sentences = s.lines.size() - split.train;
  r.held_out_fraction = opt.held_out;
  r.min_count = opt.min_count;
  r.dim = opt.dim;
  count_chars_and_words(s.lines, split, opt, progress, r);
  // BPE learns from the text before the first held-out sentence (blank lines included).
  const std::size_t train_end =
      split.train < s.lines.size() ? static_cast<std::size_t>(s.lines[split.train].data() - text.data()) : text.size();
  bpe_schemes(text.substr(0, train_end), name, s.lines, split, opt, progress, r);
  return r;
}

TokenizationReport compare_tokenizations_file(const std::string& path, const TokenizationOptions& opt,
                                              const TokenizationProgress& progress) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw common::InputError("cannot read text file '" + path + "': it is a directory, not a file");
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw common::InputError("cannot open text file '" + path + "': " + std::strerror(errno));
  std::string text(static_cast<std::size_t>(std::max<std::streamoff>(0, in.tellg())), '\0');
  in.seekg(0);
  if (!in.read(text.data(), static_cast<std::streamsize>(text.size())))
    throw common::InputError("cannot read text file '" + path + "'");
  return compare_tokenizations(text, path, opt, progress);
}

}  // namespace tok
