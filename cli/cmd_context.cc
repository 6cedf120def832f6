// wordlens context: static vs contextual neighbours of a word in one or
// more sentences, at the final layer or after any layer.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/inspect_args.h"
#include "cli/normalizer_options.h"
#include "common/display_width.h"
#include "common/errors.h"
#include "compare/inspect.h"

namespace po = boost::program_options;

namespace cli {

namespace {

// One sentence at one layer: what the word's contextual vector is near.
struct Column {
  std::size_t sentence = 0;  // 0-based
  std::size_t layer = 0;
  std::vector<std::string> tokens;  // [CLS] first
  cmp::ContextNeighbours nb;
};

// The word and where it is: "'bank' at position 5" (BPE: "at positions 4-5").
std::string word_place(const std::string& word, const cmp::ContextNeighbours& nb) {
  std::string s = "'" + word + "' at position";
  s += nb.pieces > 1 ? "s " : " ";
  s += std::to_string(nb.position + 1);
  if (nb.pieces > 1) s += "-" + std::to_string(nb.position + nb.pieces);
  return s;
}

struct ContextOptions {
  std::vector<std::string> sentences, positional;
  std::string word, layer;
  std::size_t top = 10;
  bool json = false;
  // Sentences and WORD from --sentence, --word and the positional
  // arguments; OptionError when they do not add up.
  void resolve();
};

void ContextOptions::resolve() {
  if (word.empty()) {
    if (positional.empty()) throw common::OptionError("give the sentence(s) and then the WORD to look at");
    word = positional.back();
    positional.pop_back();
  }
  sentences.insert(sentences.end(), positional.begin(), positional.end());
  if (sentences.empty()) throw common::OptionError("give the sentence(s) and then the WORD to look at");
  if (top < 1) throw common::OptionError("--top must be at least 1");
}

// --layer: empty (the final hidden states), a layer number, or "all".
std::vector<std::size_t> chosen_layers(const std::string& layer, std::size_t n_layers) {
  if (layer.empty()) return {n_layers - 1};
  std::vector<std::size_t> all;
  if (layer == "all") {
    for (std::size_t l = 0; l < n_layers; ++l) all.push_back(l);
    return all;
  }
  std::size_t used = 0;
  long long v = -2;
  try {
    v = std::stoll(layer, &used);
  } catch (const std::exception&) {
  }
  if (used != layer.size() || v < 0) throw common::OptionError("--layer must be a layer number or 'all' (got '" + layer + "')");
  check_index(v, n_layers, "--layer", "layers");
  return {static_cast<std::size_t>(v)};
}

nlohmann::ordered_json hits_json(const Loaded& l, const std::vector<common::Hit>& hits) {
  auto a = nlohmann::ordered_json::array();
  for (const auto& h : hits) a.push_back({{"word", l.vocab.display(h.id)}, {"cosine", h.score}});
  return a;
}

void print_json(const Loaded& l, const ContextOptions& o, const std::vector<Column>& cols) {
  nlohmann::ordered_json out;
  out["word"] = o.word;
  out["static"] = hits_json(l, cols[0].nb.static_hits);
  auto ctx = nlohmann::ordered_json::array();
  for (const auto& c : cols) {
    nlohmann::ordered_json e{{"sentence", c.sentence + 1}, {"layer", c.layer}, {"tokens", c.tokens},
                             {"position", c.nb.position + 1}};  // in the [CLS]-first sequence
    if (l.vocab.is_bpe()) e["pieces"] = c.nb.pieces;
    e["neighbours"] = hits_json(l, c.nb.contextual_hits);
    ctx.push_back(std::move(e));
  }
  out["contextual"] = std::move(ctx);
  auto cos = nlohmann::ordered_json::array();
  for (std::size_t a = 0; a < cols.size(); ++a)
    for (std::size_t b = a + 1; b < cols.size(); ++b)
      if (cols[a].layer == cols[b].layer)
        cos.push_back({{"layer", cols[a].layer}, {"a", cols[a].sentence + 1}, {"b", cols[b].sentence + 1},
                       {"cosine", cmp::vector_cosine(cols[a].nb.contextual, cols[b].nb.contextual)}});
  out["cosines"] = std::move(cos);
  std::printf("%s\n", out.dump().c_str());
}

std::string cosine_text(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", static_cast<double>(v));
  return buf;
}

// The static list and the contextual lists of `cols` side by side, columns
// aligned by display width; the contextual column is "contextual" for one
// sentence, else "sentence N".
void print_table(const Loaded& l, const std::vector<const Column*>& cols, std::size_t n_sentences) {
  const auto& stat = cols[0]->nb.static_hits;
  std::size_t ww = 10, rows = stat.size();
  for (const auto& h : stat) ww = std::max(ww, common::display_width(l.vocab.display(h.id)));
  for (const auto* c : cols) {
    rows = std::max(rows, c->nb.contextual_hits.size());
    for (const auto& h : c->nb.contextual_hits) ww = std::max(ww, common::display_width(l.vocab.display(h.id)));
  }
  auto cell = [&](const std::vector<common::Hit>& hits, std::size_t i) {
    const bool has = i < hits.size();
    return common::pad_right(has ? l.vocab.display(hits[i].id) : "", ww) + " " +
           common::pad_left(has ? cosine_text(hits[i].score) : "", 7);
  };
  std::string line = common::pad_right("#", 4) + " " + common::pad_right("static", ww) + " " + common::pad_left("cosine", 7);
  for (const auto* c : cols)
    line += "  |  " + common::pad_right(n_sentences == 1 ? "contextual" : "sentence " + std::to_string(c->sentence + 1), ww) +
            " " + common::pad_left("cosine", 7);
  std::printf("%s\n", line.c_str());
  for (std::size_t i = 0; i < rows; ++i) {
    line = common::pad_right(std::to_string(i + 1), 4) + " " + cell(stat, i);
    for (const auto* c : cols) line += "  |  " + cell(c->nb.contextual_hits, i);
    std::printf("%s\n", line.c_str());
  }
}

void print_text(const Loaded& l, const ContextOptions& o, const std::vector<Column>& cols, std::size_t n_layers) {
  const std::size_t n = o.sentences.size();
  for (const auto& c : cols) {
    if (c.layer != cols[0].layer) break;
    std::string head = n > 1 ? std::to_string(c.sentence + 1) + ": " : "";
    head += word_place(o.word, c.nb) + " of:";
    for (std::size_t i = 1; i < c.tokens.size(); ++i) head += " " + c.tokens[i];
    std::printf("%s\n", head.c_str());
  }
  const bool tagged = !o.layer.empty();
  for (std::size_t at = 0; at < cols.size(); at += n) {
    const std::size_t layer = cols[at].layer;
    if (tagged)
      std::printf("%slayer %zu%s:\n", at > 0 ? "\n" : "", layer,
                  layer + 1 == n_layers ? " (the final hidden states)"
                  : l.model->config().final_norm ? " (its output through the final LayerNorm)"
                                                 : " (its output; the model has no final LayerNorm)");
    std::vector<const Column*> block;
    for (std::size_t k = at; k < at + n; ++k) block.push_back(&cols[k]);
    print_table(l, block, n);
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = a + 1; b < n; ++b)
        std::printf("cosine of the contextual vectors of '%s', sentence %zu vs %zu: %s\n", o.word.c_str(), a + 1, b + 1,
                    cosine_text(cmp::vector_cosine(cols[at + a].nb.contextual, cols[at + b].nb.contextual)).c_str());
  }
}

}  // namespace

int cmd_context(int argc, char** argv) {
  ModelArgs m;
  ContextOptions o;
  po::options_description desc(
      "usage: wordlens context --model M.safetensors [--vectors V.bin] \"SENTENCE\" [\"SENTENCE2\" ...] WORD\n"
      "                        [--layer N|all] [--top 10] [--json]\n"
      "       wordlens context ... --sentence S1 --sentence S2 ... WORD\n\n"
      "The nearest vocabulary words of WORD, side by side:\n"
      "  static:     cosine of WORD's Word2Vec vector (its row of V.bin) against every row of V.bin;\n"
      "  contextual: cosine of the encoder's final hidden state at WORD's first occurrence in each\n"
      "              SENTENCE (normalised as the model's text was) against the rows of the encoder's input embedding\n"
      "              (embedding.weight, the same vocabulary; tied with the MLM output layer).\n"
      "The positional arguments are the sentences and then WORD (or WORD alone with --sentence).\n"
      "With two sentences or more: one static list, one contextual list per sentence, and the cosine\n"
      "of WORD's contextual vectors between each pair of sentences.\n"
      "--layer N (from 0) takes the hidden state after layer N instead, read as the MLM head reads the\n"
      "last layer: through the final LayerNorm when the model has one (every layer the same way);\n"
      "--layer all prints one table per layer.\n"
      "WORD itself, </s> (the padding id) and the specials [UNK] [MASK] [CLS] are left out. The static\n"
      "list depends on WORD only, the contextual one on the sentence too.\n"
      "An encoder trained with --tokenizer (BPE) needs no V.bin: WORD is found in the raw SENTENCE as\n"
      "typed, as a whole word, and stands for the BPE pieces that overlap it; static is the mean of\n"
      "their input-embedding rows, contextual the mean of their final hidden states, both against the\n"
      "whole-word tokens (those starting with \xC4\xA0, a space), WORD's own pieces left out.\n\noptions");
  NormalizerFlags nf;
  add_inspect_options(desc, m, nf);
  // clang-format off
  desc.add_options()
    ("sentence", po::value(&o.sentences), "a sentence (repeat for several); the positional arguments are sentences too")
    ("word", po::value(&o.word), "the word (default: the last positional argument)")
    ("layer", po::value(&o.layer), "hidden state after layer N (from 0), or 'all' (default: the final hidden state)")
    ("top,k", po::value(&o.top)->default_value(o.top), "neighbours per list")
    ("json", po::bool_switch(&o.json), "print one JSON object");
  po::options_description hidden;
  hidden.add_options()("args", po::value(&o.positional), "sentences, then WORD");
  // clang-format on
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("args", -1);
  po::variables_map vm;
  if (!parse_options(argc, argv, all, vm, &pos)) return 0;
  o.resolve();
  auto l = load(m, o.sentences[0], normalizer_request(nf, vm));
  const std::size_t n_layers = l.model->config().n_layers;
  const auto layers = chosen_layers(o.layer, n_layers);
  if (!l.vocab.is_bpe()) o.word = normalized_word(l, o.word);
  std::vector<Column> cols(layers.size() * o.sentences.size());  // layer-major
  for (std::size_t s = 0; s < o.sentences.size(); ++s) {
    if (s > 0) read_sentence(l, o.sentences[s]);
    for (std::size_t k = 0; k < layers.size(); ++k) {
      Column& c = cols[k * o.sentences.size() + s];
      c.sentence = s;
      c.layer = layers[k];
      c.tokens = l.tokens.display;
      const std::size_t layer = o.layer.empty() ? cmp::kFinalLayer : layers[k];
      c.nb = l.vocab.is_bpe() ? cmp::context_neighbours_bpe(*l.model, l.vocab, l.tokens, o.word, o.top, layer)
                              : cmp::context_neighbours(*l.model, l.vocab, l.vectors, l.words, o.word, o.top, layer);
    }
  }
  if (o.json)
    print_json(l, o, cols);
  else
    print_text(l, o, cols, n_layers);
  return 0;
}

}  // namespace cli
