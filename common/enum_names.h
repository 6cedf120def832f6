// Settings as types: a table of (enum value, spelling) pairs per enum, and
// the three things done with it — spell a value, list the valid spellings,
// parse a spelling (once, where text comes in: argv, a file's metadata).
//
//   constexpr common::EnumNames<Pooling, 2> kPoolings{{{Pooling::kMean, "mean"}, {Pooling::kCls, "cls"}}};
//   Pooling p = common::parse_enum(kPoolings, "cls", "--pooling");
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "common/errors.h"

namespace common {

template <class E, std::size_t N>
using EnumNames = std::array<std::pair<E, std::string_view>, N>;

template <class E, std::size_t N>
std::string_view enum_name(const EnumNames<E, N>& names, E value) {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return "?";
}

// "gelu, relu": the valid spellings, for help texts and errors.
template <class E, std::size_t N>
std::string enum_list(const EnumNames<E, N>& names) {
  std::string out;
  for (const auto& [v, name] : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

// The value spelled `text`; anything else throws OptionError
// "WHAT: 'TEXT' is not one of a, b, c" (what: e.g. "--activation").
template <class E, std::size_t N>
E parse_enum(const EnumNames<E, N>& names, std::string_view text, std::string_view what) {
  for (const auto& [v, name] : names)
    if (name == text) return v;
  throw OptionError(std::string(what) + ": '" + std::string(text) + "' is not one of " + enum_list(names));
}

}  // namespace common
