// Whether two paths name the same file (same device and inode, so './c.txt',
// 'c.txt' and a hard link all match), and the check every command runs
// before writing: no output may be one of its own inputs.
#pragma once

#include <string>
#include <vector>

namespace common {

// True if both paths exist and are the same file.
bool same_file(const std::string& a, const std::string& b);

struct NamedPath {
  std::string option;  // "-output", "--input", ... as the user typed it
  std::string path;
};

// Throws OptionError if an output is the same file as an input (it would be
// replaced, losing the input) or as another output. Empty paths and "-"
// (stdin/stdout) are skipped.
void check_outputs_distinct(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs);

}  // namespace common
