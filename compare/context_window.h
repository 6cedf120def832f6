// The words around a target: static_window's input in WiC and WSI (the mean
// word vector of the words within ±window of the target, the target
// included).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace cmp {

// For each sentence, its words within ±window of position pos[i] (clipped
// to the sentence).
std::vector<std::vector<std::string>> context_windows(const std::vector<std::vector<std::string>>& sentences,
                                                      const std::vector<std::size_t>& pos, std::size_t window);

}  // namespace cmp
