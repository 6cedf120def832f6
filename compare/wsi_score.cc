#include "compare/wsi_score.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "common/text_format.h"
#include "common/stats.h"
#include "compare/context_window.h"
#include "compare/sense_clusters.h"
#include "encoder/pooling.h"

namespace cmp {

WsiPrepared prepare_wsi(const WsiData& data, const TextTokenizer& tokenize) {
  WsiPrepared p;
  p.name = std::filesystem::path(data.path).filename().string();
  // Locate every target; group the located contexts by word (first appearance order).
  std::map<std::string, std::size_t> word_id;
  std::vector<std::string> words;
  std::vector<std::vector<std::size_t>> located;  // per word: indices into data.contexts
  std::vector<std::vector<TextToken>> toks(data.contexts.size());
  std::vector<std::size_t> at(data.contexts.size(), SIZE_MAX);
  for (std::size_t i = 0; i < data.contexts.size(); ++i) {
    const WsiContext& c = data.contexts[i];
    auto [it, fresh] = word_id.emplace(c.word, words.size());
    if (fresh) words.push_back(c.word), located.emplace_back();
    toks[i] = tokenize(c.context);
    at[i] = target_token(toks[i], c.begin, c.end);
    if (at[i] == SIZE_MAX) {
      ++p.untokenised;
      continue;
    }
    located[it->second].push_back(i);
  }
  for (std::size_t w = 0; w < words.size(); ++w) {
    if (located[w].size() < 2) {
      ++p.single;
      continue;
    }
    if (located[w].size() > kMaxWsiWordContexts)
      throw common::InputError(data.path + ": the word '" + words[w] + "' has " + std::to_string(located[w].size()) +
                               " contexts; at most " + std::to_string(kMaxWsiWordContexts) + " per word are clustered");
    const auto lemma = tokenize(words[w]);
    p.words.push_back(words[w]);
    p.lemma.push_back(lemma.empty() ? std::string() : lemma[0].text);
    p.members.emplace_back();
    for (std::size_t i : located[w]) {
      p.members.back().push_back(p.tokens.size());
      std::vector<std::string> t;
      t.reserve(toks[i].size());
      for (auto& x : toks[i]) t.push_back(std::move(x.text));
      p.tokens.push_back(std::move(t));
      p.target.push_back(at[i]);
      p.gold.push_back(data.contexts[i].gold);
    }
  }
  if (p.words.empty()) {
    std::string why = p.untokenised == data.contexts.size()
                          ? "the normaliser gives no token at the target of any of its " + std::to_string(p.untokenised) +
                                " contexts (is the text in a script the normaliser keeps?)"
                          : "no word has two contexts or more whose target the normaliser keeps (" +
                                std::to_string(p.untokenised) + " of " + std::to_string(data.contexts.size()) +
                                " contexts dropped)";
    throw common::InputError(data.path + ": nothing to score: " + why);
  }
  if (p.untokenised > 0)
    spdlog::warn("{}: {} of {} skipped: the normaliser gives no token at the target", p.name, p.untokenised,
                 common::plural(data.contexts.size(), "context", "contexts"));
  if (p.single > 0)
    spdlog::warn("{}: {} skipped: fewer than two contexts to cluster", p.name, common::plural(p.single, "word", "words"));
  return p;
}

namespace {

// Subtracts the mean of the non-zero rows of x [n, d] from them: the one
// direction every context vector of a word shares (its own embedding, for
// the encoder) says nothing about its senses and drowns the differences in
// cosine distance (as SIF removes the common component). Not done when a
// row would vanish (e.g. static: all rows equal) — zero rows are "no vector".
void center_rows(common::Matrix& x) {
  const std::size_t n = x.rows(), d = x.cols();
  std::vector<double> mean(d, 0.0);
  std::vector<bool> nonzero(n, false);
  std::size_t m = 0;
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t j = 0; j < d; ++j) nonzero[r] = nonzero[r] || x.row(r)[j] != 0.f;
    if (!nonzero[r]) continue;
    ++m;
    for (std::size_t j = 0; j < d; ++j) mean[j] += x.row(r)[j];
  }
  if (m < 2) return;
  for (auto& v : mean) v /= static_cast<double>(m);
  for (std::size_t r = 0; r < n; ++r) {
    if (!nonzero[r]) continue;
    double before = 0, after = 0;
    for (std::size_t j = 0; j < d; ++j) {
      const double v = x.row(r)[j];
      before += v * v, after += (v - mean[j]) * (v - mean[j]);
    }
    if (after <= 1e-12 * before) return;  // a row would vanish: leave the word as it is
  }
  for (std::size_t r = 0; r < n; ++r)
    if (nonzero[r])
      for (std::size_t j = 0; j < d; ++j) x.row(r)[j] = static_cast<float>(x.row(r)[j] - mean[j]);
}

}  // namespace

WsiMethodScore score_wsi_method(const WsiPrepared& p, const common::Matrix& v, std::size_t max_k) {
  WsiMethodScore s;
  double weighted = 0;
  for (const auto& members : p.members) {
    common::Matrix x(members.size(), v.cols());  // this word's rows [n, d]
    std::vector<std::int64_t> gold;
    for (std::size_t r = 0; r < members.size(); ++r) {
      std::copy(v.row(members[r]), v.row(members[r]) + v.cols(), x.row(r));
      gold.push_back(p.gold[members[r]]);
    }
    center_rows(x);
    const SenseClusters c = cluster_senses(x, max_k);
    const double ari = common::adjusted_rand_index(gold, c.labels);
    s.word_ari.push_back(ari);
    s.word_k.push_back(c.k);
    s.no_vector += members.size() - std::count_if(c.labels.begin(), c.labels.end(), [&](std::int64_t l) {
                     return l < static_cast<std::int64_t>(c.k);
                   });
    weighted += ari * static_cast<double>(members.size());
  }
  s.ari = weighted / static_cast<double>(p.contexts());
  return s;
}

nlohmann::ordered_json score_wsi(const WsiPrepared& p, const w2v::SentenceVectors& sv, enc::Encoder* model,
                                 const enc::EncoderVocab& vocab, std::size_t window, std::size_t batch) {
  // static: the word's own vector in each of its contexts.
  std::vector<std::vector<std::string>> lemma(p.contexts());
  for (std::size_t w = 0; w < p.words.size(); ++w)
    for (std::size_t i : p.members[w]) lemma[i] = {p.lemma[w]};
  std::vector<WsiMethodScore> scores;
  scores.push_back(score_wsi_method(p, sv.average(lemma, nullptr)));
  scores.push_back(score_wsi_method(p, sv.average(context_windows(p.tokens, p.target, window), nullptr)));
  std::size_t enc_unknown = 0;
  if (model) {
    scores.push_back(score_wsi_method(p, enc::encode_tokens(*model, vocab, p.tokens, p.target, batch)));
    for (std::size_t i = 0; i < p.contexts(); ++i) enc_unknown += vocab.index.find(p.tokens[i][p.target[i]]) < 0 ? 1 : 0;
  }
  const std::vector<std::string> methods = {"static", "static_window", "encoder"};
  auto value = [&](std::size_t m, double x) { return m < scores.size() ? nlohmann::ordered_json(x) : nlohmann::ordered_json(); };
  nlohmann::ordered_json out;
  for (std::size_t m = 0; m < methods.size(); ++m) out[methods[m]] = value(m, m < scores.size() ? scores[m].ari : 0);
  out["words"] = p.words.size();
  out["contexts"] = p.contexts();
  out["unknown"] = {{"static", scores[0].no_vector}, {"static_window", scores[1].no_vector},
                    {"encoder", model ? nlohmann::ordered_json(enc_unknown) : nlohmann::ordered_json()}};
  out["skipped_contexts"] = p.untokenised;
  out["skipped_words"] = p.single;
  nlohmann::ordered_json per_word = nlohmann::ordered_json::object();
  for (std::size_t w = 0; w < p.words.size(); ++w) {
    std::set<std::int64_t> senses;
    for (std::size_t i : p.members[w]) senses.insert(p.gold[i]);
    nlohmann::ordered_json row, clusters;
    row["contexts"] = p.members[w].size();
    row["gold_senses"] = senses.size();
    for (std::size_t m = 0; m < methods.size(); ++m) {
      row[methods[m]] = value(m, m < scores.size() ? scores[m].word_ari[w] : 0);
      clusters[methods[m]] = m < scores.size() ? nlohmann::ordered_json(scores[m].word_k[w]) : nlohmann::ordered_json();
    }
    row["clusters"] = clusters;
    per_word[p.words[w]] = row;
  }
  out["per_word"] = per_word;
  if (model)
    spdlog::info("WSI {}: {} words, {} contexts; ARI static {:.4f}, static_window {:.4f}, encoder {:.4f}", p.name,
                 p.words.size(), p.contexts(), scores[0].ari, scores[1].ari, scores[2].ari);
  else
    spdlog::info("WSI {}: {} words, {} contexts; ARI static {:.4f}, static_window {:.4f} (no encoder)", p.name,
                 p.words.size(), p.contexts(), scores[0].ari, scores[1].ari);
  return out;
}

}  // namespace cmp
