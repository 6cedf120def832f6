// Whether two paths name the same file (same device and inode, so './c.txt',
// 'c.txt' and a hard link all match), and the check every command runs
// before writing: no output may be one of its own inputs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace common {

// Identifies a file by content, not name: "B bytes, content hash H" (its
// size and a hash of blocks spread over it, as CorpusFiles::fingerprint), so
// that an index or a checkpoint can tell whether a file it was made from has
// been replaced. InputError if the file cannot be read or is empty.
std::string content_fingerprint(const std::string& path);

// Mixes into h the size of the open file fd and a hash of 64 blocks of 4 KiB
// spread evenly over it (the whole file when it is smaller). InputError
// naming path if it cannot be read.
std::uint64_t hash_file_blocks(int fd, std::uint64_t size, const std::string& path, std::uint64_t h);

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
