#include "compare/line_embedder.h"

#include <cmath>

#include "common/errors.h"
#include "common/parallel.h"
#include "encoder/text_normalizer.h"

namespace cmp {

namespace {

SentenceEmbedderOptions without_sif_removal(SentenceEmbedderOptions o) {
  o.sif_remove_component = false;
  return o;
}

void add_stats(EmbedStats& to, const EmbedStats& s) {
  to.sentences += s.sentences, to.empty += s.empty, to.tokens += s.tokens, to.known += s.known;
  to.truncated += s.truncated;
}

}  // namespace

LineEmbedder::LineEmbedder(SentenceEmbedderOptions opt) : opt_(without_sif_removal(std::move(opt))), embedder_(opt_) {}

void LineEmbedder::choose_normalizer(const tok::NormalizerRequest& request) {
  if (embedder_.reads_raw_text()) {
    if (!request.given.empty())
      throw common::OptionError(request.given[0] + ": " + opt_.model + " reads raw text as BPE pieces (no normalisation)");
    normalizer_.reset();
  } else {
    normalizer_ = enc::sentence_normalizer(request, opt_.vectors, uses_encoder(opt_.method) ? opt_.model : "");
  }
  per_thread_.assign(static_cast<std::size_t>(std::max(1, opt_.threads)), tok::Normalizer(normalizer_.value_or(tok::NormalizerOptions{})));
}

void LineEmbedder::use_normalizer(const std::optional<std::string>& spec, const std::string& where) {
  if (spec.has_value() == embedder_.reads_raw_text())
    throw common::InputError(where + (spec ? " normalises its lines into words, but the model reads raw text (BPE)"
                                           : " holds raw lines (BPE), but the model reads normalised words"));
  if (spec) normalizer_ = tok::NormalizerOptions::from_spec(*spec, where);
  else normalizer_.reset();
  per_thread_.assign(static_cast<std::size_t>(std::max(1, opt_.threads)), tok::Normalizer(normalizer_.value_or(tok::NormalizerOptions{})));
}

std::optional<std::string> LineEmbedder::normalizer_spec() const {
  if (!normalizer_) return std::nullopt;
  return normalizer_->spec();
}

std::vector<std::vector<std::string>> LineEmbedder::tokens(const std::vector<std::string>& lines, std::size_t first_line,
                                                           const std::string& where) {
  if (per_thread_.empty()) throw common::InputError("LineEmbedder: no normaliser chosen");
  std::vector<std::vector<std::string>> out(lines.size());
  const int nth = static_cast<int>(per_thread_.size());
  common::ThreadPool::shared().run(nth, [&](int ith, int n) {
    const auto [begin, end] = common::split_range(lines.size(), ith, n);
    for (std::size_t i = begin; i < end; ++i) {
      try {
        out[i] = per_thread_[static_cast<std::size_t>(ith)].tokens(lines[i]);
      } catch (const tok::TextError& e) {
        throw e.at(where + ":" + std::to_string(first_line + i));
      }
    }
  });
  return out;
}

common::Matrix LineEmbedder::embed_words(const std::vector<std::vector<std::string>>& sentences, EmbedStats* stats) {
  // Adds to *stats. An encoder runs its own threads; averages are split over the lines.
  if (uses_encoder(opt_.method) || opt_.threads <= 1 || sentences.size() < 256) {
    EmbedStats st;
    auto m = embedder_.embed(sentences, &st);
    add_stats(*stats, st);
    return m;
  }
  const int nth = opt_.threads;
  std::vector<common::Matrix> parts(static_cast<std::size_t>(nth));
  std::vector<EmbedStats> part_stats(static_cast<std::size_t>(nth));
  common::ThreadPool::shared().run(nth, [&](int ith, int n) {
    const auto [begin, end] = common::split_range(sentences.size(), ith, n);
    const std::vector<std::vector<std::string>> mine(sentences.begin() + static_cast<std::ptrdiff_t>(begin),
                                                     sentences.begin() + static_cast<std::ptrdiff_t>(end));
    parts[static_cast<std::size_t>(ith)] = embedder_.embed(mine, &part_stats[static_cast<std::size_t>(ith)]);
  });
  common::Matrix out(sentences.size(), parts[0].cols());  // [S, d]
  std::size_t row = 0;
  for (std::size_t t = 0; t < parts.size(); ++t) {
    for (std::size_t i = 0; i < parts[t].rows(); ++i, ++row) std::copy(parts[t].row(i), parts[t].row(i) + out.ld(), out.row(row));
    add_stats(*stats, part_stats[t]);
  }
  return out;
}

common::Matrix LineEmbedder::embed(const std::vector<std::string>& lines, std::size_t first_line, const std::string& where,
                                   EmbedStats* stats) {
  EmbedStats local, st;
  EmbedStats& total = stats ? *stats : local;
  common::Matrix m;
  if (embedder_.reads_raw_text()) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      try {
        tok::check_text(lines[i]);
      } catch (const tok::TextError& e) {
        throw e.at(where + ":" + std::to_string(first_line + i));
      }
    }
    m = embedder_.embed_text(lines, &st);
    add_stats(total, st);
  } else {
    m = embed_words(tokens(lines, first_line, where), &total);
  }
  return m;
}

void normalize_rows(common::Matrix& x) {
  for (std::size_t i = 0; i < x.rows(); ++i) {
    float* r = x.row(i);
    double s = 0;
    for (std::size_t j = 0; j < x.cols(); ++j) s += static_cast<double>(r[j]) * r[j];
    if (s > 0) {
      const float inv = static_cast<float>(1.0 / std::sqrt(s));
      for (std::size_t j = 0; j < x.cols(); ++j) r[j] *= inv;
    }
  }
}

}  // namespace cmp
