#include "common/file_identity.h"

#include <sys/stat.h>

#include "common/errors.h"

namespace common {

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa{}, sb{};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

namespace {

bool real(const NamedPath& p) { return !p.path.empty() && p.path != "-"; }

// Same file on disk, or (for outputs not written yet) the same string.
bool clash(const NamedPath& a, const NamedPath& b) { return a.path == b.path || same_file(a.path, b.path); }

}  // namespace

void check_outputs_distinct(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const auto& out = outputs[i];
    if (!real(out)) continue;
    for (const auto& in : inputs)
      if (real(in) && clash(out, in))
        throw OptionError(out.option + " '" + out.path + "' is the same file as " + in.option + " '" + in.path +
                          "': writing it would destroy the input (choose another output path)");
    for (std::size_t j = i + 1; j < outputs.size(); ++j)
      if (real(outputs[j]) && clash(out, outputs[j]))
        throw OptionError(out.option + " and " + outputs[j].option + " name the same file '" + out.path + "'");
  }
}

}  // namespace common
