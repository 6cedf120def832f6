#include "cli/normalizer_options.h"

namespace po = boost::program_options;

namespace cli {

void add_normalizer_options(po::options_description& desc, NormalizerFlags& f) {
  po::options_description group("normalisation (tokens of any script; see wordlens normalize --help)");
  // clang-format off
  group.add_options()
    ("case", po::value(&f.case_mode)->default_value(f.case_mode), "lower (default), fold (full case folding: Straße -> strasse) or keep")
    ("keep-accents", po::bool_switch(&f.keep_accents), "keep combining acute/grave accents (default: strip stress marks, за́мок -> замок)")
    ("yo-to-e", po::bool_switch(&f.yo_to_e), "write ё as е (and Ё as Е)")
    ("keep-hyphens", po::bool_switch(&f.keep_hyphens), "a hyphen between two letters joins them (из-за, well-known)");
  // clang-format on
  desc.add(group);
}

tok::NormalizerOptions normalizer_options(const NormalizerFlags& f) {
  tok::NormalizerOptions o;
  o.case_mode = tok::parse_case_mode(f.case_mode, "--case");
  o.strip_accents = !f.keep_accents;
  o.yo_to_e = f.yo_to_e;
  o.keep_hyphens = f.keep_hyphens;
  o.validate();
  return o;
}

tok::NormalizerRequest normalizer_request(const NormalizerFlags& f, const po::variables_map& vm) {
  tok::NormalizerRequest r;
  r.options = normalizer_options(f);
  for (const char* name : {"case", "keep-accents", "yo-to-e", "keep-hyphens"})
    if (vm.count(name) && !vm[name].defaulted()) r.given.push_back(std::string("--") + name);
  return r;
}

}  // namespace cli
