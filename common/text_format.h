// Small formatting helpers for messages and files: counted nouns ("1
// sentence", "2 sentences"), the shortest text of a float that reads back as
// the same float ("5e-4", not "0.000500000024"), and the default thread count.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace common {

// "1 sentence", "0 sentences", "12 sentences": n and the singular or plural.
std::string plural(std::size_t n, std::string_view one, std::string_view many);

// The shortest decimal text that reads back (strtof / strtod) as exactly v:
// std::to_chars' shortest form with the exponent unpadded: 5e-4f -> "5e-4",
// 1e-5f -> "1e-5", 0.025 -> "0.025", 2.0 -> "2", 1e20 -> "1e20".
std::string shortest(float v);
std::string shortest(double v);

// Worker threads when the user names none: the cores this process may use
// (sched_getaffinity, else std::thread::hardware_concurrency), at least 1.
int default_threads();

}  // namespace common
