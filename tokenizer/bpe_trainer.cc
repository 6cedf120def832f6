#include "tokenizer/bpe_trainer.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <queue>

#include "tokenizer/bpe_pieces.h"
#include "common/corpus_files.h"
#include "common/errors.h"
#include "common/parallel.h"
#include "tokenizer/token_reader.h"

namespace tok {

void BpeTrainOptions::validate() const {
  if (inputs.empty()) throw common::OptionError("--input is required: one or more text files, a directory, or -");
  const std::size_t min_size = 256 + specials.size();
  if (vocab_size < min_size)
    throw common::OptionError("--vocab-size must be at least " + std::to_string(min_size) + " (256 bytes + " +
                      std::to_string(specials.size()) + " special tokens), got " + std::to_string(vocab_size));
  if (vocab_size > (1u << 24)) throw common::OptionError("--vocab-size is too large (max 16777216)");
  if (threads < 1 || threads > 256) throw common::OptionError("--threads must be between 1 and 256");
  if (min_frequency < 1) throw common::OptionError("--min-frequency must be at least 1");
}

namespace {

struct LocalCounts {
  WordTable table;
  std::vector<std::uint64_t> counts;
  BpeTrainStats stats;
};

void count_range(const common::CorpusFiles& corpus, std::uint64_t begin, std::uint64_t end, LocalCounts* out) {
  std::vector<char> buf(1 << 20);
  PieceScanner scanner;
  auto piece = [&](std::string_view p) {
    auto id = static_cast<std::size_t>(out->table.insert(p));
    if (id == out->counts.size()) out->counts.push_back(0);
    ++out->counts[id];
    ++out->stats.pieces;
    out->stats.bytes += p.size();
    for (char c : p)
      if (!(c == ' ' || (c >= '\t' && c <= '\r'))) {
        ++out->stats.words;
        break;
      }
  };
  auto eol = [&] {
    ++out->stats.lines;
    --out->stats.bytes;  // the leading space each line gets is not text
  };
  for (std::uint64_t pos = begin; pos < end;) {
    const auto& f = corpus.files()[corpus.file_at(pos)];
    const std::uint64_t file_end = std::min(end, f.offset + f.size);
    while (pos < file_end) {
      std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), file_end - pos));
      ssize_t n = ::pread(f.fd, buf.data(), want, static_cast<off_t>(pos - f.offset));
      if (n <= 0) throw common::InputError("cannot read '" + f.path + "'");
      scanner.feed(buf.data(), static_cast<std::size_t>(n), piece, eol);
      pos += static_cast<std::uint64_t>(n);
    }
    scanner.finish(piece, eol);  // lines never continue across files
    if (f.size == 0) ++pos;      // (empty files: cannot happen inside a range, but never loop)
  }
}

}  // namespace

PieceCounts count_pieces(const std::vector<std::string>& inputs, int threads, BpeTrainStats* stats) {
  common::CorpusFiles corpus(inputs);
  const int n = std::max(1, threads);
  auto ranges = split_ranges(corpus, n, /*newline_only=*/true);
  std::vector<LocalCounts> local(static_cast<std::size_t>(n));
  common::ThreadPool::shared().run(n, [&](int ith, int) {
    const auto r = ranges[static_cast<std::size_t>(ith)];
    count_range(corpus, r.first, r.second, &local[static_cast<std::size_t>(ith)]);
  });
  LocalCounts& all = local[0];
  for (int t = 1; t < n; ++t) {
    auto& l = local[static_cast<std::size_t>(t)];
    merge_counts(all.table, all.counts, l.table, l.counts);
    all.stats.bytes += l.stats.bytes;
    all.stats.lines += l.stats.lines;
    all.stats.words += l.stats.words;
    all.stats.pieces += l.stats.pieces;
  }
  if (all.stats.pieces == 0) throw common::InputError("the BPE training input is empty");
  // A canonical order (by bytes) so that nothing depends on thread count or hashing.
  std::vector<std::size_t> order(all.table.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return all.table.word(a) < all.table.word(b); });
  PieceCounts out;
  for (auto i : order) {
    out.pieces.emplace_back(all.table.word(i));
    out.counts.push_back(all.counts[i]);
  }
  if (stats) {
    stats->bytes = all.stats.bytes;
    stats->lines = all.stats.lines;
    stats->words = all.stats.words;
    stats->pieces = all.stats.pieces;
    stats->distinct_pieces = out.pieces.size();
  }
  return out;
}

namespace {

struct HeapEntry {
  std::int64_t count;
  std::int32_t a, b;
  // priority_queue pops the largest: higher count, then smaller (a, b).
  bool operator<(const HeapEntry& o) const {
    if (count != o.count) return count < o.count;
    if (a != o.a) return a > o.a;
    return b > o.b;
  }
};

}  // namespace

BpeModel learn_bpe(const PieceCounts& pc, const BpeTrainOptions& opt, BpeTrainStats* stats,
                   const std::function<void(std::size_t, std::size_t)>& progress) {
  opt.validate();
  const auto first = static_cast<std::int32_t>(opt.specials.size());
  const std::size_t target = opt.vocab_size - 256 - opt.specials.size();
  // Words as symbol sequences; pair counts weighted by word counts; for
  // each pair, the words that (may) contain it.
  std::vector<std::vector<std::int32_t>> words(pc.pieces.size());
  FlatMap64<std::int64_t> pair_count;
  FlatMap64<std::uint32_t> pair_slot;  // pair -> index in where
  std::vector<std::vector<std::uint32_t>> where;
  auto where_of = [&](std::uint64_t key) -> std::vector<std::uint32_t>& {
    auto* s = pair_slot.find(key);
    if (!s) {
      pair_slot[key] = static_cast<std::uint32_t>(where.size());
      where.emplace_back();
      return where.back();
    }
    return where[*s];
  };
  for (std::size_t w = 0; w < words.size(); ++w) {
    for (unsigned char c : pc.pieces[w]) words[w].push_back(first + c);
    const auto cnt = static_cast<std::int64_t>(pc.counts[w]);
    for (std::size_t i = 0; i + 1 < words[w].size(); ++i) {
      auto key = pair_key(words[w][i], words[w][i + 1]);
      pair_count[key] += cnt;
      auto& wl = where_of(key);
      if (wl.empty() || wl.back() != w) wl.push_back(static_cast<std::uint32_t>(w));
    }
  }
  std::priority_queue<HeapEntry> heap;
  {
    // Seed the heap with every pair (walk the pieces to enumerate keys).
    FlatMap64<char> seen;
    for (const auto& sym : words)
      for (std::size_t i = 0; i + 1 < sym.size(); ++i) {
        auto key = pair_key(sym[i], sym[i + 1]);
        char& s = seen[key];
        if (s) continue;
        s = 1;
        heap.push({*pair_count.find(key), sym[i], sym[i + 1]});
      }
  }
  std::vector<std::pair<std::int32_t, std::int32_t>> merges;
  std::vector<std::size_t> stamp(words.size(), SIZE_MAX);
  std::vector<std::int32_t> next;
  while (merges.size() < target && !heap.empty()) {
    HeapEntry top = heap.top();
    heap.pop();
    const auto key = pair_key(top.a, top.b);
    const std::int64_t current = *pair_count.find(key);
    if (current != top.count) {  // stale entry: requeue with the current count
      if (current > 0) heap.push({current, top.a, top.b});
      continue;
    }
    if (current < static_cast<std::int64_t>(opt.min_frequency)) break;
    const std::size_t r = merges.size();
    const std::int32_t id = first + 256 + static_cast<std::int32_t>(r);
    merges.emplace_back(top.a, top.b);
    // Copy: where_of() below may grow `where`.
    const std::vector<std::uint32_t> affected = where[*pair_slot.find(key)];
    FlatMap64<std::int64_t> delta;
    std::vector<std::uint64_t> touched;
    auto add = [&](std::int32_t a, std::int32_t b, std::int64_t d) {
      auto k = pair_key(a, b);
      if (auto* v = delta.find(k)) {
        *v += d;
      } else {
        delta[k] = d;
        touched.push_back(k);
      }
    };
    for (std::uint32_t w : affected) {
      if (stamp[w] == r) continue;
      stamp[w] = r;
      auto& sym = words[w];
      bool has = false;
      for (std::size_t i = 0; i + 1 < sym.size() && !has; ++i) has = sym[i] == top.a && sym[i + 1] == top.b;
      if (!has) continue;
      const auto cnt = static_cast<std::int64_t>(pc.counts[w]);
      for (std::size_t i = 0; i + 1 < sym.size(); ++i) add(sym[i], sym[i + 1], -cnt);
      next.clear();
      for (std::size_t i = 0; i < sym.size(); ++i) {
        if (i + 1 < sym.size() && sym[i] == top.a && sym[i + 1] == top.b) {
          next.push_back(id);
          ++i;
        } else {
          next.push_back(sym[i]);
        }
      }
      sym.swap(next);
      for (std::size_t i = 0; i + 1 < sym.size(); ++i) {
        add(sym[i], sym[i + 1], cnt);
        if (sym[i] == id || sym[i + 1] == id) {
          auto& wl = where_of(pair_key(sym[i], sym[i + 1]));
          if (wl.empty() || wl.back() != w) wl.push_back(w);
        }
      }
    }
    for (auto k : touched) {
      const std::int64_t d = *delta.find(k);
      if (d == 0) continue;
      auto& c = pair_count[k];
      c += d;
      if (d > 0) heap.push({c, static_cast<std::int32_t>(k >> 32), static_cast<std::int32_t>(k & 0xFFFFFFFFu)});
    }
    if (progress && (r % 256 == 0)) progress(r, target);
  }
  if (stats) {
    stats->tokens = 0;
    for (std::size_t w = 0; w < words.size(); ++w) stats->tokens += pc.counts[w] * words[w].size();
  }
  if (progress) progress(merges.size(), target);
  return BpeModel(opt.specials, std::move(merges));
}

BpeModel train_bpe(const BpeTrainOptions& opt, BpeTrainStats* stats,
                   const std::function<void(std::size_t, std::size_t)>& progress) {
  opt.validate();
  BpeTrainStats local;
  BpeTrainStats* st = stats ? stats : &local;
  auto t0 = std::chrono::steady_clock::now();
  auto counts = count_pieces(opt.inputs, opt.threads, st);
  auto t1 = std::chrono::steady_clock::now();
  auto model = learn_bpe(counts, opt, st, progress);
  auto t2 = std::chrono::steady_clock::now();
  st->count_seconds = std::chrono::duration<double>(t1 - t0).count();
  st->merge_seconds = std::chrono::duration<double>(t2 - t1).count();
  return model;
}

}  // namespace tok
