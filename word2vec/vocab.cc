#include "word2vec/vocab.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/text_format.h"
#include "common/buffered_writer.h"
#include "common/distributed.h"
#include "common/errors.h"
#include "common/line_reader.h"
#include "common/parallel.h"
#include "common/stop_request.h"
#include "tokenizer/token_reader.h"
#include "common/utf8.h"

namespace w2v {

namespace {

struct LocalCounts {
  tok::WordTable table;
  std::vector<std::uint64_t> counts;
  std::uint64_t eos = 0, tokens = 0;
};

void count_range(const common::CorpusFiles& corpus, std::uint64_t begin, std::uint64_t end, const VocabOptions& opt,
                 LocalCounts* out) {
  auto reader = tok::make_token_source(corpus, begin, end, opt.tokenizer, opt.normalize);
  std::string_view tok;
  for (;;) {
    auto kind = reader->next(&tok);
    if (kind == tok::TokenKind::kEnd) break;
    if (kind == tok::TokenKind::kNewline) {
      ++out->eos;
      continue;
    }
    // Ctrl-C: counting cannot be resumed, so it ends here (every 64k tokens).
    if ((out->tokens & 0xFFFF) == 0) common::throw_if_stop_requested("counting the vocabulary");
    if (kind != tok::TokenKind::kToken) continue;
    if (tok == kEos) {  // a literal "</s>" is an end of sentence, as in word2vec.c
      ++out->eos;
      continue;
    }
    auto id = static_cast<std::size_t>(out->table.insert(tok));
    if (id == out->counts.size()) out->counts.push_back(0);
    ++out->counts[id];
    ++out->tokens;
  }
}

using Entries = std::vector<std::pair<std::string, std::uint64_t>>;

void put_u64(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }
std::uint64_t get_u64(const std::string& in, std::size_t& pos) {
  std::uint64_t v = 0;
  if (pos + sizeof v > in.size()) throw common::FormatError("vocabulary message from another rank is truncated");
  std::memcpy(&v, in.data() + pos, sizeof v);
  pos += sizeof v;
  return v;
}

// eos, tokens, then (length, bytes, count) per entry: what ranks exchange.
std::string pack(const Entries& entries, std::uint64_t eos, std::uint64_t tokens) {
  std::string out;
  put_u64(out, eos);
  put_u64(out, tokens);
  for (const auto& [w, c] : entries) {
    put_u64(out, w.size());
    out.append(w);
    put_u64(out, c);
  }
  return out;
}

Entries unpack(const std::string& in, std::uint64_t* eos, std::uint64_t* tokens) {
  std::size_t pos = 0;
  *eos = get_u64(in, pos);
  *tokens = get_u64(in, pos);
  Entries entries;
  while (pos < in.size()) {
    const std::uint64_t len = get_u64(in, pos);
    if (len > in.size() - pos) throw common::FormatError("vocabulary message from another rank is truncated");
    std::string w = in.substr(pos, len);
    pos += len;
    entries.emplace_back(std::move(w), get_u64(in, pos));
  }
  return entries;
}

Entries entries_of(const LocalCounts& c) {
  Entries entries;
  entries.reserve(c.table.size());
  for (std::size_t id = 0; id < c.table.size(); ++id) entries.emplace_back(std::string(c.table.word(id)), c.counts[id]);
  return entries;
}

Entries entries_of(const Vocab& v) {
  Entries entries;
  entries.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) entries.emplace_back(std::string(v.word(i)), v.count(i));
  return entries;
}

// Rank 0 gathers every rank's counts into *all (the other ranks' *all is left as is).
void merge_ranks(LocalCounts* all) {
  const auto parts = common::dist::gather(pack(entries_of(*all), all->eos, all->tokens));
  if (!common::dist::is_root()) return;
  for (std::size_t r = 1; r < parts.size(); ++r) {
    LocalCounts l;
    for (auto& [w, c] : unpack(parts[r], &l.eos, &l.tokens)) {
      l.table.insert(w);
      l.counts.push_back(c);
    }
    tok::merge_counts(all->table, all->counts, l.table, l.counts);
    all->eos += l.eos;
    all->tokens += l.tokens;
  }
}

}  // namespace

Vocab Vocab::build(const common::CorpusFiles& corpus, const VocabOptions& opt, VocabStats* stats) {
  const int n = std::max(1, opt.threads);
  const int ranks = opt.across_ranks ? common::dist::size() : 1, rank = opt.across_ranks ? common::dist::rank() : 0;
  auto ranges = tok::split_ranges(corpus, n * ranks, opt.tokenizer != nullptr);
  std::vector<LocalCounts> local(static_cast<std::size_t>(n));
  common::ThreadPool::shared().run(n, [&](int ith, int) {
    const auto r = ranges[static_cast<std::size_t>(rank * n + ith)];
    count_range(corpus, r.first, r.second, opt, &local[static_cast<std::size_t>(ith)]);
  });
  // Merge into the first table.
  LocalCounts& all = local[0];
  for (int t = 1; t < n; ++t) {
    auto& l = local[static_cast<std::size_t>(t)];
    tok::merge_counts(all.table, all.counts, l.table, l.counts);
    all.eos += l.eos;
    all.tokens += l.tokens;
  }
  if (ranks > 1) {
    // Rank 0 merges the ranks' counts and filters; every rank gets the result.
    merge_ranks(&all);
    std::string message;
    if (common::dist::is_root()) {
      if (all.tokens == 0)
        throw common::InputError("the training input contains no words (only whitespace): nothing to train on");
      message = pack(entries_of(finish(entries_of(all), all.eos, opt, stats, "the training input")), 0, all.tokens);
    }
    common::dist::broadcast(message);
    std::uint64_t eos = 0;
    Entries entries = unpack(message, &eos, &all.tokens);
    if (stats) stats->tokens = all.tokens;
    return from_entries(std::move(entries));
  }
  if (all.tokens == 0)
    throw common::InputError("the training input contains no words (only whitespace): nothing to train on");
  if (stats) stats->tokens = all.tokens;
  return finish(entries_of(all), all.eos, opt, stats, "the training input");
}

Vocab Vocab::read(const std::string& path, const VocabOptions& opt, VocabStats* stats) {
  common::LineReader in(path, "vocabulary file");
  std::vector<std::pair<std::string, std::uint64_t>> entries;
  std::uint64_t eos = 0, tokens = 0;
  for (std::string line; in.next_nonempty(line);) {
    auto sp = line.find(' ');
    auto bad = [&](const std::string& why) {
      return common::FormatError(in.where() + ": " + why + " (expected 'word count', as written by -save-vocab)");
    };
    if (sp == std::string::npos || sp == 0) throw bad("no count");
    std::string word = line.substr(0, sp), num = line.substr(sp + 1);
    if (num.empty() || num.find_first_not_of("0123456789") != std::string::npos) throw bad("count is not a number");
    if (!common::utf8_valid(word)) throw bad("word is not valid UTF-8");
    std::uint64_t c = 0;
    if (std::from_chars(num.data(), num.data() + num.size(), c).ec != std::errc())
      throw bad("count '" + num + "' is out of range");
    if (word == kEos) {
      eos += c;
      continue;
    }
    tokens += c;
    entries.emplace_back(std::move(word), c);
  }
  if (entries.empty()) throw common::InputError("vocabulary file '" + path + "' lists no words");
  if (stats) stats->tokens = tokens;
  return finish(std::move(entries), eos, opt, stats, "vocabulary file '" + path + "'");
}

Vocab Vocab::finish(std::vector<std::pair<std::string, std::uint64_t>> entries, std::uint64_t eos_count,
                    const VocabOptions& opt, VocabStats* stats, const std::string& source) {
  // Frequency order; ties broken by the word's bytes so that the result does
  // not depend on the thread count or hash order.
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  const std::size_t distinct = entries.size();
  std::size_t keep = 0;
  while (keep < entries.size() && static_cast<std::int64_t>(entries[keep].second) >= opt.min_count) ++keep;
  if (keep == 0)
    throw common::InputError("no word in " + source + " occurs at least " + std::to_string(opt.min_count) +
                             " times (-min-count); the most frequent, '" + entries[0].first + "', occurs " +
                             common::plural(entries[0].second, "time", "times") + ": lower -min-count or give more text");
  std::size_t below = distinct - keep, cut = 0;
  if (opt.max_vocab > 0 && keep + 1 > static_cast<std::size_t>(opt.max_vocab)) {
    std::size_t limit = static_cast<std::size_t>(std::max<std::int64_t>(opt.max_vocab - 1, 1));
    cut = keep - limit;
    keep = limit;
  }
  entries.resize(keep);
  entries.insert(entries.begin(), {std::string(kEos), eos_count});
  if (stats) {
    stats->distinct = distinct;
    stats->below_min = below;
    stats->cut_by_max = cut;
  }
  if (cut)
    spdlog::info("vocabulary: kept the {} most frequent words (--max-vocab {}); {} left out, the rarest kept occurs {}", keep,
                 opt.max_vocab, common::plural(cut, "rarer word", "rarer words"),
                 common::plural(entries.back().second, "time", "times"));
  return from_entries(std::move(entries));
}

Vocab Vocab::from_entries(std::vector<std::pair<std::string, std::uint64_t>> entries) {
  Vocab v;
  v.counts_.reserve(entries.size());
  for (auto& [w, c] : entries) {
    auto id = static_cast<std::size_t>(v.table_.insert(w));
    if (id != v.counts_.size()) throw common::FormatError("duplicate word '" + w + "' in vocabulary");
    v.counts_.push_back(c);
    v.train_words_ += c;
  }
  return v;
}

void Vocab::save(const std::string& path) const {
  common::AtomicFile out(path);
  common::BufferedWriter buf(out);
  for (std::size_t i = 0; i < size(); ++i) {
    buf.append(word(i));
    buf.push_back(' ');
    buf.append(std::to_string(counts_[i]));
    buf.push_back('\n');
  }
  buf.flush();
  out.commit();
}

}  // namespace w2v
