#include "compare/context_window.h"

#include <algorithm>

namespace cmp {

std::vector<std::vector<std::string>> context_windows(const std::vector<std::vector<std::string>>& sentences,
                                                      const std::vector<std::size_t>& pos, std::size_t window) {
  std::vector<std::vector<std::string>> out;
  out.reserve(sentences.size());
  for (std::size_t i = 0; i < sentences.size(); ++i) {
    const auto& s = sentences[i];
    const std::size_t lo = pos[i] > window ? pos[i] - window : 0, hi = std::min(s.size(), pos[i] + window + 1);
    out.emplace_back(s.begin() + static_cast<std::ptrdiff_t>(std::min(lo, hi)), s.begin() + static_cast<std::ptrdiff_t>(hi));
  }
  return out;
}

}  // namespace cmp
