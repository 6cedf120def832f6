// wordlens attention / context / ffn: looking inside a trained encoder on
// one sentence — attention heatmaps, static vs contextual neighbours of a
// word, and feed-forward neurons read as key-value memories.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/normalizer_options.h"
#include "common/atomic_file.h"
#include "common/display_width.h"
#include "common/enum_names.h"
#include "common/errors.h"
#include "tokenizer/normalizer.h"
#include "compare/svg_chart.h"
#include "compare/inspect.h"
#include "compare/report_views.h"
#include "encoder/model_vocab.h"
#include "encoder/text_normalizer.h"
#include "word2vec/vectors_io.h"

namespace po = boost::program_options;

namespace cli {

namespace {

constexpr common::EnumNames<cmp::NeuronScore, 2> kNeuronScores{
    {{cmp::NeuronScore::kSum, "sum"}, {cmp::NeuronScore::kMax, "max"}}};

// Where the encoder and its vocabulary come from.
struct ModelArgs {
  std::string model, vectors, tokenizer;
};

void add_model_options(po::options_description& desc, ModelArgs& m) {
  // clang-format off
  desc.add_options()
    ("model", po::value(&m.model), "encoder weights (safetensors)")
    ("vectors", po::value(&m.vectors), "the Word2Vec vectors the encoder was trained from (not for a BPE encoder)")
    ("tokenizer", po::value(&m.tokenizer), "the BPE model of an encoder that does not store it (older weights)");
  // clang-format on
}

// A model, the vocabulary it was trained with, the normaliser of its text
// and one sentence as it reads it.
struct Loaded {
  std::unique_ptr<enc::Encoder> model;
  w2v::Embeddings vectors;          // empty for an encoder trained on BPE tokens
  enc::EncoderVocab vocab;
  tok::Normalizer normalizer;       // as the model's and vectors' files record it (not for BPE)
  cmp::InspectedTokens tokens;      // [CLS] first
  std::vector<std::string> words;   // the normalised words (not for BPE)
};

Loaded load(const ModelArgs& m, const std::string& sentence, const tok::NormalizerRequest& request) {
  if (m.model.empty()) throw common::OptionError("--model is required (the encoder weights)");
  if (sentence.empty()) throw common::OptionError("give the sentence to inspect (one quoted argument)");
  Loaded l;
  l.model = std::make_unique<enc::Encoder>(enc::Encoder::load(m.model));
  l.model->set_threads(1);
  // The normalisers first: records that disagree say more than the vocabularies that then differ.
  if (enc::trained_on_bpe(*l.model)) {
    if (!request.given.empty())
      throw common::OptionError(request.given[0] + ": " + m.model + " reads raw text as BPE pieces, not normalised words");
  } else {
    l.normalizer = tok::Normalizer(enc::sentence_normalizer(request, m.vectors, m.model));
    try {
      l.words = l.normalizer.tokens(sentence);
    } catch (const tok::TextError& e) {
      throw e.at("the sentence");
    }
  }
  l.vocab = enc::query_vocab(*l.model, m.model, m.vectors, m.tokenizer, &l.vectors);
  l.tokens = cmp::inspect_text(*l.model, l.vocab, sentence, l.normalizer);
  return l;
}

// WORD normalised as the sentence: one token, or an OptionError.
std::string normalized_word(Loaded& l, const std::string& word) {
  std::vector<std::string> w;
  try {
    w = l.normalizer.tokens(word);
  } catch (const tok::TextError& e) {
    throw e.at("WORD");
  }
  if (w.size() != 1) throw common::OptionError("WORD '" + word + "' must be a single token after normalisation");
  return w[0];
}

// No silent [UNK]s: says so when no word of the sentence is in the vocabulary.
void warn_if_unknown(const Loaded& l, const std::string& vectors) {
  if (l.vocab.is_bpe()) return;  // bytes are never unknown
  std::size_t known = 0;
  for (const auto& w : l.words) known += l.vocab.index.find(w) > 0 ? 1 : 0;  // (id 0 is </s>)
  if (known == 0)
    spdlog::warn("none of the sentence's {} words is in the vocabulary of {}: every one is [UNK]", l.words.size(), vectors);
}

// A layer/head option: -1 (not given) or 0..n-1.
void check_index(long long v, std::size_t n, const char* option, const char* what) {
  if (v < -1 || v >= static_cast<long long>(n)) {
    std::string msg = option;
    msg += " ";
    msg += std::to_string(v);
    msg += " is out of range: the model has ";
    msg += std::to_string(n);
    msg += " ";
    msg += what;
    msg += " (valid: 0..";
    msg += std::to_string(n - 1);
    msg += ")";
    throw common::OptionError(msg);
  }
}

// Appends "label  tok -> tok weight" lines, one per query token, to out,
// columns aligned by display width.
void summarise(std::string& out, const std::string& label, const float* map, const std::vector<std::string>& tok) {
  const auto top = cmp::top_attended(map, tok.size());
  const std::size_t w = common::max_display_width(tok);
  char weight[32];
  for (std::size_t q = 0; q < tok.size(); ++q) {
    std::snprintf(weight, sizeof weight, " %.2f\n", static_cast<double>(top[q].weight));
    out += common::pad_right(label, 8) + " " + common::pad_right(tok[q], w) + " -> " + common::pad_right(tok[top[q].key], w) +
           weight;
  }
}

std::string layer_head(std::size_t l, const char* sep, std::size_t h) {
  std::string s = "L";
  s += std::to_string(l);
  s += sep;
  s += std::to_string(h);
  return s;
}

// For each layer/head (and each layer's mean over heads): every token, the
// token it attends to most, and the weight.
std::string attention_summary(const cmp::AttentionMaps& maps, long long layer, long long head) {
  const auto& tok = maps.tokens.display;
  std::string summary;
  for (std::size_t li = 0; li < maps.layers; ++li) {
    if (layer >= 0 && li != static_cast<std::size_t>(layer)) continue;
    for (std::size_t hi = 0; hi < maps.heads; ++hi)
      if (head < 0 || hi == static_cast<std::size_t>(head)) summarise(summary, layer_head(li, " H", hi), maps.map(li, hi), tok);
    const auto mean = maps.head_mean(li);  // [T, T]
    summarise(summary, "L" + std::to_string(li) + " mean", mean.data(), tok);
  }
  return summary;
}

// Writes each image into dir (created if missing), every file atomically.
void write_files(const std::string& dir, const std::vector<cmp::ReportImage>& files) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw common::IoError("cannot create the output directory '" + dir + "'" + (ec ? ": " + ec.message() : ""));
  for (const auto& f : files) {
    common::AtomicFile out((std::filesystem::path(dir) / f.file).string());
    out.write(f.svg);
    out.commit();
  }
}

}  // namespace

int cmd_attention(int argc, char** argv) {
  ModelArgs m;
  std::string sentence, out_dir = "attention", format = "svg";
  long long layer = -1, head = -1;
  po::options_description desc(
      "usage: wordlens attention --model M.safetensors [--vectors V.bin] \"SENTENCE\" [--layer L] [--head H]\n"
      "                          [--out DIR] [--format svg]\n\n"
      "Runs the sentence through an encoder and writes one heatmap per layer and head,\n"
      "DIR/attention_L{l}_H{h}.svg: rows are the queries, columns the keys, a cell the attention\n"
      "probability (each row sums to 1). Prints for every layer/head and token the token it attends\n"
      "to most and the weight, then the same for the mean over each layer's heads. An encoder trained\n"
      "by `wordlens encoder train --vectors V.bin` reads the sentence normalised as its text was\n"
      "([CLS] first, unknown words shown as [UNK]:word) and needs the same V.bin; one trained with\n"
      "--tokenizer (BPE) reads the raw sentence as BPE pieces, shown readable (\xC4\xA0 marks a word start).\n"
      "Layers and heads are counted from 0. SVG is the only format: PNG would need a font rasteriser\n"
      "for the token labels (convert with e.g. rsvg-convert, or open the SVG in a browser).\n\noptions");
  desc.add_options()("help,h", "show this help");
  add_model_options(desc, m);
  NormalizerFlags nf;
  add_normalizer_options(desc, nf);
  // clang-format off
  desc.add_options()
    ("sentence", po::value(&sentence), "the sentence (also the positional argument)")
    ("layer", po::value(&layer), "only this layer (default: all)")
    ("head", po::value(&head), "only this head (default: all)")
    ("out", po::value(&out_dir)->default_value(out_dir), "directory for the SVG files (created if missing)")
    ("format", po::value(&format)->default_value(format), "svg (the only format)");
  // clang-format on
  po::positional_options_description pos;
  pos.add("sentence", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm, &pos)) return 0;
  if (format != "svg")
    throw common::OptionError("--format must be svg (got '" + format + "'); PNG would need a font rasteriser");
  if (out_dir.empty()) throw common::OptionError("--out must name a directory");
  auto l = load(m, sentence, normalizer_request(nf, vm));
  const auto& cfg = l.model->config();
  check_index(layer, cfg.n_layers, "--layer", "layers");
  check_index(head, cfg.n_heads, "--head", "heads");
  warn_if_unknown(l, m.vectors);
  const auto maps = cmp::attention_maps(*l.model, std::move(l.tokens));
  const auto files = cmp::attention_heatmaps(maps, layer, head);
  const std::string summary = attention_summary(maps, layer, head);
  write_files(out_dir, files);
  std::fputs(summary.c_str(), stdout);
  std::fflush(stdout);
  std::fprintf(stderr, "wrote %zu heatmap%s of %zu tokens to %s/\n", files.size(), files.size() == 1 ? "" : "s",
               maps.seq, out_dir.c_str());
  return 0;
}

namespace {

// The word and where it is: "'bank' at position 5" (BPE: "at positions 4-5").
std::string word_place(const std::string& word, const cmp::ContextNeighbours& nb) {
  std::string s = "'" + word + "' at position";
  s += nb.pieces > 1 ? "s " : " ";
  s += std::to_string(nb.position + 1);
  if (nb.pieces > 1) s += "-" + std::to_string(nb.position + nb.pieces);
  return s;
}

void print_context_json(const Loaded& l, const std::string& word, const cmp::ContextNeighbours& nb) {
  nlohmann::ordered_json out;
  out["word"] = word;
  out["tokens"] = l.tokens.display;
  out["position"] = nb.position + 1;  // in the [CLS]-first sequence
  if (l.vocab.is_bpe()) out["pieces"] = nb.pieces;
  auto list = [&](const std::vector<common::Hit>& hits) {
    auto a = nlohmann::ordered_json::array();
    for (const auto& h : hits) a.push_back({{"word", l.vocab.display(h.id)}, {"cosine", h.score}});
    return a;
  };
  out["static"] = list(nb.static_hits);
  out["contextual"] = list(nb.contextual_hits);
  std::printf("%s\n", out.dump().c_str());
}

// The two neighbour lists side by side, columns aligned by display width.
void print_context_table(const Loaded& l, const std::string& word, const cmp::ContextNeighbours& nb) {
  const auto& stat = nb.static_hits;
  const auto& cont = nb.contextual_hits;
  std::size_t ww = 10;
  for (const auto* hits : {&stat, &cont})
    for (const auto& h : *hits) ww = std::max(ww, common::display_width(l.vocab.display(h.id)));
  std::printf("%s of:", word_place(word, nb).c_str());
  for (std::size_t i = 1; i < l.tokens.display.size(); ++i) std::printf(" %s", l.tokens.display[i].c_str());
  std::printf("\n%-4s %s %7s  |  %s %7s\n", "#", common::pad_right("static", ww).c_str(), "cosine",
              common::pad_right("contextual", ww).c_str(), "cosine");
  for (std::size_t i = 0; i < std::max(stat.size(), cont.size()); ++i) {
    auto cell = [&](const std::vector<common::Hit>& hits, std::string& name, std::string& score) {
      name = score = "";
      if (i >= hits.size()) return;
      name = l.vocab.display(hits[i].id);
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.4f", static_cast<double>(hits[i].score));
      score = buf;
    };
    std::string sn, ss, cn, cs;
    cell(stat, sn, ss);
    cell(cont, cn, cs);
    std::printf("%-4zu %s %7s  |  %s %7s\n", i + 1, common::pad_right(sn, ww).c_str(), ss.c_str(),
                common::pad_right(cn, ww).c_str(), cs.c_str());
  }
}

}  // namespace

int cmd_context(int argc, char** argv) {
  ModelArgs m;
  std::string sentence, word;
  std::size_t top = 10;
  bool json = false;
  po::options_description desc(
      "usage: wordlens context --model M.safetensors [--vectors V.bin] \"SENTENCE\" WORD [--top 10] [--json]\n\n"
      "The nearest vocabulary words of WORD, two columns side by side:\n"
      "  static:     cosine of WORD's Word2Vec vector (its row of V.bin) against every row of V.bin;\n"
      "  contextual: cosine of the encoder's final hidden state at WORD's first occurrence in the\n"
      "              SENTENCE (normalised as the model's text was) against the rows of the encoder's input embedding\n"
      "              (embedding.weight, the same vocabulary; tied with the MLM output layer).\n"
      "WORD itself, </s> (the padding id) and the specials [UNK] [MASK] [CLS] are left out. The static\n"
      "list depends on WORD only, the contextual one on the sentence too.\n"
      "An encoder trained with --tokenizer (BPE) needs no V.bin: WORD is found in the raw SENTENCE as\n"
      "typed, as a whole word, and stands for the BPE pieces that overlap it; static is the mean of\n"
      "their input-embedding rows, contextual the mean of their final hidden states, both against the\n"
      "whole-word tokens (those starting with \xC4\xA0, a space), WORD's own pieces left out.\n\noptions");
  desc.add_options()("help,h", "show this help");
  add_model_options(desc, m);
  NormalizerFlags nf;
  add_normalizer_options(desc, nf);
  // clang-format off
  desc.add_options()
    ("sentence", po::value(&sentence), "the sentence (first positional argument)")
    ("word", po::value(&word), "the word (second positional argument)")
    ("top", po::value(&top)->default_value(top), "neighbours per list")
    ("json", po::bool_switch(&json), "print one JSON object");
  // clang-format on
  po::positional_options_description pos;
  pos.add("sentence", 1).add("word", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm, &pos)) return 0;
  if (word.empty()) throw common::OptionError("give the sentence and then the WORD to look at");
  if (top < 1) throw common::OptionError("--top must be at least 1");
  auto l = load(m, sentence, normalizer_request(nf, vm));
  cmp::ContextNeighbours nb;
  if (l.vocab.is_bpe()) {
    nb = cmp::context_neighbours_bpe(*l.model, l.vocab, l.tokens, word, top);
  } else {
    word = normalized_word(l, word);
    nb = cmp::context_neighbours(*l.model, l.vocab, l.vectors, l.words, word, top);
  }
  if (json)
    print_context_json(l, word, nb);
  else
    print_context_table(l, word, nb);
  return 0;
}

int cmd_ffn(int argc, char** argv) {
  ModelArgs m;
  std::string sentence, score = "sum";
  long long layer = -1;
  std::size_t top = 10, neurons = 5;
  po::options_description desc(
      "usage: wordlens ffn --model M.safetensors [--vectors V.bin] \"SENTENCE\" [--layer L] [--top 10]\n"
      "                    [--neurons 5] [--score sum|max]\n\n"
      "A feed-forward block read as a key-value memory: runs the sentence, takes layer L's activations\n"
      "act(linear1(x)) [tokens, d_ff], and picks the --neurons neurons with the highest activation\n"
      "summed (--score sum, default) or maximal (--score max) over the sentence's tokens ([CLS] left\n"
      "out); 'peak' is the token where the neuron fires most. For each, the --top vocabulary tokens\n"
      "whose input-embedding rows (embedding.weight) have the highest cosine with what the neuron writes\n"
      "into the residual stream: column n of layers.L.linear2.weight. </s> (the padding id) and the\n"
      "specials are left out. L counts from 0; the default is the last layer. An encoder trained with\n"
      "--tokenizer (BPE) needs no V.bin and shows its tokens readable.\n\noptions");
  desc.add_options()("help,h", "show this help");
  add_model_options(desc, m);
  NormalizerFlags nf;
  add_normalizer_options(desc, nf);
  // clang-format off
  desc.add_options()
    ("sentence", po::value(&sentence), "the sentence (also the positional argument)")
    ("layer", po::value(&layer), "layer (default: the last)")
    ("top", po::value(&top)->default_value(top), "tokens per neuron")
    ("neurons", po::value(&neurons)->default_value(neurons), "neurons to show")
    ("score", po::value(&score)->default_value(score), "rank neurons by the sum or the max of their activations");
  // clang-format on
  po::positional_options_description pos;
  pos.add("sentence", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm, &pos)) return 0;
  const auto ranking = common::parse_enum(kNeuronScores, score, "--score");
  if (top < 1 || neurons < 1) throw common::OptionError("--top and --neurons must be at least 1");
  auto l = load(m, sentence, normalizer_request(nf, vm));
  const auto& cfg = l.model->config();
  check_index(layer, cfg.n_layers, "--layer", "layers");
  if (neurons > cfg.d_ff) {
    std::string msg = "--neurons ";
    msg += std::to_string(neurons);
    msg += " is more than the model's d_ff ";
    msg += std::to_string(cfg.d_ff);
    throw common::OptionError(msg);
  }
  const std::size_t li = layer < 0 ? cfg.n_layers - 1 : static_cast<std::size_t>(layer);
  warn_if_unknown(l, m.vectors);
  const auto r = cmp::top_ffn_neurons(*l.model, std::move(l.tokens), li, neurons, ranking);
  std::printf("layer %zu feed-forward (d_ff %zu): top %zu neurons by %s activation over %zu tokens\n", li, cfg.d_ff,
              r.neurons.size(), score.c_str(), r.tokens.ids.size() - 1);
  const std::size_t tw = common::max_display_width(r.tokens.display);
  for (const auto& n : r.neurons) {
    const auto hits = cmp::ffn_value_neighbours(*l.model, l.vocab, li, n.neuron, top);
    std::printf("neuron %5zu  %s %8.3f  peak %s %7.3f  ->", n.neuron, score.c_str(), static_cast<double>(n.score),
                common::pad_right(r.tokens.display[n.peak], tw).c_str(), static_cast<double>(n.peak_value));
    for (const auto& h : hits) std::printf("  %s %.3f", l.vocab.display(h.id).c_str(), static_cast<double>(h.score));
    std::printf("\n");
  }
  return 0;
}

}  // namespace cli
