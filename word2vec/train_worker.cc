#include "word2vec/train_worker.h"

#include <algorithm>
#include <string_view>

namespace w2v {

TrainWorker::TrainWorker(TrainShared& s, const common::CorpusFiles& corpus,
                         std::pair<std::uint64_t, std::uint64_t> range, const WorkerState& st,
                         const tok::BpeModel* tokenizer)
    : s_(s),
      reader_(tok::make_token_source(corpus, range.first, range.second, tokenizer, s.opt.normalizer_used())),
      kernel_(s.params, s.huffman, s.sampler, s.sigmoid, s.opt.negative),
      cache_(static_cast<std::size_t>(s.opt.cache_mib) * (std::size_t{1} << 20) / static_cast<std::size_t>(s.opt.threads)),
      st_(st),
      rng_(st.rng) {
  if (s.opt.update == Update::kBatch) {
    if (s.opt.cbow)
      cbow_batch_.emplace(s.params, *s.sampler, s.sigmoid, s.opt.negative);
    else
      batch_.emplace(s.params, s.huffman, s.sampler, s.sigmoid, s.opt.negative, hot_nodes(s.opt));
  }
  reader_->seek(st.position, st.skip);
  // Only a pass over the whole range can be replayed.
  if (st.position == reader_->begin() && st.skip == 0 && st.word_count == 0 && !st.done) record_if_replayed();
}

std::size_t TrainWorker::hot_nodes(const TrainOptions& opt) {
  // Private copies pay only where threads share the rows at the same time.
  if (opt.hs == 0 || opt.threads < 2 || opt.deterministic) return 0;
  return static_cast<std::size_t>(opt.private_nodes);
}

void TrainWorker::flush_shared() {
  if (batch_) batch_->flush_shared();
}

bool TrainWorker::step() {
  if (st_.done) return false;
  bool range_end = false;
  const int len = read_sentence(&range_end);
  train_sentence(len);
  if (range_end || st_.word_count - st_.last_word_count > kPublishEvery) publish();
  if (range_end) return next_epoch();
  return true;
}

std::int32_t TrainWorker::next_event() {
  if (cache_.replaying()) return cache_.next();
  std::string_view tok;
  for (;;) {
    const auto kind = reader_->next(&tok);
    std::int32_t event;
    if (kind == tok::TokenKind::kEnd) return IdCache::kEnd;
    if (kind == tok::TokenKind::kNewline) {
      event = IdCache::kNewline;
    } else if (kind == tok::TokenKind::kBreak) {
      event = IdCache::kBreak;
    } else {
      event = s_.vocab.find(tok);
      if (event < 0) continue;  // not in the vocabulary: skipped, not counted
    }
    cache_.record(event);
    return event;
  }
}

int TrainWorker::read_sentence(bool* range_end) {
  int len = 0;
  for (;;) {
    const std::int32_t id = next_event();
    if (id == IdCache::kEnd) {
      *range_end = true;
      return len;
    }
    if (id == IdCache::kNewline) {
      ++st_.word_count;  // </s> counts as a word, as in word2vec.c
      break;
    }
    if (id == IdCache::kBreak) {
      if (len > 0) break;
      continue;
    }
    ++st_.word_count;
    if (id == 0) break;
    if (!s_.subsampler.keep(id, rng_)) continue;
    sen_[len++] = id;
    if (len >= kMaxSentence) break;
  }
  // A sentence boundary: where a checkpoint taken now resumes reading.
  if (cache_.replaying())
    cache_.replay_boundary();
  else
    cache_.record_boundary(reader_->position(), reader_->skip());
  return len;
}

void TrainWorker::train_sentence(int len) {
  const int window = s_.opt.window;
  const float alpha = st_.alpha;
  const auto w = static_cast<std::uint32_t>(window);
  if (cbow_batch_) {
    cbow_batch_->sentence(sen_, len, window, alpha, rng_);
  } else if (s_.opt.cbow) {
    for (int pos = 0; pos < len; ++pos)
      kernel_.cbow(sen_, len, pos, window - static_cast<int>(rng_.below(w)), alpha, rng_);
  } else if (batch_) {
    for (int pos = 0; pos < len; ++pos)
      batch_->skipgram(sen_, len, pos, window - static_cast<int>(rng_.below(w)), alpha, rng_);
  } else {
    for (int pos = 0; pos < len; ++pos)
      kernel_.skipgram(sen_, len, pos, window - static_cast<int>(rng_.below(w)), alpha, rng_);
  }
}

bool TrainWorker::next_epoch() {
  ++st_.epoch;
  st_.word_count = st_.last_word_count = 0;
  if (st_.epoch >= static_cast<std::uint32_t>(s_.opt.iter)) {
    st_.done = true;
    return false;
  }
  cache_.finish_recording();
  if (cache_.complete()) {
    cache_.rewind();
  } else {
    reader_->seek(reader_->begin());
    record_if_replayed();
  }
  return true;
}

void TrainWorker::publish() {
  const std::uint64_t delta = st_.word_count - st_.last_word_count;
  st_.last_word_count = st_.word_count;
  s_.local_words.fetch_add(delta, std::memory_order_relaxed);
  const std::uint64_t scaled = delta * s_.words_scale;  // delta for a single process
  const std::uint64_t done = s_.words_done.fetch_add(scaled, std::memory_order_relaxed) + scaled;
  const float a = s_.alpha0 * (1.f - static_cast<float>(static_cast<double>(done) /
                                                        static_cast<double>(s_.words_total + 1)));
  st_.alpha = std::max(a, s_.alpha0 * 0.0001f);
  s_.alpha.store(st_.alpha, std::memory_order_relaxed);
  std::pair<double, std::uint64_t> loss = kernel_.take_loss();  // (sum, predictions)
  const auto add = [&loss](std::pair<double, std::uint64_t> t) {
    loss.first += t.first;
    loss.second += t.second;
  };
  std::uint64_t flops = kernel_.take_flops();
  if (batch_) {
    add(batch_->take_loss());
    flops += batch_->take_flops();
  }
  if (cbow_batch_) {
    add(cbow_batch_->take_loss());
    flops += cbow_batch_->take_flops();
  }
  std::lock_guard lock(s_.loss_mu);
  s_.loss_sum += loss.first;
  s_.loss_count += loss.second;
  s_.flops += flops;
}

void TrainWorker::record_if_replayed() {
  if (st_.epoch + 1 < static_cast<std::uint32_t>(s_.opt.iter)) cache_.start_recording();
}

WorkerState TrainWorker::state() const {
  WorkerState st = st_;
  st.position = cache_.replaying() ? cache_.position(reader_->begin()) : reader_->position();
  st.skip = cache_.replaying() ? cache_.skip() : reader_->skip();
  st.rng = rng_.state();
  return st;
}

}  // namespace w2v
