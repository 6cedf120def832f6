#include "tokenizer/normalizer_choice.h"

#include "common/errors.h"

namespace tok {

namespace {

// Whether a and b agree on the setting --flag controls.
bool same_setting(const NormalizerOptions& a, const NormalizerOptions& b, const std::string& flag) {
  if (flag == "--case") return a.case_mode == b.case_mode;
  if (flag == "--keep-accents") return a.strip_accents == b.strip_accents;
  if (flag == "--yo-to-e") return a.yo_to_e == b.yo_to_e;
  if (flag == "--keep-hyphens") return a.keep_hyphens == b.keep_hyphens;
  throw common::OptionError("unknown normalisation option " + flag);
}

}  // namespace

std::string given_value(const NormalizerOptions& o, const std::string& flag) {
  if (flag == "--case") return "--case " + std::string(to_string(o.case_mode));
  return flag;
}

NormalizerOptions choose_normalizer(const NormalizerRequest& request, const std::vector<NormalizerRecord>& records) {
  const NormalizerRecord* chosen = nullptr;
  for (const auto& r : records) {
    if (!r.options) continue;
    if (!chosen) {
      chosen = &r;
      continue;
    }
    if (!(*r.options == *chosen->options))
      throw common::OptionError(chosen->source + " was made with the normaliser '" + chosen->options->spec() + "', " + r.source +
                                " with '" + r.options->spec() + "': give files made from the same normalised text");
  }
  if (!chosen) return request.options;
  for (const auto& flag : request.given)
    if (!same_setting(request.options, *chosen->options, flag))
      throw common::OptionError(given_value(request.options, flag) + " disagrees with the normaliser recorded in " + chosen->source +
                                " ('" + chosen->options->spec() + "'; asked for '" + request.options.spec() +
                                "'): leave the option out, text is normalised as the recorded training text was");
  return *chosen->options;
}

}  // namespace tok
