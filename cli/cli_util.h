// Small pieces shared by the subcommands: option parsing with --help, and
// reading lines of integer token ids.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/program_options.hpp>

#include "common/text_format.h"

namespace cli {

// Parses argv into vm (optionally with positional arguments). Prints the
// help and returns false when --help was given.
bool parse_options(int argc, char** argv, const boost::program_options::options_description& desc,
                   boost::program_options::variables_map& vm,
                   const boost::program_options::positional_options_description* pos = nullptr);

// po::value(target) with *target as its default, shown by --help in the
// shortest form that reads back as the same number ("0.0005", "1e-05", not
// "0.000500000024": boost prints floating point with 17 digits).
template <class T>
boost::program_options::typed_value<T>* value_default(T* target) {
  auto* v = boost::program_options::value(target);
  if constexpr (std::is_floating_point_v<T>) return v->default_value(*target, common::shortest(*target));
  else return v->default_value(*target);
}

// po::value(threads) whose default is common::default_threads() (the
// cores), shown by --help as "N: the cores".
boost::program_options::typed_value<int>* threads_value(int* threads);

// One verb of a command with verbs (bpe train, encoder init, ...).
struct Verb {
  const char* name;
  int (*run)(int, char**);
  const char* summary;
};

// Runs the verb named by argv[1] with argv shifted by one; with no verb or
// --help prints "usage: wordlens COMMAND v1|v2 [options]" and each verb's
// summary (exit 2 without a verb, 0 for --help); an unknown verb is an
// OptionError naming the valid ones.
int run_verb(const char* command, int argc, char** argv, std::initializer_list<Verb> verbs);

// Parses one line of whitespace-separated integer ids. Throws
// common::InputError "WHERE: ..." for a non-integer or an id outside
// [0, vocab) (vocab 0 = no upper bound).
std::vector<std::int32_t> parse_id_line(std::string_view line, std::size_t vocab, const std::string& where);

}  // namespace cli
