#include "cli/cli_util.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <iostream>

#include "common/errors.h"

namespace po = boost::program_options;

namespace cli {

bool parse_options(int argc, char** argv, const po::options_description& desc, po::variables_map& vm,
                   const po::positional_options_description* pos) {
  po::command_line_parser parser(argc, argv);
  parser.options(desc);
  if (pos) parser.positional(*pos);
  po::store(parser.run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << desc;
    return false;
  }
  return true;
}

po::typed_value<int>* threads_value(int* threads) {
  *threads = common::default_threads();
  return po::value(threads)->default_value(*threads, std::to_string(*threads) + ": the cores");
}

std::vector<std::int32_t> parse_id_line(std::string_view line, std::size_t vocab, const std::string& where) {
  std::vector<std::int32_t> ids;
  const char* p = line.data();
  const char* end = p + line.size();
  while (p < end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
    if (p == end) break;
    long long v = 0;
    auto r = std::from_chars(p, end, v);
    if (r.ec != std::errc() || (r.ptr < end && *r.ptr != ' ' && *r.ptr != '\t' && *r.ptr != '\r'))
      throw common::InputError(where + ": expected integer token ids separated by spaces");
    if (v < 0 || (vocab > 0 && static_cast<unsigned long long>(v) >= vocab))
      throw common::InputError(where + ": token id " + std::to_string(v) + " is outside the vocabulary (size " +
                               std::to_string(vocab) + ")");
    ids.push_back(static_cast<std::int32_t>(v));
    p = r.ptr;
  }
  return ids;
}

int run_verb(const char* command, int argc, char** argv, std::initializer_list<Verb> verbs) {
  const std::string sub = argc > 1 ? argv[1] : "";
  for (const auto& v : verbs)
    if (sub == v.name) return v.run(argc - 1, argv + 1);
  std::string names, list;
  std::size_t width = 0;
  for (const auto& v : verbs) width = std::max(width, std::string_view(v.name).size());
  for (const auto& v : verbs) {
    names += (names.empty() ? "" : "|") + std::string(v.name);
    list += "  " + std::string(v.name) + std::string(width + 2 - std::string_view(v.name).size(), ' ') + v.summary + "\n";
  }
  if (sub.empty() || sub == "-h" || sub == "--help") {
    std::printf("usage: wordlens %s %s [options]   (--help on each)\n\n%s", command, names.c_str(), list.c_str());
    return sub.empty() ? 2 : 0;
  }
  std::string valid = names;
  for (std::size_t i; (i = valid.find('|')) != std::string::npos;) valid.replace(i, 1, ", ");
  throw common::OptionError("unknown " + std::string(command) + " command '" + sub + "' (one of " + valid + ")");
}

}  // namespace cli
