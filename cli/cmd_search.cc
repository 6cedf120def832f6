// wordlens search: the lines of one or more indexes (wordlens index) nearest
// to a query, side by side.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "common/display_width.h"
#include "common/errors.h"
#include "common/line_reader.h"
#include "compare/sentence_search.h"

namespace po = boost::program_options;

namespace cli {

namespace {

struct SearchOptions {
  std::vector<std::string> indexes, queries;
  std::size_t k = 10, width = 60;
  bool json = false, timing = false;
  cmp::SearchFiles files;
  void validate() const {
    if (indexes.empty()) throw common::OptionError("give an index: wordlens search INDEX... [--query TEXT]");
    if (k == 0) throw common::OptionError("--top must be at least 1");
    if (width < 8) throw common::OptionError("--width must be at least 8 columns");
    if (files.threads < 1) throw common::OptionError("--threads must be at least 1");
  }
};

struct Result {
  std::vector<common::Hit> hits;
  std::vector<std::string> texts;
  bool known = true;  // false: the query has no known token
};

using Searches = std::vector<std::unique_ptr<cmp::SentenceSearch>>;

Result run_one(cmp::SentenceSearch& s, const std::string& query, const SearchOptions& o) {
  Result r;
  const auto t0 = std::chrono::steady_clock::now();
  common::AlignedFloats q;
  r.known = s.embed_query(query, &q);
  const auto t1 = std::chrono::steady_clock::now();
  if (r.known) r.hits = s.nearest(q.data(), o.k);
  const auto t2 = std::chrono::steady_clock::now();
  if (o.timing)
    std::fprintf(stderr, "query time: %.3f ms (embed %.3f ms, search %.3f ms) %s\n",
                 std::chrono::duration<double, std::milli>(t2 - t0).count(),
                 std::chrono::duration<double, std::milli>(t1 - t0).count(),
                 std::chrono::duration<double, std::milli>(t2 - t1).count(), s.path().c_str());
  for (const auto& h : r.hits) r.texts.push_back(s.line(h.id));
  return r;
}

// Tabs and other control bytes as spaces, so columns stay aligned.
std::string printable(std::string s) {
  for (auto& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return s;
}

void print_json(const std::string& query, const std::vector<Result>& results, const SearchOptions& o) {
  nlohmann::ordered_json j, per;
  j["query"] = query;
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto list = nlohmann::ordered_json::array();
    for (std::size_t r = 0; r < results[i].hits.size(); ++r)
      list.push_back({{"line", results[i].hits[r].id + 1}, {"score", results[i].hits[r].score}, {"text", results[i].texts[r]}});
    per[o.indexes[i]] = list;
  }
  j["results"] = per;
  std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

// One column per index: "score  line  text", texts cut to o.width columns.
void print_table(const std::vector<Result>& results, const SearchOptions& o) {
  std::size_t rows = 0, line_w = 4;
  for (const auto& r : results) {
    rows = std::max(rows, r.hits.size());
    for (const auto& h : r.hits) line_w = std::max(line_w, std::to_string(h.id + 1).size());
  }
  std::vector<std::size_t> text_w(results.size(), 0);  // the widest shown text per column
  for (std::size_t i = 0; i < results.size(); ++i)
    for (const auto& t : results[i].texts) text_w[i] = std::max(text_w[i], common::display_width(common::cut_to_width(printable(t), o.width)));
  const std::size_t col_w = 6 + 2 + line_w + 2;
  std::string head = "    ";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const std::string name = results[i].known ? o.indexes[i] : o.indexes[i] + " (no known word in the query)";
    head += (i ? " | " : "") + common::pad_right(common::cut_to_width(name, col_w + text_w[i]), i + 1 < results.size() ? col_w + text_w[i] : 0);
  }
  std::printf("%s\n", head.c_str());
  for (std::size_t r = 0; r < rows; ++r) {
    std::string row = common::pad_left(std::to_string(r + 1), 2) + "  ";
    for (std::size_t i = 0; i < results.size(); ++i) {
      std::string cell;
      if (r < results[i].hits.size()) {
        char num[64];
        std::snprintf(num, sizeof num, "%6.4f  %s  ", static_cast<double>(results[i].hits[r].score),
                      common::pad_left(std::to_string(results[i].hits[r].id + 1), line_w).c_str());
        cell = num + common::cut_to_width(printable(results[i].texts[r]), o.width);
      }
      row += (i ? " | " : "") + common::pad_right(cell, i + 1 < results.size() ? col_w + text_w[i] : 0);
    }
    while (!row.empty() && row.back() == ' ') row.pop_back();
    std::printf("%s\n", row.c_str());
  }
}

void run_query(Searches& searches, const std::string& query, const SearchOptions& o, bool header) {
  std::vector<Result> results;
  for (auto& s : searches) results.push_back(run_one(*s, query, o));
  if (o.json) return print_json(query, results, o);
  if (header) std::printf("# %s\n", query.c_str());
  print_table(results, o);
}

}  // namespace

int cmd_search(int argc, char** argv) {
  SearchOptions o;
  po::options_description desc(
      "usage: wordlens search INDEX... [--query TEXT] [--top 10] [--json]\n\n"
      "The lines of each INDEX (built by `wordlens index`) nearest to the query by cosine, exactly\n"
      "(BLAS; an fp16 scan then float32 rescoring on large indexes). The query is embedded as the\n"
      "lines were: the same method, encoder layer, normaliser and files (their fingerprints are\n"
      "checked; a model or vectors other than the index's are refused), for sif and encoder-sif the\n"
      "index's first component removed.\n"
      "Several indexes (say avg and encoder-mean) are printed side by side. Without --query, one\n"
      "query per line of stdin (interactive on a terminal). --json: one object per query,\n"
      "{\"query\": Q, \"results\": {INDEX: [{\"line\": N, \"score\": S, \"text\": T}, ...]}}, lines counted from 1.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("index", po::value(&o.indexes)->multitoken(), "index files (also given as the first arguments)")
    ("query,q", po::value(&o.queries), "the query text (may be repeated); without it, queries are read from stdin")
    ("top,k", po::value(&o.k)->default_value(o.k), "number of lines per index")
    ("json", po::bool_switch(&o.json), "one JSON object per query on stdout")
    ("width", po::value(&o.width)->default_value(o.width), "cut shown lines to this many columns (--json: full text)")
    ("vectors", po::value(&o.files.vectors), "the index's vectors file, if it moved (its fingerprint must match)")
    ("vocab", po::value(&o.files.vocab), "the index's word counts (sif), if they moved")
    ("model", po::value(&o.files.model), "the index's encoder, if it moved")
    ("tokenizer", po::value(&o.files.tokenizer), "the index's BPE model, if it moved")
    ("source", po::value(&o.files.source), "the indexed text file, if it moved (its fingerprint must match)")
    ("threads", threads_value(&o.files.threads), "threads (encoder queries)")
    ("timing", po::bool_switch(&o.timing), "print each query's time per index (after loading) to stderr");
  // clang-format on
  po::positional_options_description pos;
  pos.add("index", -1);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm, &pos)) return 0;
  o.validate();
  Searches searches;
  for (const auto& path : o.indexes) searches.push_back(std::make_unique<cmp::SentenceSearch>(path, o.files));
  if (!o.queries.empty()) {
    for (const auto& q : o.queries) run_query(searches, q, o, o.queries.size() > 1);
    return 0;
  }
  const bool tty = ::isatty(0);
  int failures = 0;
  common::LineReader in(std::cin, "standard input");
  for (std::string line;;) {
    if (tty) std::fprintf(stderr, "query> ");
    if (!in.next(line)) break;
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    try {
      run_query(searches, line, o, !tty);
    } catch (const common::InputError& e) {
      std::fprintf(stderr, "wordlens search: %s\n", e.what());
      ++failures;
    }
    std::fflush(stdout);
  }
  if (tty) std::fprintf(stderr, "\n");
  return failures && !tty ? 1 : 0;
}

}  // namespace cli
