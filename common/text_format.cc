#include "common/text_format.h"

#include <sched.h>

#include <charconv>
#include <thread>

namespace common {

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

namespace {

template <class T>
std::string shortest_text(T v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  std::string s(buf, r.ptr);
  const std::size_t e = s.find('e');  // "1e-05" -> "1e-5", "1e+20" -> "1e20"
  if (e != std::string::npos) {
    std::size_t digits = e + 1;
    if (s[digits] == '+') s.erase(digits, 1);
    else if (s[digits] == '-') ++digits;
    while (digits + 1 < s.size() && s[digits] == '0') s.erase(digits, 1);
  }
  return s;
}

}  // namespace

std::string shortest(float v) { return shortest_text(v); }
std::string shortest(double v) { return shortest_text(v); }

int default_threads() {
  cpu_set_t set;  // the cores this process may run on (taskset, cgroup cpusets)
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

}  // namespace common
