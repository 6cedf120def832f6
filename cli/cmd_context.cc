// wordlens context: static vs contextual neighbours of a word in a sentence.
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

}  // namespace cli
