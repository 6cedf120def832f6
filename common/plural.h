// "1 line", "2 lines": a count with the right form of its noun.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace common {

inline std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace common
