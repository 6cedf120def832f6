// Small pieces shared by the subcommands: option parsing with --help, and
// reading lines of integer token ids.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

namespace cli {

// Parses argv into vm (optionally with positional arguments). Prints the
// help and returns false when --help was given.
bool parse_options(int argc, char** argv, const boost::program_options::options_description& desc,
                   boost::program_options::variables_map& vm,
                   const boost::program_options::positional_options_description* pos = nullptr);

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
