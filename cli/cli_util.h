// Small pieces shared by the subcommands: option parsing with --help, and
// reading lines of integer token ids.
#pragma once

#include <cstdint>
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

// Parses one line of whitespace-separated integer ids. Throws
// common::InputError "WHERE: ..." for a non-integer or an id outside
// [0, vocab) (vocab 0 = no upper bound).
std::vector<std::int32_t> parse_id_line(std::string_view line, std::size_t vocab, const std::string& where);

}  // namespace cli
