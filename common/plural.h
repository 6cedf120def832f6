// A count with its noun in the right number: "1 line", "0 lines", "2 lines".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace common {

inline std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace common
