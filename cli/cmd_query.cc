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
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "common/display_width.h"
#include "cli/normalizer_options.h"
#include "common/enum_names.h"
#include "common/errors.h"
#include "common/line_reader.h"
#include "common/text_fields.h"
#include "tokenizer/readable_token.h"
#include "tokenizer/byte_unicode.h"
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
  std::size_t k = 10;
  std::size_t limit = 0;
  std::size_t restrict = 0;
  std::string method_text = "add";
  AnalogyMethod method = AnalogyMethod::kAdd;
  bool timing = false;
  bool as_given = false;  // --no-normalize
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

 private:
  std::optional<tok::Normalizer> norm_;
};

// Splits argv so that query terms such as "-man" are not taken for options:
// anything starting with '-' that is not one of `known` (or its value) is a term.
std::pair<std::vector<std::string>, std::vector<std::string>> split_terms(int argc, char** argv,
                                                                          const std::vector<std::string>& with_value,
                                                                          const std::vector<std::string>& flags) {
  std::vector<std::string> opts, terms;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto name = a.substr(0, a.find('='));
    bool valued = std::find(with_value.begin(), with_value.end(), name) != with_value.end();
    bool flag = std::find(flags.begin(), flags.end(), name) != flags.end();
    if (valued) {
      opts.push_back(a);
      if (a.find('=') == std::string::npos && i + 1 < argc) opts.push_back(argv[++i]);
    } else if (flag) {
      opts.push_back(a);
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

void print_hits(const Vectors& v, const std::vector<common::Hit>& hits) {
  std::size_t width = 4;
  for (const auto& h : hits) width = std::max(width, common::display_width(v.shown(h.id)));
  for (std::size_t i = 0; i < hits.size(); ++i)
    std::printf("%4zu  %s  %.4f\n", i + 1, common::pad_right(v.shown(hits[i].id), width).c_str(),
                static_cast<double>(hits[i].score));
}

std::int32_t lookup(const Vectors& v, QueryWords& q, const std::string& term) {
  const std::string w = q.word(term);
  auto id = v.index.find(w);
  if (id < 0) {
    const auto it = v.by_readable.find(w);  // BPE tokens: their readable form
    if (it != v.by_readable.end()) return it->second;
    throw common::InputError("'" + w + "'" + (w == term ? "" : " (from '" + term + "')") + " is not in the vocabulary (" +
                             std::to_string(v.index.size()) + " words)");
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
  auto hits = v.index.most_similar(pos, neg, o.k, o.restrict);
  auto us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  print_hits(v, hits);
  if (o.timing) std::fprintf(stderr, "query time: %.3f ms\n", us / 1000);
}

void run_analogy(const Vectors& v, QueryWords& q, const std::vector<std::string>& terms, const QueryOptions& o) {
  if (terms.size() != 3) throw common::InputError("an analogy needs three words: A B C (A is to B as C is to ?)");
  std::int32_t a = lookup(v, q, terms[0]), b = lookup(v, q, terms[1]), c = lookup(v, q, terms[2]);
  const std::int32_t pos[2] = {b, c}, neg[1] = {a};
  auto hits = o.method == AnalogyMethod::kMul ? v.index.most_similar_cosmul(pos, neg, o.k, o.restrict)
                                              : v.index.most_similar(pos, neg, o.k, o.restrict);
  print_hits(v, hits);
}

using Runner = void (*)(const Vectors&, QueryWords&, const std::vector<std::string>&, const QueryOptions&);

int query_command(int argc, char** argv, const char* name, const char* usage, Runner run, bool analogy) {
  QueryOptions o;
  po::options_description desc(usage);
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("k,k", po::value(&o.k)->default_value(o.k), "number of results")
    ("limit", po::value(&o.limit)->default_value(0), "load only the N first (most frequent) words (0 = all)")
    ("restrict", po::value(&o.restrict)->default_value(0), "search only the N most frequent words (0 = all)")
    ("timing", po::bool_switch(&o.timing), "print each query's time (after loading) to stderr")
    ("no-normalize", po::bool_switch(&o.as_given), "look query words up exactly as given (vectors of other tools: capitals, phrases)");
  if (analogy) desc.add_options()("method", po::value(&o.method_text)->default_value("add"), "add (3CosAdd) or mul (3CosMul)");
  // clang-format on
  NormalizerFlags nf;
  add_normalizer_options(desc, nf);
  auto [opts, terms] = split_terms(argc, argv, {"-k", "--k", "--limit", "--restrict", "--method", "--case"},
                                   {"-h", "--help", "--timing", "--no-normalize", "--keep-accents", "--yo-to-e", "--keep-hyphens"});
  po::variables_map vm;
  po::store(po::command_line_parser(opts).options(desc).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << desc;
    return 0;
  }
  if (terms.empty()) throw common::OptionError(std::string("give the vectors file: wordlens ") + name + " VECTORS ...");
  if (o.k == 0) throw common::OptionError("-k must be at least 1");
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
    if (!tty) std::printf("# %s\n", line.c_str());
    try {
      run(vectors, words, q, o);
    } catch (const common::InputError& e) {
      std::fprintf(stderr, "wordlens %s: %s\n", name, e.what());
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
                       "usage: wordlens similar VECTORS [WORD | +WORD | -WORD ...] [-k 10]\n\n"
                       "Nearest neighbours by cosine. Several words are combined as gensim's most_similar\n"
                       "(+word adds, -word subtracts). Without words, reads one query per line from stdin.\n"
                       "Vectors of BPE tokens (train --tokenizer) print their tokens readable (\xC4\xA0\xD1\x80\xD0\xB0\xD0\xBC\xD0\xB0, not\n"
                       "\xC4\xA0\xC3\x91\xC4\xA2\xC3\x90\xC2\xB0\xC3\x90\xC2\xBC\xC3\x90\xC2\xB0); a query may use either form.\n"
                       "Query words are normalised as the vectors' text was (one token each; see VECTORS.json).\n\noptions",
                       run_similar, false);
}

int cmd_analogy(int argc, char** argv) {
  return query_command(argc, argv, "analogy",
                       "usage: wordlens analogy VECTORS [A B C] [-k 10] [--method add|mul]\n\n"
                       "\"A is to B as C is to ?\" by 3CosAdd (b - a + c) or 3CosMul; A, B and C are\n"
                       "never answers. Without words, reads one 'A B C' query per line from stdin.\n"
                       "Query words are normalised as the vectors' text was (one token each; see VECTORS.json).\n\noptions",
                       run_analogy, true);
}

}  // namespace cli
