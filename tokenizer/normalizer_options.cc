// NormalizerOptions as one line of text (spec) and back: what model files
// record and what is compared at query time.
#include <sstream>

#include "common/enum_names.h"
#include "tokenizer/normalizer.h"

namespace tok {

namespace {

constexpr std::string_view kMagic = "wordlens-normalizer";
constexpr std::string_view kVersion = "1";

constexpr common::EnumNames<CaseMode, 3> kCaseModes{
    {{CaseMode::kLower, "lower"}, {CaseMode::kFold, "fold"}, {CaseMode::kKeep, "keep"}}};
constexpr common::EnumNames<bool, 2> kAccents{{{true, "strip"}, {false, "keep"}}};
constexpr common::EnumNames<bool, 2> kYo{{{true, "e"}, {false, "keep"}}};
constexpr common::EnumNames<bool, 2> kHyphens{{{true, "keep"}, {false, "split"}}};

}  // namespace

std::string_view to_string(CaseMode m) { return common::enum_name(kCaseModes, m); }

CaseMode parse_case_mode(std::string_view text, std::string_view what) { return common::parse_enum(kCaseModes, text, what); }

std::string NormalizerOptions::spec() const {
  std::string s(kMagic);
  s += ' ';
  s += kVersion;
  s += " case=" + std::string(to_string(case_mode));
  s += " accents=" + std::string(common::enum_name(kAccents, strip_accents));
  s += " yo=" + std::string(common::enum_name(kYo, yo_to_e));
  s += " hyphens=" + std::string(common::enum_name(kHyphens, keep_hyphens));
  return s;
}

NormalizerOptions NormalizerOptions::from_spec(const std::string& spec, const std::string& where) {
  auto bad = [&](const std::string& why) {
    return common::FormatError(where + ": normaliser '" + spec + "' " + why + " (expected e.g. '" +
                               NormalizerOptions{}.spec() + "')");
  };
  std::istringstream in(spec);
  std::string magic, version, field;
  in >> magic >> version;
  if (magic != kMagic) throw bad("is not a wordlens normaliser");
  if (version != kVersion) throw bad("has version '" + version + "', this wordlens reads version " + std::string(kVersion));
  NormalizerOptions o;
  bool seen[4] = {false, false, false, false};
  const char* keys[4] = {"case", "accents", "yo", "hyphens"};
  while (in >> field) {
    const auto eq = field.find('=');
    const std::string key = field.substr(0, eq), value = eq == std::string::npos ? "" : field.substr(eq + 1);
    int k = 0;
    while (k < 4 && key != keys[k]) ++k;
    if (k == 4 || eq == std::string::npos) throw bad("has an unknown field '" + field + "'");
    if (seen[k]) throw bad("names '" + key + "' twice");
    seen[k] = true;
    try {
      if (k == 0) o.case_mode = common::parse_enum(kCaseModes, value, key);
      if (k == 1) o.strip_accents = common::parse_enum(kAccents, value, key);
      if (k == 2) o.yo_to_e = common::parse_enum(kYo, value, key);
      if (k == 3) o.keep_hyphens = common::parse_enum(kHyphens, value, key);
    } catch (const common::OptionError& e) {
      throw bad(std::string("is damaged: ") + e.what());
    }
  }
  for (int k = 0; k < 4; ++k)
    if (!seen[k]) throw bad(std::string("lacks '") + keys[k] + "'");
  return o;
}

}  // namespace tok
