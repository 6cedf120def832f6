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
#include "common/enum_names.h"
#include "common/errors.h"
#include "tokenizer/normalizer.h"
#include "compare/svg_chart.h"
#include "compare/inspect.h"
#include "compare/report_views.h"
#include "encoder/pooling.h"
#include "encoder/text_normalizer.h"
#include "word2vec/vectors_io.h"

namespace po = boost::program_options;

namespace cli {

namespace {

constexpr common::EnumNames<cmp::NeuronScore, 2> kNeuronScores{
    {{cmp::NeuronScore::kSum, "sum"}, {cmp::NeuronScore::kMax, "max"}}};

// A model, the vocabulary it was trained with, the normaliser of its text
// and one normalised sentence.
struct Loaded {
  std::unique_ptr<enc::Encoder> model;
  w2v::Embeddings vectors;
  enc::EncoderVocab vocab;
  tok::Normalizer normalizer;
  std::vector<std::string> words;
};

Loaded load(const std::string& model_path, const std::string& vectors, const std::string& sentence,
            const tok::NormalizerRequest& request) {
  if (model_path.empty() || vectors.empty())
    throw common::OptionError("--model and --vectors (the Word2Vec vectors the encoder was trained from) are required");
  if (sentence.empty()) throw common::OptionError("give the sentence to inspect (one quoted argument)");
  Loaded l;
  l.normalizer = tok::Normalizer(enc::sentence_normalizer(request, vectors, model_path));
  try {
    l.words = l.normalizer.tokens(sentence);
  } catch (const tok::TextError& e) {
    throw e.at("the sentence");
  }
  if (l.words.empty()) throw common::InputError("the sentence has no tokens after normalisation");
  l.model = std::make_unique<enc::Encoder>(enc::Encoder::load(model_path));
  l.model->set_threads(1);
  l.vectors = w2v::read_vectors(vectors);
  l.vocab = enc::vocab_for(*l.model, l.vectors, vectors, model_path);
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

std::size_t width(const std::vector<std::string>& s) {
  std::size_t w = 0;
  for (const auto& x : s) w = std::max(w, x.size());
  return w;
}

// Appends "label  tok -> tok weight" lines, one per query token, to out.
void summarise(std::string& out, const std::string& label, const float* map, const std::vector<std::string>& tok) {
  const auto top = cmp::top_attended(map, tok.size());
  const int w = static_cast<int>(width(tok));
  std::vector<char> buf(label.size() + 2 * static_cast<std::size_t>(w) + 48);
  for (std::size_t q = 0; q < tok.size(); ++q) {
    std::snprintf(buf.data(), buf.size(), "%-8s %-*s -> %-*s %.2f\n", label.c_str(), w, tok[q].c_str(), w,
                  tok[top[q].key].c_str(), static_cast<double>(top[q].weight));
    out += buf.data();
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
  std::string model_path, vectors, sentence, out_dir = "attention", format = "svg";
  long long layer = -1, head = -1;
  po::options_description desc(
      "usage: wordlens attention --model M.safetensors --vectors V.bin \"SENTENCE\" [--layer L] [--head H]\n"
      "                          [--out DIR] [--format svg]\n\n"
      "Runs the sentence (normalised as the model's text was, [CLS] first, unknown words shown as [UNK]:word)\n"
      "through an encoder trained by `wordlens encoder train --vectors V.bin` and writes one heatmap\n"
      "per layer and head, DIR/attention_L{l}_H{h}.svg: rows are the queries, columns the keys, a cell\n"
      "the attention probability (each row sums to 1). Prints for every layer/head and token the token\n"
      "it attends to most and the weight, then the same for the mean over each layer's heads.\n"
      "Layers and heads are counted from 0. SVG is the only format: PNG would need a font rasteriser\n"
      "for the token labels (convert with e.g. rsvg-convert, or open the SVG in a browser).\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("model", po::value(&model_path), "encoder weights (safetensors)")
    ("vectors", po::value(&vectors), "the Word2Vec vectors the encoder was trained from")
    ("sentence", po::value(&sentence), "the sentence (also the positional argument)")
    ("layer", po::value(&layer), "only this layer (default: all)")
    ("head", po::value(&head), "only this head (default: all)")
    ("out", po::value(&out_dir)->default_value(out_dir), "directory for the SVG files (created if missing)")
    ("format", po::value(&format)->default_value(format), "svg (the only format)");
  // clang-format on
  NormalizerFlags nf;
  add_normalizer_options(desc, nf);
  po::positional_options_description pos;
  pos.add("sentence", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm, &pos)) return 0;
  if (format != "svg")
    throw common::OptionError("--format must be svg (got '" + format + "'); PNG would need a font rasteriser");
  if (out_dir.empty()) throw common::OptionError("--out must name a directory");
  auto l = load(model_path, vectors, sentence, normalizer_request(nf, vm));
  const auto& cfg = l.model->config();
  check_index(layer, cfg.n_layers, "--layer", "layers");
  check_index(head, cfg.n_heads, "--head", "heads");
  warn_if_unknown(l, vectors);
  const auto maps = cmp::attention_maps(*l.model, l.vocab, l.words);
  const auto files = cmp::attention_heatmaps(maps, layer, head);
  const std::string summary = attention_summary(maps, layer, head);
  write_files(out_dir, files);
  std::fputs(summary.c_str(), stdout);
  std::fflush(stdout);
  std::fprintf(stderr, "wrote %zu heatmap%s of %zu tokens to %s/\n", files.size(), files.size() == 1 ? "" : "s",
               maps.seq, out_dir.c_str());
  return 0;
}

int cmd_context(int argc, char** argv) {
  std::string model_path, vectors, sentence, word;
  std::size_t top = 10;
  bool json = false;
  po::options_description desc(
      "usage: wordlens context --vectors V.bin --model M.safetensors \"SENTENCE\" WORD [--top 10] [--json]\n\n"
      "The nearest vocabulary words of WORD, two columns side by side:\n"
      "  static:     cosine of WORD's Word2Vec vector (its row of V.bin) against every row of V.bin;\n"
      "  contextual: cosine of the encoder's final hidden state at WORD's first occurrence in the\n"
      "              normalised SENTENCE against the rows of the encoder's input embedding\n"
      "              (embedding.weight, the same vocabulary; tied with the MLM output layer).\n"
      "WORD itself, </s> (the padding id) and the specials [UNK] [MASK] [CLS] are left out. The static\n"
      "list depends on WORD only, the contextual one on the sentence too.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("model", po::value(&model_path), "encoder weights (safetensors)")
    ("vectors", po::value(&vectors), "the Word2Vec vectors the encoder was trained from")
    ("sentence", po::value(&sentence), "the sentence (first positional argument)")
    ("word", po::value(&word), "the word (second positional argument)")
    ("top", po::value(&top)->default_value(top), "neighbours per list")
    ("json", po::bool_switch(&json), "print one JSON object");
  // clang-format on
  NormalizerFlags nf;
  add_normalizer_options(desc, nf);
  po::positional_options_description pos;
  pos.add("sentence", 1).add("word", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm, &pos)) return 0;
  if (word.empty()) throw common::OptionError("give the sentence and then the WORD to look at");
  if (top < 1) throw common::OptionError("--top must be at least 1");
  auto l = load(model_path, vectors, sentence, normalizer_request(nf, vm));
  const std::vector<std::string> w = {normalized_word(l, word)};
  const auto& e = l.vectors;
  const auto nb = cmp::context_neighbours(*l.model, l.vocab, e, l.words, w[0], top);
  const std::size_t position = nb.position;
  const auto& stat = nb.static_hits;
  const auto& cont = nb.contextual_hits;
  if (json) {
    nlohmann::ordered_json out;
    out["word"] = w[0];
    out["tokens"] = cmp::inspect_tokens(*l.model, l.vocab, l.words).display;
    out["position"] = position + 1;  // in the [CLS]-first sequence
    auto list = [&](const std::vector<common::Hit>& hits) {
      auto a = nlohmann::ordered_json::array();
      for (const auto& h : hits) a.push_back({{"word", e.words[static_cast<std::size_t>(h.id)]}, {"cosine", h.score}});
      return a;
    };
    out["static"] = list(stat);
    out["contextual"] = list(cont);
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  std::size_t ww = 10;
  for (const auto* hits : {&stat, &cont})
    for (const auto& h : *hits) ww = std::max(ww, e.words[static_cast<std::size_t>(h.id)].size());
  const int cw = static_cast<int>(ww);
  std::printf("'%s' at position %zu of:", w[0].c_str(), position + 1);
  for (const auto& x : l.words) std::printf(" %s", x.c_str());
  std::printf("\n%-4s %-*s %7s  |  %-*s %7s\n", "#", cw, "static", "cosine", cw, "contextual", "cosine");
  for (std::size_t i = 0; i < std::max(stat.size(), cont.size()); ++i) {
    auto cell = [&](const std::vector<common::Hit>& hits, std::string& name, std::string& score) {
      name = score = "";
      if (i >= hits.size()) return;
      name = e.words[static_cast<std::size_t>(hits[i].id)];
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.4f", static_cast<double>(hits[i].score));
      score = buf;
    };
    std::string sn, ss, cn, cs;
    cell(stat, sn, ss);
    cell(cont, cn, cs);
    std::printf("%-4zu %-*s %7s  |  %-*s %7s\n", i + 1, cw, sn.c_str(), ss.c_str(), cw, cn.c_str(), cs.c_str());
  }
  return 0;
}

int cmd_ffn(int argc, char** argv) {
  std::string model_path, vectors, sentence, score = "sum";
  long long layer = -1;
  std::size_t top = 10, neurons = 5;
  po::options_description desc(
      "usage: wordlens ffn --model M.safetensors --vectors V.bin \"SENTENCE\" [--layer L] [--top 10]\n"
      "                    [--neurons 5] [--score sum|max]\n\n"
      "A feed-forward block read as a key-value memory: runs the sentence, takes layer L's activations\n"
      "act(linear1(x)) [tokens, d_ff], and picks the --neurons neurons with the highest activation\n"
      "summed (--score sum, default) or maximal (--score max) over the sentence's words ([CLS] left\n"
      "out); 'peak' is the word where the neuron fires most. For each, the --top vocabulary words whose\n"
      "input-embedding rows (embedding.weight) have the highest cosine with what the neuron writes into\n"
      "the residual stream: column n of layers.L.linear2.weight. </s> (the padding id) and the specials\n"
      "are left out. L counts from 0; the default is the last layer.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("model", po::value(&model_path), "encoder weights (safetensors)")
    ("vectors", po::value(&vectors), "the Word2Vec vectors the encoder was trained from")
    ("sentence", po::value(&sentence), "the sentence (also the positional argument)")
    ("layer", po::value(&layer), "layer (default: the last)")
    ("top", po::value(&top)->default_value(top), "words per neuron")
    ("neurons", po::value(&neurons)->default_value(neurons), "neurons to show")
    ("score", po::value(&score)->default_value(score), "rank neurons by the sum or the max of their activations");
  // clang-format on
  NormalizerFlags nf;
  add_normalizer_options(desc, nf);
  po::positional_options_description pos;
  pos.add("sentence", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm, &pos)) return 0;
  const auto ranking = common::parse_enum(kNeuronScores, score, "--score");
  if (top < 1 || neurons < 1) throw common::OptionError("--top and --neurons must be at least 1");
  auto l = load(model_path, vectors, sentence, normalizer_request(nf, vm));
  const auto& cfg = l.model->config();
  check_index(layer, cfg.n_layers, "--layer", "layers");
  if (neurons > cfg.d_ff) {
    std::string msg = "--neurons ";
    msg += std::to_string(neurons);
    msg += " is more than the model's d_ff ";
    msg += std::to_string(cfg.d_ff);
    throw common::OptionError(msg);
  }
  warn_if_unknown(l, vectors);
  const std::size_t li = layer < 0 ? cfg.n_layers - 1 : static_cast<std::size_t>(layer);
  const auto r = cmp::top_ffn_neurons(*l.model, l.vocab, l.words, li, neurons,
                                      ranking);
  std::printf("layer %zu feed-forward (d_ff %zu): top %zu neurons by %s activation over %zu words\n", li, cfg.d_ff,
              r.neurons.size(), score.c_str(), l.words.size());
  const int tw = static_cast<int>(width(r.tokens.display));
  for (const auto& n : r.neurons) {
    const auto hits = cmp::ffn_value_neighbours(*l.model, l.vocab, li, n.neuron, top);
    std::printf("neuron %5zu  %s %8.3f  peak %-*s %7.3f  ->", n.neuron, score.c_str(), static_cast<double>(n.score),
                tw, r.tokens.display[n.peak].c_str(), static_cast<double>(n.peak_value));
    for (const auto& h : hits)
      std::printf("  %s %.3f", l.vocab.words[static_cast<std::size_t>(h.id)].c_str(), static_cast<double>(h.score));
    std::printf("\n");
  }
  return 0;
}

}  // namespace cli
