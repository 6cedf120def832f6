#include "compare/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "common/errors.h"
#include "common/line_reader.h"
#include "common/text_fields.h"
#include "compare/pca.h"
#include "compare/report_supervised.h"
#include "compare/svg_chart.h"
#include "encoder/model_vocab.h"

namespace cmp {

namespace {

std::string fmt(const nlohmann::ordered_json& v, int digits = 2) {
  if (v.is_null() || !v.is_number()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v.get<double>());
  return buf;
}

double num(const nlohmann::ordered_json& v) {
  return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

// One table + one grouped bar chart for a block of scores {row: {method: x}}.
cmp::ReportSection score_section(const std::string& title, const std::string& chart_file, const std::string& y_label,
                                    const std::string& first_column, const nlohmann::ordered_json& block,
                                    const std::vector<std::pair<std::string, std::string>>& methods, int digits = 2) {
  cmp::ReportSection s;
  s.title = title;
  cmp::ReportTable t;
  t.header.push_back(first_column);
  t.numeric.push_back(false);
  std::vector<std::string> names;
  for (const auto& m : methods) {
    t.header.push_back(m.second);
    t.numeric.push_back(true);
    names.push_back(m.second);
  }
  std::vector<cmp::BarGroup> groups;
  for (const auto& [row, scores] : block.items()) {
    std::vector<std::string> cells = {row};
    cmp::BarGroup g{row, {}};
    for (const auto& m : methods) {
      const auto it = scores.find(m.first);
      cells.push_back(it == scores.end() ? "-" : fmt(*it, digits));
      g.values.push_back(it == scores.end() ? std::numeric_limits<double>::quiet_NaN() : num(*it));
    }
    t.rows.push_back(cells);
    groups.push_back(g);
  }
  s.tables.push_back(t);
  s.images.push_back({chart_file, title + ": " + y_label, cmp::svg_bar_chart(title, y_label, names, groups)});
  return s;
}

cmp::ReportSection embedding_map(const StsVectors& sv) {
  cmp::ReportSection s;
  s.title = "Embedding map: STS sentences by genre";
  std::vector<std::string> genres;
  std::map<std::string, int> gid;
  for (const auto& g : sv.genre)
    if (gid.emplace(g, static_cast<int>(genres.size())).second) genres.push_back(g);
  // At most 200 sentences per genre (sentence 1 of each pair, file order).
  std::vector<std::size_t> pick;
  std::vector<int> group;
  std::vector<std::size_t> taken(genres.size(), 0);
  const std::size_t n = sv.genre.size() / 2;
  for (std::size_t i = 0; i < n; ++i) {
    const int g = gid[sv.genre[i]];
    // Sentences without a known word (a zero vector) are left out.
    const common::Matrix& v = sv.avg.rows() > i ? sv.avg : sv.encoder_mean;
    bool zero = true;
    for (std::size_t j = 0; j < v.cols() && zero; ++j) zero = v.row(i)[j] == 0.f;
    if (zero || taken[static_cast<std::size_t>(g)] >= 200) continue;
    ++taken[static_cast<std::size_t>(g)];
    pick.push_back(i);
    group.push_back(g);
  }
  s.paragraphs.push_back("Sentence 1 of up to 200 pairs per genre of `" + sv.file +
                         "`, projected on the first two principal components of each space. The agreement is the "
                         "fraction of sentences whose 10 nearest neighbours (cosine, in the full space) are mostly of "
                         "their own genre.");
  cmp::ReportTable t;
  t.header = {"vectors", "10-NN genre agreement"};
  t.numeric = {false, true};
  auto draw = [&](const common::Matrix& m, const std::string& name, const std::string& file) {
    common::Matrix x(pick.size(), m.cols());  // [P, d]
    for (std::size_t r = 0; r < pick.size(); ++r) std::copy(m.row(pick[r]), m.row(pick[r]) + m.cols(), x.row(r));
    // Unit rows: cosine geometry, as the benchmarks use.
    for (std::size_t r = 0; r < x.rows(); ++r) {
      double q = 0;
      for (std::size_t j = 0; j < x.cols(); ++j) q += static_cast<double>(x.row(r)[j]) * x.row(r)[j];
      if (q > 0)
        for (std::size_t j = 0; j < x.cols(); ++j) x.row(r)[j] = static_cast<float>(x.row(r)[j] / std::sqrt(q));
    }
    const auto xy = cmp::project_2d(x);
    std::vector<cmp::ScatterPoint> pts;
    for (std::size_t r = 0; r < pick.size(); ++r) pts.push_back({xy[r][0], xy[r][1], group[r], sv.text[pick[r]]});
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", knn_group_agreement(x, group, 10));
    t.rows.push_back({name, buf});
    s.images.push_back({file, name + " sentence vectors, PCA", cmp::svg_scatter(name, genres, pts)});
  };
  if (sv.avg.rows() == sv.genre.size()) draw(sv.avg, "avg (Word2Vec)", "map_avg.svg");
  if (sv.encoder_mean.rows() == sv.genre.size()) draw(sv.encoder_mean, "encoder-mean", "map_encoder.svg");
  s.tables.push_back(t);
  return s;
}

// Word sense induction: the files' scores (table and chart), how they were
// obtained, and every word's ARI and number of clusters.
cmp::ReportSection wsi_section(const nlohmann::ordered_json& wsi, std::size_t window, bool has_model) {
  const std::string w = std::to_string(window);
  auto s = score_section("Word sense induction", "chart_wsi.svg", "adjusted Rand index", "file", wsi,
                         {{"static", "static"}, {"static_window", "static ±" + w}, {"encoder", "encoder"}}, 3);
  s.paragraphs.push_back(
      "Adjusted Rand index of the induced senses against the gold senses, averaged over the words weighted by their "
      "number of contexts. Each word's context vectors are clustered by average-linkage agglomerative clustering on "
      "cosine distance; the number of clusters k is the one of 2..min(10, n-1) with the highest mean silhouette, or 1 if "
      "none is positive. static: the word's own vector, the same in every context, hence one cluster and ARI 0 by "
      "construction; static ±" + w + ": mean of the word vectors within " + w + " words of the target; encoder: the "
      "target's contextual vector. A context without a vector (unknown word, no known word in the window) is a cluster "
      "of its own." + std::string(has_model ? "" : " No encoder given: no encoder row."));
  cmp::ReportTable t;
  t.header = {"file", "word", "contexts", "gold senses", "static", "static ±" + w, "encoder", "clusters (static / ±" + w + " / encoder)"};
  t.numeric = {false, false, true, true, true, true, true, false};
  for (const auto& [file, r] : wsi.items())
    for (const auto& [word, x] : r["per_word"].items()) {
      const auto& k = x["clusters"];
      t.rows.push_back({file, word, x["contexts"].dump(), x["gold_senses"].dump(), fmt(x["static"], 3),
                        fmt(x["static_window"], 3), fmt(x["encoder"], 3),
                        k["static"].dump() + " / " + k["static_window"].dump() + " / " + (k["encoder"].is_null() ? "-" : k["encoder"].dump())});
    }
  s.tables.push_back(t);
  cmp::ReportTable c;
  c.header = {"file", "words", "contexts", "unknown (static / ±" + w + " / encoder)", "skipped contexts", "skipped words"};
  c.numeric = {false, true, true, false, true, true};
  for (const auto& [file, r] : wsi.items()) {
    const auto& u = r["unknown"];
    c.rows.push_back({file, r["words"].dump(), r["contexts"].dump(),
                      u["static"].dump() + " / " + u["static_window"].dump() + " / " + (u["encoder"].is_null() ? "-" : u["encoder"].dump()),
                      r["skipped_contexts"].dump(), r["skipped_words"].dump()});
  }
  s.paragraphs.push_back("Skipped contexts: the normaliser gives no token at the target. Skipped words: fewer than two "
                         "contexts left. Unknown: contexts without a vector (static, static window; clustered alone) or "
                         "whose target is [UNK] to the encoder (still clustered by its contextual vector).");
  s.tables.push_back(c);
  return s;
}

}  // namespace

double knn_group_agreement(const common::Matrix& v, const std::vector<int>& group, std::size_t k) {
  const std::size_t n = v.rows();
  if (n < 2) return 0;
  k = std::min(k, n - 1);
  std::size_t good = 0;
  std::vector<std::pair<double, std::size_t>> sims(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t c = 0; c < v.cols(); ++c) s += static_cast<double>(v.row(i)[c]) * v.row(j)[c];
      sims[j] = {j == i ? -std::numeric_limits<double>::infinity() : s, j};
    }
    std::partial_sort(sims.begin(), sims.begin() + static_cast<std::ptrdiff_t>(k), sims.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    std::size_t same = 0;
    for (std::size_t r = 0; r < k; ++r) same += group[sims[r].second] == group[i] ? 1 : 0;
    good += 2 * same > k ? 1 : 0;
  }
  return static_cast<double>(good) / static_cast<double>(n);
}

std::vector<cmp::ReportImage> training_curves(const std::string& csv_path) {
  common::LineReader in(csv_path, "the training log");
  std::string line;
  in.next(line);
  const auto header = common::split_fields(line, ',');
  auto col = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? SIZE_MAX : static_cast<std::size_t>(it - header.begin());
  };
  const std::size_t c_step = col("step"), c_loss = col("loss"), c_vloss = col("valid_loss"), c_vacc = col("valid_acc");
  if (c_step == SIZE_MAX) throw common::FormatError(csv_path + ": no 'step' column (not a wordlens encoder train log)");
  cmp::LineSeries loss{"train loss", {}, {}}, vloss{"held-out loss", {}, {}}, vacc{"held-out masked accuracy", {}, {}};
  auto value = [](const std::vector<std::string>& f, std::size_t c) {
    if (c >= f.size() || f[c].empty()) return std::numeric_limits<double>::quiet_NaN();
    try {
      return std::stod(f[c]);
    } catch (const std::exception&) {
      return std::numeric_limits<double>::quiet_NaN();
    }
  };
  while (in.next(line)) {
    const auto f = common::split_fields(line, ',');
    const double step = value(f, c_step);
    if (!std::isfinite(step)) continue;
    if (std::isfinite(value(f, c_loss))) loss.x.push_back(step), loss.y.push_back(value(f, c_loss));
    if (std::isfinite(value(f, c_vloss))) vloss.x.push_back(step), vloss.y.push_back(value(f, c_vloss));
    if (std::isfinite(value(f, c_vacc))) vacc.x.push_back(step), vacc.y.push_back(value(f, c_vacc));
  }
  std::vector<cmp::ReportImage> out;
  out.push_back({"training_loss.svg", "Training and held-out loss (log scale) against the optimiser step",
                 cmp::svg_line_chart("Encoder training loss", "step", "loss", {loss, vloss}, true)});
  if (!vacc.x.empty())
    out.push_back({"training_accuracy.svg", "Held-out accuracy of the training objective",
                   cmp::svg_line_chart("Held-out accuracy", "step", "accuracy", {vacc}, false)});
  return out;
}

cmp::Report build_compare_report(const CompareReportInput& in) {
  cmp::Report r;
  r.title = "wordlens compare: averaged Word2Vec vectors vs contextual encoder vectors";
  const CompareOptions& o = *in.options;
  if (o.vectors.empty())
    r.intro.push_back("No word vectors given (--vectors): the static rows (avg, sif, static, static window) are skipped.");
  else
    r.intro.push_back("Vectors: `" + o.vectors + "` (" + std::to_string(in.vocab_size) + " words, " +
                      std::to_string(in.dim) + " dimensions)." +
                      (o.vocab.empty() ? std::string(" No word counts given, so no SIF.") : " Word counts for SIF: `" + o.vocab + "`."));
  const bool bpe = in.model && enc::trained_on_bpe(*in.model);
  if (in.model) {
    const auto& c = in.model->config();
    std::string m = "Encoder: `" + o.model + "`: d_model " + std::to_string(c.d_model) + ", " +
                    std::to_string(c.n_layers) + " layers, " + std::to_string(c.n_heads) + " heads, feed-forward " +
                    std::to_string(c.d_ff) + ", max_len " + std::to_string(c.max_len) + ", " +
                    (c.norm_first ? "pre-norm" : "post-norm") + ", " + std::string(enc::to_string(c.activation)) + ".";
    const auto& meta = in.model->extra_metadata();
    if (auto it = meta.find("objective"); it != meta.end()) m += " Last objective: " + it->second + ".";
    if (auto it = meta.find("init"); it != meta.end()) m += " Embeddings initialised from: " + it->second + ".";
    if (auto it = meta.find("finetuned"); it != meta.end())
      m += " Fine-tuned: " + it->second + " (supervised: its encoder rows are labelled fine-tuned).";
    r.intro.push_back(m);
  } else {
    r.intro.push_back("No encoder given (--model): only the static-vector methods are scored.");
  }
  r.intro.push_back(std::string(bpe ? "The encoder reads the raw text as byte-level BPE tokens (the model stored in its weights); "
                                      "the word vectors read it normalised (lowercase, tokens [a-z0-9]+('[a-z]+)?). "
                                    : "Every method uses the same vocabulary and the corpus normalisation (lowercase, tokens "
                                      "[a-z0-9]+('[a-z]+)?). ") +
                    "avg = mean of the word vectors; sif = Arora et al.'s weighted mean with the first principal component "
                    "removed (sif-weighted: not removed); encoder-mean / encoder-cls = the encoder's " +
                    (o.layer.kind == enc::LayerChoice::Kind::kFinal
                         ? std::string("final hidden states")
                         : o.layer.kind == enc::LayerChoice::Kind::kAllMean
                               ? std::string("hidden states averaged over the layers (each through the final LayerNorm)")
                               : "hidden states after layer " + enc::to_string(o.layer) + " (through the final LayerNorm)") +
                    " averaged / at [CLS]; encoder-mean-no-cls = averaged without [CLS]; encoder-sif = sif's weights "
                    "on those states, the first component removed (encoder-sif-weighted: not removed).");
  const std::vector<std::pair<std::string, std::string>>& sent = kSentenceRows;
  if (in.scores.contains("sts")) {
    auto s = score_section("STS-Benchmark", "chart_sts.svg", "Spearman x100", "file", in.scores["sts"], sent);
    s.paragraphs.push_back("Spearman correlation x100 of the cosine of the two sentence vectors with the gold similarity.");
    r.sections.push_back(s);
  }
  if (in.scores.contains("wic")) {
    auto s = score_section("Word-in-Context", "chart_wic.svg", "accuracy %", "split", in.scores["wic"],
                           {{"static", "static"}, {"static_window", "static ±" + std::to_string(o.wic_window)}, {"encoder", "encoder"}});
    s.paragraphs.push_back("Accuracy of \"same sense iff cosine >= t\", t chosen on the train split. static: the target's own "
                           "vector, identical in both sentences (the 50% sanity row); static ±" + std::to_string(o.wic_window) +
                           ": mean of the word vectors within " + std::to_string(o.wic_window) +
                           " words of the target; encoder: the target's contextual vector.");
    cmp::ReportTable t;
    t.header = {"method", "threshold", "train accuracy %"};
    t.numeric = {false, true, true};
    for (const auto& [m, v] : in.wic_thresholds.items()) t.rows.push_back({m, fmt(v["threshold"], 4), fmt(v["train_accuracy"])});
    s.tables.push_back(t);
    r.sections.push_back(s);
  }
  if (in.scores.contains("lee")) {
    nlohmann::ordered_json block;
    block["lee"] = in.scores["lee"];
    auto s = score_section("Lee document similarity", "chart_lee.svg", "Pearson x100", "benchmark", block, sent);
    s.paragraphs.push_back("Pearson correlation x100 of the pairwise cosines of the 50 documents with the mean human "
                           "similarity (1225 pairs). Documents longer than the encoder's max_len are encoded in pieces.");
    r.sections.push_back(s);
  }
  if (in.scores.contains("wsi")) r.sections.push_back(wsi_section(in.scores["wsi"], o.wsi_window, in.model != nullptr));
  for (auto& s : supervised_sections(in.scores, o.wic_window)) r.sections.push_back(std::move(s));
  if (!in.training_log.empty()) {
    cmp::ReportSection s;
    s.title = "Encoder training";
    s.paragraphs.push_back("From the training log `" + in.training_log + "`.");
    s.images = training_curves(in.training_log);
    r.sections.push_back(s);
  }
  if (in.sts_vectors) r.sections.push_back(embedding_map(*in.sts_vectors));
  for (const auto& s : in.extra) r.sections.push_back(s);
  return r;
}

}  // namespace cmp
