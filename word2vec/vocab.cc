#include "word2vec/vocab.h"

#include <algorithm>
#include <charconv>

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/text_format.h"
#include "common/buffered_writer.h"
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

}  // namespace

Vocab Vocab::build(const common::CorpusFiles& corpus, const VocabOptions& opt, VocabStats* stats) {
  const int n = std::max(1, opt.threads);
  auto ranges = tok::split_ranges(corpus, n, opt.tokenizer != nullptr);
  std::vector<LocalCounts> local(static_cast<std::size_t>(n));
  common::ThreadPool::shared().run(n, [&](int ith, int) {
    const auto r = ranges[static_cast<std::size_t>(ith)];
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
  if (all.tokens == 0)
    throw common::InputError("the training input contains no words (only whitespace): nothing to train on");
  std::vector<std::pair<std::string, std::uint64_t>> entries;
  entries.reserve(all.table.size());
  for (std::size_t id = 0; id < all.table.size(); ++id) entries.emplace_back(std::string(all.table.word(id)), all.counts[id]);
  if (stats) stats->tokens = all.tokens;
  return finish(std::move(entries), all.eos, opt, stats, "the training input");
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
