// wordlens normalize: raw text in any language -> one sentence per line,
// tokens separated by one space (what `train` reads).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "common/text_format.h"
#include "cli/normalizer_options.h"
#include "cli/progress_line.h"
#include "cli/stop_signal.h"
#include "common/atomic_file.h"
#include "common/errors.h"
#include "common/file_identity.h"
#include "common/stop_request.h"
#include "tokenizer/normalize_text.h"

namespace po = boost::program_options;

namespace cli {

namespace {

struct NormalizeCli {
  std::string output, paragraphs = "blank";
  NormalizerFlags norm;
  bool json = false, quiet = false;
  double progress_every = 10;
};

po::options_description normalize_description(tok::NormalizeTextOptions& o, NormalizeCli& c) {
  po::options_description desc(
      "usage: wordlens normalize --input RAW.txt --output CORPUS.txt [options]   (- = stdin / stdout)\n\n"
      "Raw UTF-8 text in any language -> one sentence per line, tokens separated by one space: the\n"
      "form `wordlens train` reads. Paragraphs (--paragraphs blank: consecutive non-blank lines joined,\n"
      "up to 1 MiB; line: every line) are split into sentences at UAX #29 sentence boundaries, and\n"
      "each sentence into tokens: runs of letters, marks and digits with one apostrophe suffix\n"
      "(don't), split at UAX #29 word boundaries in scripts written without spaces (Chinese,\n"
      "Japanese, Thai), NFKC-normalised, lowercased, stress accents stripped; punctuation, symbols\n"
      "and emoji are dropped, and so are sentences left empty. English ASCII text comes out exactly\n"
      "as the benchmark corpus was made: tokens [a-z0-9]+('[a-z]+)?. Blocks of paragraphs are\n"
      "normalised in parallel and written in input order (the same output for any --threads).\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("input", po::value(&o.input), "raw text, or - for standard input")
    ("output", po::value(&c.output), "the normalised text (written atomically), or - for standard output")
    ("paragraphs", po::value(&c.paragraphs)->default_value(c.paragraphs), "blank: lines up to a blank line form a paragraph; line: every line is one")
    ("threads", threads_value(&o.threads), "threads")
    ("json", po::bool_switch(&c.json), "print the summary as one JSON object")
    ("quiet", po::bool_switch(&c.quiet), "no progress and no summary")
    ("progress-every", value_default(&c.progress_every), "seconds between progress lines when stderr is not a terminal");
  // clang-format on
  add_normalizer_options(desc, c.norm);
  return desc;
}

void print_summary(std::FILE* to, const tok::NormalizeTextStats& s, const std::string& output, bool json) {
  if (json) {
    nlohmann::ordered_json j{{"lines", s.lines},         {"paragraphs", s.paragraphs}, {"sentences", s.sentences},
                             {"tokens", s.tokens},       {"bytes", s.bytes},           {"seconds", s.seconds},
                             {"output", output}};
    std::fprintf(to, "%s\n", j.dump().c_str());
    return;
  }
  std::fprintf(to, "lines read        %llu (%s)\n", static_cast<unsigned long long>(s.lines),
               common::plural(s.paragraphs, "paragraph", "paragraphs").c_str());
  std::fprintf(to, "sentences written %llu\n", static_cast<unsigned long long>(s.sentences));
  std::fprintf(to, "tokens            %llu\n", static_cast<unsigned long long>(s.tokens));
  std::fprintf(to, "wall time         %.2f s (%.1f MB/s)\n", s.seconds,
               s.seconds > 0 ? static_cast<double>(s.bytes) / 1e6 / s.seconds : 0.0);
  std::fprintf(to, "output written    %s\n", output == "-" ? "standard output" : output.c_str());
}

}  // namespace

int cmd_normalize(int argc, char** argv) {
  tok::NormalizeTextOptions o;
  o.input.clear();
  NormalizeCli c;
  const auto desc = normalize_description(o, c);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  if (o.input.empty() || c.output.empty()) throw common::OptionError("--input and --output are required (- for stdin / stdout)");
  o.paragraphs = tok::parse_paragraph_mode(c.paragraphs, "--paragraphs");
  o.normalizer = normalizer_options(c.norm);
  o.validate();
  common::check_outputs_distinct({{"--output", c.output}}, {{"--input", o.input}});
  std::unique_ptr<common::AtomicFile> file;
  if (c.output != "-") file = std::make_unique<common::AtomicFile>(c.output);
  auto write = [&](std::string_view s) {
    if (file) return file->write(s);
    if (std::fwrite(s.data(), 1, s.size(), stdout) != s.size())
      throw common::IoError(std::string("cannot write to standard output: ") + std::strerror(errno));
  };
  ProgressLine line(c.progress_every);
  common::TrainHooks<tok::NormalizeTextProgress> hooks;
  if (!c.quiet) hooks.on_progress = [&](const tok::NormalizeTextProgress& p) { line.update_bytes(p.bytes, p.total, p.seconds, p.final); };
  tok::NormalizeTextStats stats;
  {
    StopSignal stop_on_ctrl_c;
    stats = tok::normalize_text(o, write, hooks);
  }
  line.finish();
  if (file) {
    file->commit();
  } else if (std::fflush(stdout) != 0) {
    throw common::IoError(std::string("cannot write to standard output: ") + std::strerror(errno));
  }
  if (!c.quiet) print_summary(file ? stdout : stderr, stats, c.output, c.json);
  return 0;
}

}  // namespace cli
