#include "compare/report_views.h"

#include <cstdio>

#include "common/errors.h"
#include "compare/svg_chart.h"
#include "compare/inspect.h"

namespace cmp {

namespace {

std::string two_decimals(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// The example's words, cut to what the encoder takes in one sequence.
std::vector<std::string> example_words(cmp::Comparison& study, const std::string& example) {
  const enc::Encoder& model = *study.model();
  auto words = study.normalizer().tokens(example);
  if (words.size() + 1 > model.config().max_len) words.resize(model.config().max_len - 1);
  if (words.empty()) throw common::OptionError("--example has no word left after normalisation");
  return words;
}

cmp::ReportSection attention_section(cmp::Comparison& study, const std::string& example) {
  const auto maps = cmp::attention_maps(*study.model(), study.encoder_vocab(), example_words(study, example));
  const auto& labels = maps.tokens.display;
  const std::size_t t = maps.seq;
  cmp::ReportSection s;
  s.title = "Attention maps";
  s.paragraphs.push_back("The attention weights of every head for \"" + example +
                         "\" (rows: the attending token, columns: the attended token). `wordlens attention` draws "
                         "the same maps for any sentence.");
  s.images = attention_heatmaps(maps);
  std::string summary = "Where each token attends most (query -> key weight):\n";
  for (std::size_t l = 0; l < maps.layers; ++l)
    for (std::size_t h = 0; h < maps.heads; ++h) {
      summary += "L" + std::to_string(l) + " H" + std::to_string(h) + ':';
      const auto top = cmp::top_attended(maps.map(l, h), t);
      for (std::size_t q = 0; q < t; ++q)
        summary += "  " + labels[q] + "->" + labels[top[q].key] + ' ' + two_decimals(top[q].weight);
      summary += "\n";
    }
  s.preformatted.push_back(summary);
  return s;
}

// The same word in two sentences: one static neighbour list, two contextual ones.
cmp::ReportSection context_section(cmp::Comparison& study) {
  struct Example {
    const char* word;
    const char* a;
    const char* b;
  };
  const Example kExamples[] = {
      {"bank", "he sat on the bank of the river and watched the water", "she took the money out of her account at the bank"},
      {"play", "the children play football in the park after school", "we saw a new play at the theatre last night"},
      {"light", "turn off the light before you go to sleep", "the box was light enough for a child to carry"},
  };
  cmp::ReportSection s;
  s.title = "Static vs contextual neighbours";
  s.paragraphs.push_back("The nearest vocabulary words of a word's Word2Vec vector (static: the same in every sentence) and "
                         "of the encoder's hidden state for that word in two sentences (contextual, against the encoder's "
                         "input embedding). `wordlens context` prints these lists for any sentence.");
  const auto& e = study.embeddings();
  for (const auto& ex : kExamples) {
    const auto wa = study.normalizer().tokens(ex.a), wb = study.normalizer().tokens(ex.b);
    if (study.encoder_vocab().index.find(ex.word) < 0) continue;  // not in this vocabulary
    if (wa.size() + 1 > study.model()->config().max_len || wb.size() + 1 > study.model()->config().max_len) continue;
    const auto na = cmp::context_neighbours(*study.model(), study.encoder_vocab(), e, wa, ex.word, 8);
    const auto nb = cmp::context_neighbours(*study.model(), study.encoder_vocab(), e, wb, ex.word, 8);
    cmp::ReportTable t;
    std::string head = "static \"";
    head += ex.word;
    head += '"';
    std::string in_a = "in: ", in_b = "in: ";
    in_a += ex.a;
    in_b += ex.b;
    t.header = {"#", head, in_a, in_b};
    t.numeric = {true, false, false, false};
    auto cell = [&](const std::vector<common::Hit>& hits, std::size_t i) {
      if (i >= hits.size()) return std::string();
      std::string c = e.words[static_cast<std::size_t>(hits[i].id)];
      c += ' ';
      c += two_decimals(hits[i].score);
      return c;
    };
    for (std::size_t i = 0; i < 8; ++i)
      t.rows.push_back({std::to_string(i + 1), cell(na.static_hits, i), cell(na.contextual_hits, i), cell(nb.contextual_hits, i)});
    s.tables.push_back(t);
  }
  if (s.tables.empty()) s.paragraphs.push_back("(None of the example words is in this vocabulary.)");
  return s;
}

cmp::ReportSection ffn_section(cmp::Comparison& study, const std::string& example) {
  enc::Encoder& model = *study.model();
  const std::size_t layer = model.config().n_layers - 1;
  const auto reading = cmp::top_ffn_neurons(model, study.encoder_vocab(), example_words(study, example), layer, 6,
                                            cmp::NeuronScore::kSum);
  cmp::ReportSection s;
  s.title = "Feed-forward memories";
  s.paragraphs.push_back("The feed-forward block of the last layer (" + std::to_string(layer) +
                         ") read as a key-value memory: the neurons with the largest activation summed over \"" + example +
                         "\", the word where each fires most, and the vocabulary words whose input embeddings are "
                         "closest to what the neuron writes back (its column of linear2.weight). `wordlens ffn` does "
                         "this for any sentence and layer.");
  cmp::ReportTable t;
  t.header = {"neuron", "sum", "fires most on", "writes towards"};
  t.numeric = {true, true, false, false};
  for (const auto& n : reading.neurons) {
    std::string words;
    for (const auto& h : cmp::ffn_value_neighbours(model, study.encoder_vocab(), layer, n.neuron, 8)) {
      if (!words.empty()) words += ", ";
      words += study.embeddings().words[static_cast<std::size_t>(h.id)];
    }
    t.rows.push_back({std::to_string(n.neuron), two_decimals(n.score), reading.tokens.display[n.peak], words});
  }
  s.tables.push_back(t);
  return s;
}

}  // namespace

std::vector<ReportImage> attention_heatmaps(const AttentionMaps& maps, long long layer, long long head) {
  const auto& labels = maps.tokens.display;
  const std::size_t t = maps.seq;
  std::vector<ReportImage> images;
  for (std::size_t l = 0; l < maps.layers; ++l) {
    if (layer >= 0 && l != static_cast<std::size_t>(layer)) continue;
    for (std::size_t h = 0; h < maps.heads; ++h) {
      if (head >= 0 && h != static_cast<std::size_t>(head)) continue;
      const float* m = maps.map(l, h);  // [T, T]
      const std::string title = "layer " + std::to_string(l) + ", head " + std::to_string(h);
      images.push_back({"attention_L" + std::to_string(l) + "_H" + std::to_string(h) + ".svg", title,
                        cmp::svg_heatmap(title + " (rows: queries, columns: keys)", labels, labels,
                                         std::vector<float>(m, m + t * t), 0.0, 1.0)});
    }
  }
  return images;
}

std::vector<cmp::ReportSection> inspection_sections(cmp::Comparison& study, const std::string& example) {
  return {attention_section(study, example), context_section(study), ffn_section(study, example)};
}

}  // namespace cmp
