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

// True if the sentence fits in one sequence of the encoder.
bool fits(cmp::Comparison& study, const std::string& sentence) {
  const enc::EncoderVocab& v = study.encoder_vocab();
  const std::size_t tokens = v.is_bpe() ? tok::encode_sentence(*v.bpe, sentence).ids.size() : study.normalizer().tokens(sentence).size();
  return tokens + 1 <= study.model()->config().max_len;
}

cmp::ReportSection attention_section(cmp::Comparison& study, const std::string& example) {
  const auto maps = cmp::attention_maps(*study.model(), example_tokens(study, example));
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
  const enc::EncoderVocab& vocab = study.encoder_vocab();
  s.paragraphs.push_back(vocab.is_bpe()
                             ? "The nearest whole-word BPE tokens of a word's input embedding (static: the mean of its "
                               "pieces' rows of embedding.weight, the same in every sentence) and of the encoder's hidden "
                               "states for it in two sentences (contextual: the mean over its pieces). `wordlens context` "
                               "prints these lists for any sentence."
                             : "The nearest vocabulary words of a word's Word2Vec vector (static: the same in every sentence) "
                               "and of the encoder's hidden state for that word in two sentences (contextual, against the "
                               "encoder's input embedding). `wordlens context` prints these lists for any sentence.");
  for (const auto& ex : kExamples) {
    if (!vocab.is_bpe() && vocab.index.find(ex.word) < 0) continue;  // not in this vocabulary
    if (!fits(study, ex.a) || !fits(study, ex.b)) continue;
    auto neighbours = [&](const char* sentence) {
      if (vocab.is_bpe())
        return cmp::context_neighbours_bpe(*study.model(), vocab, cmp::inspect_text(*study.model(), vocab, sentence, study.normalizer()), ex.word, 8);
      return cmp::context_neighbours(*study.model(), vocab, study.embeddings(), study.normalizer().tokens(sentence), ex.word, 8);
    };
    const auto na = neighbours(ex.a), nb = neighbours(ex.b);
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
      std::string c = vocab.display(hits[i].id);
      c += ' ';
      c += two_decimals(hits[i].score);
      return c;
    };
    for (std::size_t i = 0; i < 8; ++i)
      t.rows.push_back({std::to_string(i + 1), cell(na.static_hits, i), cell(na.contextual_hits, i), cell(nb.contextual_hits, i)});
    s.tables.push_back(t);
  }
  if (s.tables.empty())
    s.paragraphs.push_back(vocab.is_bpe() ? "(None of the example sentences fits in one sequence of this encoder, max_len " +
                                                std::to_string(study.model()->config().max_len) + ".)"
                                          : std::string("(None of the example words is in this vocabulary.)"));
  return s;
}

cmp::ReportSection ffn_section(cmp::Comparison& study, const std::string& example) {
  enc::Encoder& model = *study.model();
  const std::size_t layer = model.config().n_layers - 1;
  const auto reading = cmp::top_ffn_neurons(model, example_tokens(study, example), layer, 6, cmp::NeuronScore::kSum);
  cmp::ReportSection s;
  s.title = "Feed-forward memories";
  s.paragraphs.push_back("The feed-forward block of the last layer (" + std::to_string(layer) +
                         ") read as a key-value memory: the neurons with the largest activation summed over \"" + example +
                         "\", the token where each fires most, and the vocabulary tokens whose input embeddings are "
                         "closest to what the neuron writes back (its column of linear2.weight). `wordlens ffn` does "
                         "this for any sentence and layer.");
  cmp::ReportTable t;
  t.header = {"neuron", "sum", "fires most on", "writes towards"};
  t.numeric = {true, true, false, false};
  for (const auto& n : reading.neurons) {
    std::string words;
    for (const auto& h : cmp::ffn_value_neighbours(model, study.encoder_vocab(), layer, n.neuron, 8)) {
      if (!words.empty()) words += ", ";
      words += study.encoder_vocab().display(h.id);
    }
    t.rows.push_back({std::to_string(n.neuron), two_decimals(n.score), reading.tokens.display[n.peak], words});
  }
  s.tables.push_back(t);
  return s;
}

}  // namespace

InspectedTokens example_tokens(Comparison& study, const std::string& example) {
  if (!study.has_model()) throw common::OptionError("--example needs an encoder (--model)");
  const enc::EncoderVocab& v = study.encoder_vocab();
  if (!v.is_bpe() && study.normalizer().tokens(example).empty())
    throw common::OptionError("--example has no word left after normalisation");
  if (v.is_bpe() && tok::encode_sentence(*v.bpe, example).ids.empty()) throw common::OptionError("--example is blank");
  return inspect_text(*study.model(), v, example, study.normalizer(), true);
}

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
