// wordlens similar / wordlens analogy: nearest neighbours and analogies,
// from the command line or interactively (one query per stdin line).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "common/display_width.h"
#include "cli/normalizer_options.h"
#include "common/enum_names.h"
#include "common/errors.h"
#include "common/line_reader.h"
#include "common/text_fields.h"
#include "common/text_format.h"
#include "tokenizer/readable_token.h"
#include "tokenizer/byte_unicode.h"
#include "tokenizer/word_suggestion.h"
#include "encoder/text_normalizer.h"
#include "word2vec/embedding_index.h"

namespace po = boost::program_options;

namespace cli {

namespace {

enum class AnalogyMethod { kAdd, kMul };  // 3CosAdd, 3CosMul
constexpr common::EnumNames<AnalogyMethod, 2> kAnalogyMethods{{{AnalogyMethod::kAdd, "add"}, {AnalogyMethod::kMul, "mul"}}};

struct QueryOptions {
  std::string vectors;
  std::vector<std::string> terms;
  std::size_t top = 10;  // --top / -k
  std::size_t limit = 0;
  std::size_t restrict = 0;
  std::string method_text = "add";
  AnalogyMethod method = AnalogyMethod::kAdd;
  bool timing = false;
  bool as_given = false;  // --no-normalize
  bool json = false;      // one JSON object per query
};

// How query words become vocabulary words: normalised as the vectors' text
// was (one token each), or looked up as given (BPE vectors, --no-normalize).
class QueryWords {
 public:
  explicit QueryWords(std::optional<tok::NormalizerOptions> n) {
    if (n) norm_.emplace(*n);
  }
  std::string word(const std::string& term) {
    if (!norm_) return term;
    std::vector<std::string> t;
    try {
      t = norm_->tokens(term);
    } catch (const tok::TextError& e) {
      throw common::InputError("'" + term + "': " + e.what());
    }
    if (t.size() == 1) return t[0];
    std::string shown;
    for (const auto& x : t) shown += (shown.empty() ? "" : " ") + x;
    throw common::InputError("'" + term + "' is " + (t.empty() ? "no word" : std::to_string(t.size()) + " words (" + shown + ")") +
                             " after normalisation: give one word (or --no-normalize to look it up as given)");
  }
  bool normalizes() const { return norm_.has_value(); }

 private:
  std::optional<tok::Normalizer> norm_;
};

// The options of similar / analogy, as split_terms tells them from words.
struct OptionNames {
  std::vector<std::string> with_value, flags;  // long names ("--top") and short ones ("-k")
  bool known(const std::string& name) const {
    return std::find(with_value.begin(), with_value.end(), name) != with_value.end() ||
           std::find(flags.begin(), flags.end(), name) != flags.end();
  }
};

// Splits argv into options and query terms, so that words to subtract
// ("-man") are not taken for options. The rule (also in --help): an
// argument starting with "--" is an option and must be a known one (else
// OptionError); "-k N", "-kN" and "-h" are the short options; any other
// argument starting with one dash is a word to subtract; after "--" every
// argument is a word. A one-dash word spelled like a long option ("-top",
// "-json") is an OptionError too: it is far more likely a mistyped option
// than a word to subtract (write it after "--" to subtract it).
std::pair<std::vector<std::string>, std::vector<std::string>> split_terms(int argc, char** argv, const OptionNames& names) {
  std::vector<std::string> opts, terms;
  bool words_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const std::string name = a.substr(0, a.find('='));
    const bool valued = std::find(names.with_value.begin(), names.with_value.end(), name) != names.with_value.end();
    const bool short_attached = a.size() > 2 && a.compare(0, 2, "-k") == 0 &&
                                std::all_of(a.begin() + 2, a.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (words_only) {
      terms.push_back(a);
    } else if (a == "--") {
      words_only = true;
    } else if (valued) {
      opts.push_back(a);
      if (a.find('=') == std::string::npos && i + 1 < argc) opts.push_back(argv[++i]);
    } else if (names.known(name) || short_attached) {
      opts.push_back(a);
    } else if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      throw common::OptionError("unknown option " + name + "; to subtract a word write -word (one dash)");
    } else if (a.size() > 1 && a[0] == '-' && names.known("-" + name)) {
      throw common::OptionError("'" + a + "' looks like the option -" + name + ": write -" + name +
                                " (two dashes), or put the word to subtract after -- (... -- " + a + ")");
    } else {
      terms.push_back(a);
    }
  }
  return {opts, terms};
}

// The vectors and how their words are shown: vectors of BPE tokens (train
// --tokenizer) in readable form ("Ġрама", not "ĠÑĢÐ°Ð¼Ð°"), found by either form.
struct Vectors {
  w2v::EmbeddingIndex index;
  std::vector<std::string> readable;                      // [V] for BPE tokens, else empty
  std::unordered_map<std::string, std::int32_t> by_readable;  // readable form -> first (most frequent) id
  explicit Vectors(w2v::Embeddings e) : index(std::move(e)) {
    if (!tok::looks_like_shown_tokens(index.words())) return;
    std::string bytes;
    for (std::size_t i = 0; i < index.size(); ++i) {
      tok::shown_to_bytes(index.word(i), &bytes);
      readable.push_back(tok::readable_token(bytes));
      by_readable.emplace(readable.back(), static_cast<std::int32_t>(i));
    }
  }
  const std::string& shown(std::int32_t id) const {
    const auto i = static_cast<std::size_t>(id);
    return readable.empty() ? index.word(i) : readable[i];
  }
};

std::string joined(const std::vector<std::string>& terms) {
  std::string q;
  for (const auto& t : terms) q += (q.empty() ? "" : " ") + t;
  return q;
}

// The neighbours as a table, or (--json) as one object
// {"query": ..., "results": [{"word": ..., SCORE: ...}]}.
void print_hits(const Vectors& v, const std::vector<common::Hit>& hits, const std::vector<std::string>& terms,
                const QueryOptions& o, const char* score = "cosine") {
  if (o.json) {
    nlohmann::ordered_json j{{"query", joined(terms)}, {"results", nlohmann::ordered_json::array()}};
    for (const auto& h : hits) j["results"].push_back({{"word", v.shown(h.id)}, {score, static_cast<double>(h.score)}});
    std::printf("%s\n", j.dump().c_str());
    return;
  }
  std::size_t width = 4;
  for (const auto& h : hits) width = std::max(width, common::display_width(v.shown(h.id)));
  for (std::size_t i = 0; i < hits.size(); ++i)
    std::printf("%4zu  %s  %.4f\n", i + 1, common::pad_right(v.shown(hits[i].id), width).c_str(),
                static_cast<double>(hits[i].score));
}

// "'Whale' is not in the vocabulary (N words); did you mean 'whale'?", with
// the nearest spelling the vectors hold (tok::suggest_word).
std::string not_found(const Vectors& v, const QueryWords& q, const std::string& term, const std::string& w) {
  std::string m = "'" + w + "'" + (w == term ? "" : " (from '" + term + "')") + " is not in the vocabulary (" +
                  common::plural(v.index.size(), "word", "words") + ")";
  const std::vector<std::string>& words = v.readable.empty() ? v.index.words() : v.readable;
  std::optional<std::string> s = tok::suggest_word(w, words);  // may be the term as typed ('Whale' for 'whale')
  if (!s && w != term) s = tok::suggest_word(term, words);
  if (!s) return m;
  m += "; did you mean '" + *s + "'?";
  if (q.normalizes() && *s == term) m += " (--no-normalize looks words up as given)";
  return m;
}

std::int32_t lookup(const Vectors& v, QueryWords& q, const std::string& term) {
  const std::string w = q.word(term);
  auto id = v.index.find(w);
  if (id < 0) {
    const auto it = v.by_readable.find(w);  // BPE tokens: their readable form
    if (it != v.by_readable.end()) return it->second;
    throw common::InputError(not_found(v, q, term, w));
  }
  return id;
}

// One query; throws InputError for unknown words or a malformed query.
void run_similar(const Vectors& v, QueryWords& q, const std::vector<std::string>& terms, const QueryOptions& o) {
  std::vector<std::int32_t> pos, neg;
  for (const auto& t : terms) {
    if (t.size() > 1 && t[0] == '+') pos.push_back(lookup(v, q, t.substr(1)));
    else if (t.size() > 1 && t[0] == '-') neg.push_back(lookup(v, q, t.substr(1)));
    else pos.push_back(lookup(v, q, t));
  }
  if (pos.empty() && neg.empty()) throw common::InputError("empty query: give a word, or terms like +king -man +woman");
  auto t0 = std::chrono::steady_clock::now();
  auto hits = v.index.most_similar(pos, neg, o.top, o.restrict);
  auto us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  print_hits(v, hits, terms, o);
  if (o.timing) std::fprintf(stderr, "query time: %.3f ms\n", us / 1000);
}

void run_analogy(const Vectors& v, QueryWords& q, const std::vector<std::string>& terms, const QueryOptions& o) {
  if (terms.size() != 3) throw common::InputError("an analogy needs three words: A B C (A is to B as C is to ?)");
  std::int32_t a = lookup(v, q, terms[0]), b = lookup(v, q, terms[1]), c = lookup(v, q, terms[2]);
  const std::int32_t pos[2] = {b, c}, neg[1] = {a};
  const bool mul = o.method == AnalogyMethod::kMul;
  auto hits = mul ? v.index.most_similar_cosmul(pos, neg, o.top, o.restrict) : v.index.most_similar(pos, neg, o.top, o.restrict);
  print_hits(v, hits, terms, o, mul ? "score" : "cosine");
}

using Runner = void (*)(const Vectors&, QueryWords&, const std::vector<std::string>&, const QueryOptions&);

int query_command(int argc, char** argv, const char* name, const char* usage, Runner run, bool analogy) {
  QueryOptions o;
  po::options_description desc(usage);
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("top,k", po::value(&o.top)->default_value(o.top), "number of results (-k N is the short form)")
    ("limit", po::value(&o.limit)->default_value(0), "load only the N first (most frequent) words (0 = all)")
    ("restrict", po::value(&o.restrict)->default_value(0), "search only the N most frequent words (0 = all)")
    ("timing", po::bool_switch(&o.timing), "print each query's time (after loading) to stderr")
    ("no-normalize", po::bool_switch(&o.as_given), "look query words up exactly as given (vectors of other tools: capitals, phrases)")
    ("json", po::bool_switch(&o.json), "one JSON object per query on stdout: {\"query\": ..., \"results\": [{\"word\": ..., \"cosine\": ...}]}");
  if (analogy) desc.add_options()("method", po::value(&o.method_text)->default_value("add"), "add (3CosAdd) or mul (3CosMul)");
  // clang-format on
  NormalizerFlags nf;
  add_normalizer_options(desc, nf);
  OptionNames names{{"--top", "-k", "--limit", "--restrict", "--case"},
                    {"-h", "--help", "--timing", "--no-normalize", "--json", "--keep-accents", "--yo-to-e", "--keep-hyphens"}};
  if (analogy) names.with_value.push_back("--method");
  auto [opts, terms] = split_terms(argc, argv, names);
  po::variables_map vm;
  po::store(po::command_line_parser(opts).options(desc).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << desc;
    return 0;
  }
  if (terms.empty()) throw common::OptionError(std::string("give the vectors file: wordlens ") + name + " VECTORS ...");
  if (o.top == 0) throw common::OptionError("--top must be at least 1");
  o.method = common::parse_enum(kAnalogyMethods, o.method_text, "--method");
  o.vectors = terms.front();
  terms.erase(terms.begin());
  const tok::NormalizerRequest request = normalizer_request(nf, vm);
  if (o.as_given && !request.given.empty())
    throw common::OptionError(request.given[0] + " and --no-normalize: give one of them");
  QueryWords words(o.as_given ? std::nullopt : enc::query_normalizer(request, o.vectors));
  Vectors vectors(w2v::read_vectors(o.vectors, o.limit));
  vectors.index.enable_fast_queries();
  if (!terms.empty()) {
    run(vectors, words, terms, o);
    return 0;
  }
  // Interactive / batch: one query per line until EOF.
  const bool tty = ::isatty(0);
  int failures = 0;
  common::LineReader queries(std::cin, "standard input");
  std::string line;
  for (;;) {
    if (tty) std::fprintf(stderr, analogy ? "A B C> " : "word(s)> ");
    if (!queries.next(line)) break;
    const std::vector<std::string> q = common::split_ws(line);
    if (q.empty()) continue;
    if (!tty && !o.json) std::printf("# %s\n", line.c_str());
    try {
      run(vectors, words, q, o);
    } catch (const common::InputError& e) {
      std::fprintf(stderr, "wordlens %s: error: %s\n", name, e.what());  // marked as main marks errors
      ++failures;
    }
    std::fflush(stdout);
  }
  if (tty) std::fprintf(stderr, "\n");
  return failures && !tty ? 1 : 0;
}

}  // namespace

int cmd_similar(int argc, char** argv) {
  return query_command(argc, argv, "similar",
                       "usage: wordlens similar VECTORS [WORD | +WORD | -WORD ...] [--top 10] [--json]\n\n"
                       "Nearest neighbours by cosine. Several words are combined as gensim's most_similar\n"
                       "(+word adds, -word subtracts). Without words, reads one query per line from stdin.\n"
                       "Vectors of BPE tokens (train --tokenizer) print their tokens readable (\xC4\xA0\xD1\x80\xD0\xB0\xD0\xBC\xD0\xB0, not\n"
                       "\xC4\xA0\xC3\x91\xC4\xA2\xC3\x90\xC2\xB0\xC3\x90\xC2\xBC\xC3\x90\xC2\xB0); a query may use either form.\n"
                       "Query words are normalised as the vectors' text was (one token each; see VECTORS.json).\n"
                       "Options start with two dashes (--top 5, --json; an unknown --option is an error) or are\n"
                       "-k N and -h; any other argument starting with one dash is a word to subtract (-man). A word\n"
                       "spelled like an option (-top) is refused as a likely typo; words after -- are always words.\n\noptions",
                       run_similar, false);
}

int cmd_analogy(int argc, char** argv) {
  return query_command(argc, argv, "analogy",
                       "usage: wordlens analogy VECTORS [A B C] [--top 10] [--method add|mul] [--json]\n\n"
                       "\"A is to B as C is to ?\" by 3CosAdd (b - a + c) or 3CosMul; A, B and C are\n"
                       "never answers. Without words, reads one 'A B C' query per line from stdin.\n"
                       "Query words are normalised as the vectors' text was (one token each; see VECTORS.json).\n"
                       "Options start with two dashes (--top 5; an unknown --option is an error) or are -k N and -h.\n"
                       "--json: one object per query; 3CosMul results carry \"score\" instead of \"cosine\".\n\noptions",
                       run_analogy, true);
}

}  // namespace cli
