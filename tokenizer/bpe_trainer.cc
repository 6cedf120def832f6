#include "tokenizer/bpe_trainer.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <queue>

#include "tokenizer/bpe_pieces.h"
#include "tokenizer/readable_token.h"
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

  // Feeds bytes through a scanner into the counts.
  void scan(PieceScanner& scanner, const char* data, std::size_t n, bool finish) {
    auto piece = [&](std::string_view p) {
      auto id = static_cast<std::size_t>(table.insert(p));
      if (id == counts.size()) counts.push_back(0);
      ++counts[id];
      ++stats.pieces;
      stats.bytes += p.size();
      for (char c : p)
        if (!(c == ' ' || (c >= '\t' && c <= '\r'))) {
          ++stats.words;
          break;
        }
    };
    auto eol = [&] {
      ++stats.lines;
      --stats.bytes;  // the leading space each line gets is not text
    };
    if (n > 0) scanner.feed(data, n, piece, eol);
    if (finish) scanner.finish(piece, eol);
  }
};

void count_range(const common::CorpusFiles& corpus, std::uint64_t begin, std::uint64_t end, LocalCounts* out) {
  std::vector<char> buf(1 << 20);
  PieceScanner scanner;
  for (std::uint64_t pos = begin; pos < end;) {
    const auto& f = corpus.files()[corpus.file_at(pos)];
    const std::uint64_t file_end = std::min(end, f.offset + f.size);
    while (pos < file_end) {
      std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), file_end - pos));
      ssize_t n = ::pread(f.fd, buf.data(), want, static_cast<off_t>(pos - f.offset));
      if (n <= 0) throw common::InputError("cannot read '" + f.path + "'");
      out->scan(scanner, buf.data(), static_cast<std::size_t>(n), false);
      pos += static_cast<std::uint64_t>(n);
    }
    out->scan(scanner, nullptr, 0, true);  // lines never continue across files
    if (f.size == 0) ++pos;      // (empty files: cannot happen inside a range, but never loop)
  }
}

// The threads' counts merged, in a canonical order (by bytes) so that nothing
// depends on thread count or hashing.
PieceCounts merge_local(std::vector<LocalCounts>& local, BpeTrainStats* stats) {
  LocalCounts& all = local[0];
  for (std::size_t t = 1; t < local.size(); ++t) {
    auto& l = local[t];
    merge_counts(all.table, all.counts, l.table, l.counts);
    all.stats.bytes += l.stats.bytes;
    all.stats.lines += l.stats.lines;
    all.stats.words += l.stats.words;
    all.stats.pieces += l.stats.pieces;
  }
  if (all.stats.pieces == 0) throw common::InputError("the BPE training input is empty");
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
  return merge_local(local, stats);
}

PieceCounts count_pieces_in_text(std::string_view text, int threads, BpeTrainStats* stats) {
  const std::size_t n = static_cast<std::size_t>(std::max(1, threads));
  std::vector<std::size_t> cut = {0};  // range starts, at line starts
  for (std::size_t t = 1; t < n; ++t) {
    std::size_t at = std::max(cut.back(), text.size() * t / n);
    while (at < text.size() && at > 0 && text[at - 1] != '\n') ++at;
    cut.push_back(at);
  }
  cut.push_back(text.size());
  std::vector<LocalCounts> local(n);
  common::ThreadPool::shared().run(static_cast<int>(n), [&](int ith, int) {
    const auto t = static_cast<std::size_t>(ith);
    PieceScanner scanner;
    local[t].scan(scanner, text.data() + cut[t], cut[t + 1] - cut[t], true);
  });
  return merge_local(local, stats);
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

// The state of BPE learning: every distinct piece as a symbol sequence, the
// count of each adjacent pair (weighted by piece counts), for each pair the
// pieces that (may) contain it, and a max-heap of pairs by count whose stale
// entries are requeued lazily.
class MergeState {
 public:
  MergeState(const PieceCounts& pc, std::int32_t first) : counts_(pc.counts), words_(pc.pieces.size()) {
    stamp_.assign(words_.size(), SIZE_MAX);
    for (std::size_t w = 0; w < words_.size(); ++w) {
      for (unsigned char c : pc.pieces[w]) words_[w].push_back(first + c);
      const auto cnt = static_cast<std::int64_t>(counts_[w]);
      for (std::size_t i = 0; i + 1 < words_[w].size(); ++i) {
        const auto key = pair_key(words_[w][i], words_[w][i + 1]);
        pair_count_[key] += cnt;
        note_pair(key, static_cast<std::uint32_t>(w));
      }
    }
    seed_heap();
  }

  // The most frequent pair with its current count; false when none is left.
  bool best(HeapEntry* out) {
    while (!heap_.empty()) {
      const HeapEntry top = heap_.top();
      heap_.pop();
      const std::int64_t current = *pair_count_.find(pair_key(top.a, top.b));
      if (current == top.count) {
        *out = top;
        return true;
      }
      if (current > 0) heap_.push({current, top.a, top.b});  // stale entry: requeue with the current count
    }
    return false;
  }

  // Replaces every occurrence of (a, b) by `id` (merge number r) and updates
  // the pair counts, the pair -> pieces index and the heap.
  void merge(std::int32_t a, std::int32_t b, std::int32_t id, std::size_t r) {
    // Copy: note_pair() below may grow where_.
    const std::vector<std::uint32_t> affected = where_[*pair_slot_.find(pair_key(a, b))];
    delta_ = FlatMap64<std::int64_t>();
    touched_.clear();
    for (std::uint32_t w : affected) {
      if (stamp_[w] == r) continue;
      stamp_[w] = r;
      rewrite_piece(w, a, b, id);
    }
    for (auto k : touched_) {
      const std::int64_t d = *delta_.find(k);
      if (d == 0) continue;
      auto& c = pair_count_[k];
      c += d;
      if (d > 0) heap_.push({c, static_cast<std::int32_t>(k >> 32), static_cast<std::int32_t>(k & 0xFFFFFFFFu)});
    }
  }

  // Tokens of the corpus under the merges so far.
  std::uint64_t tokens() const {
    std::uint64_t t = 0;
    for (std::size_t w = 0; w < words_.size(); ++w) t += counts_[w] * words_[w].size();
    return t;
  }

 private:
  void note_pair(std::uint64_t key, std::uint32_t w) {
    auto* slot = pair_slot_.find(key);
    if (!slot) {
      pair_slot_[key] = static_cast<std::uint32_t>(where_.size());
      where_.emplace_back();
    }
    auto& wl = where_[slot ? *slot : where_.size() - 1];
    if (wl.empty() || wl.back() != w) wl.push_back(w);
  }

  void seed_heap() {  // every pair once (walk the pieces to enumerate keys)
    FlatMap64<char> seen;
    for (const auto& sym : words_)
      for (std::size_t i = 0; i + 1 < sym.size(); ++i) {
        const auto key = pair_key(sym[i], sym[i + 1]);
        char& s = seen[key];
        if (s) continue;
        s = 1;
        heap_.push({*pair_count_.find(key), sym[i], sym[i + 1]});
      }
  }

  void add_delta(std::int32_t a, std::int32_t b, std::int64_t d) {
    const auto k = pair_key(a, b);
    if (auto* v = delta_.find(k)) {
      *v += d;
    } else {
      delta_[k] = d;
      touched_.push_back(k);
    }
  }

  void rewrite_piece(std::uint32_t w, std::int32_t a, std::int32_t b, std::int32_t id) {
    auto& sym = words_[w];
    bool has = false;
    for (std::size_t i = 0; i + 1 < sym.size() && !has; ++i) has = sym[i] == a && sym[i + 1] == b;
    if (!has) return;
    const auto cnt = static_cast<std::int64_t>(counts_[w]);
    for (std::size_t i = 0; i + 1 < sym.size(); ++i) add_delta(sym[i], sym[i + 1], -cnt);
    next_.clear();
    for (std::size_t i = 0; i < sym.size(); ++i) {
      if (i + 1 < sym.size() && sym[i] == a && sym[i + 1] == b) {
        next_.push_back(id);
        ++i;
      } else {
        next_.push_back(sym[i]);
      }
    }
    sym.swap(next_);
    for (std::size_t i = 0; i + 1 < sym.size(); ++i) {
      add_delta(sym[i], sym[i + 1], cnt);
      if (sym[i] == id || sym[i + 1] == id) note_pair(pair_key(sym[i], sym[i + 1]), w);
    }
  }

  const std::vector<std::uint64_t>& counts_;
  std::vector<std::vector<std::int32_t>> words_;
  FlatMap64<std::int64_t> pair_count_;
  FlatMap64<std::uint32_t> pair_slot_;  // pair -> index in where_
  std::vector<std::vector<std::uint32_t>> where_;
  std::priority_queue<HeapEntry> heap_;
  std::vector<std::size_t> stamp_;  // merge number that last rewrote each piece
  FlatMap64<std::int64_t> delta_;   // pair count changes of the current merge
  std::vector<std::uint64_t> touched_;
  std::vector<std::int32_t> next_;
};

}  // namespace

BpeModel learn_bpe(const PieceCounts& pc, const BpeTrainOptions& opt, BpeTrainStats* stats,
                   const std::function<void(std::size_t, std::size_t)>& progress) {
  opt.validate();
  const auto first = static_cast<std::int32_t>(opt.specials.size());
  const std::size_t target = opt.vocab_size - 256 - opt.specials.size();
  MergeState state(pc, first);
  std::vector<std::pair<std::int32_t, std::int32_t>> merges;
  HeapEntry top;
  while (merges.size() < target && state.best(&top)) {
    if (top.count < static_cast<std::int64_t>(opt.min_frequency)) break;
    const std::size_t r = merges.size();
    merges.emplace_back(top.a, top.b);
    state.merge(top.a, top.b, first + 256 + static_cast<std::int32_t>(r), r);
    if (progress && (r % 256 == 0)) progress(r, target);
  }
  if (stats) stats->tokens = state.tokens();
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

std::vector<SampleSegmentation> sample_segmentations(const PieceCounts& counts, const BpeModel& model,
                                                     const std::vector<std::size_t>& ranks) {
  std::vector<std::size_t> order(counts.pieces.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return counts.counts[a] > counts.counts[b]; });
  std::vector<SampleSegmentation> out;
  std::vector<std::int32_t> ids;
  for (std::size_t rank : ranks)
    for (std::size_t r = rank; r < order.size() && r < rank + 50; ++r) {
      const auto& p = counts.pieces[order[r]];
      if (p.size() < 5) continue;
      ids.clear();
      model.encode_piece(p, ids);
      std::string seg;
      for (auto id : ids) seg += (seg.empty() ? "" : " ") + model.token_readable(static_cast<std::size_t>(id));
      out.push_back({r + 1, readable_token(p), seg});
      break;
    }
  return out;
}

}  // namespace tok
