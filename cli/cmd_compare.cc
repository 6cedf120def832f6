// wordlens compare: averaged word vectors vs the encoder's contextual
// vectors on STS-Benchmark, Word-in-Context and Lee, with an optional
// Markdown + HTML report.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/normalizer_options.h"
#include "compare/report_views.h"
#include "encoder/text_normalizer.h"
#include "common/errors.h"
#include "tokenizer/normalizer.h"
#include "compare/report.h"
#include "compare/comparison.h"

namespace po = boost::program_options;

namespace cli {

namespace {

std::string cell(const nlohmann::ordered_json& v) {
  if (!v.is_number()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v.get<double>());
  return buf;
}

void print_block(const char* title, const nlohmann::ordered_json& block, const std::vector<std::string>& keys,
                 const std::vector<std::string>& names) {
  std::printf("%-28s", title);
  for (const auto& n : names) std::printf(" %14s", n.c_str());
  std::printf("\n");
  for (const auto& [row, scores] : block.items()) {
    std::printf("%-28s", row.c_str());
    for (const auto& k : keys) std::printf(" %14s", cell(scores.contains(k) ? scores[k] : nullptr).c_str());
    std::printf("\n");
  }
}

// Extra settings of the command line that are not CompareOptions.
struct CompareCli {
  std::string log, example = "the animal didn't cross the street because it was tired";
  bool json = false, no_pictures = false;
};

po::options_description compare_description(cmp::CompareOptions& opt, CompareCli& c, NormalizerFlags& nf) {
  po::options_description desc(
      "usage: wordlens compare --vectors V.bin [--model M.safetensors] [--vocab COUNTS] [--sts FILE...]\n"
      "                        [--wic DIR] [--lee DIR] [--report DIR] [--json]\n\n"
      "Averaged Word2Vec sentence vectors against the encoder's contextual vectors, on one vocabulary:\n"
      "  --sts  STS-Benchmark (tab-separated: score in column 5, sentences in 6 and 7): Spearman x100 of\n"
      "         the cosine against the gold score, for avg, sif (needs --vocab, the counts train\n"
      "         -save-vocab wrote), encoder-mean and encoder-cls (need --model).\n"
      "  --wic  Word-in-Context (DIR/<split>.data.txt + .gold.txt): accuracy of a cosine threshold chosen\n"
      "         on the train split, on every other split, for the static vector (the 50% sanity row), the\n"
      "         mean static vector of a +-5 word window (--wic-window), and the encoder's contextual vector of the word.\n"
      "  --lee  Lee documents (DIR/lee.cor + similarities0-1.txt): Pearson x100 of the pairwise cosines\n"
      "         against the human similarities, for avg, sif, encoder-mean and encoder-cls.\n"
      "The encoder must have been trained from the same vectors (the vocabulary is checked).\n"
      "--report DIR writes DIR/report.md and a self-contained DIR/report.html: the tables, bar charts,\n"
      "the training curves (from M.safetensors.csv or --log), an embedding map of STS sentences by genre,\n"
      "and attention maps, contextual neighbours and feed-forward memories of an example sentence.\n"
      "Sentences are normalised as the vectors' and model's text was, as their files record it.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("vectors", po::value(&opt.vectors), "Word2Vec vectors")
    ("model", po::value(&opt.model), "encoder trained from the same vectors")
    ("vocab", po::value(&opt.vocab), "word counts for sif")
    ("sts", po::value(&opt.sts)->multitoken(), "STS-Benchmark files")
    ("wic", po::value(&opt.wic), "Word-in-Context directory")
    ("lee", po::value(&opt.lee), "Lee document-similarity directory")
    ("report", po::value(&opt.report), "write report.md and report.html into this directory")
    ("log", po::value(&c.log), "the encoder's training log for the report (default: MODEL.csv if present)")
    ("example", po::value(&c.example)->default_value(c.example), "sentence of the report's attention/feed-forward pictures")
    ("no-pictures", po::bool_switch(&c.no_pictures), "report without the attention/context/feed-forward sections")
    ("wic-window", po::value(&opt.wic_window)->default_value(opt.wic_window), "WiC static window: +-words around the target")
    ("batch", po::value(&opt.batch)->default_value(opt.batch), "sentences per encoder forward")
    ("threads", po::value(&opt.threads)->default_value(opt.threads), "threads for the encoder")
    ("strict", po::bool_switch(&opt.strict), "a sentence without a word of the vectors is an error naming its file and line (default: a zero vector, counted)")
    ("json", po::bool_switch(&c.json), "print one JSON object");
  // clang-format on
  add_normalizer_options(desc, nf);
  return desc;
}

void check_compare_options(const cmp::CompareOptions& opt, const CompareCli& c) {
  opt.validate();
  if (!c.log.empty() && !std::filesystem::exists(c.log))
    throw common::InputError("training log '" + c.log + "' does not exist");
  if (!c.log.empty() && opt.report.empty()) throw common::OptionError("--log is only used with --report");
  if (!opt.report.empty() && std::filesystem::exists(opt.report) && !std::filesystem::is_directory(opt.report))
    throw common::OptionError("--report '" + opt.report + "' is a file; give a directory (it is created if missing)");
  if (!opt.report.empty() && !c.no_pictures && tok::Normalizer(opt.normalizer).tokens(c.example).empty())
    throw common::OptionError("--example has no word left after normalisation");
}

void print_scores(const nlohmann::ordered_json& out) {
  const std::vector<std::string> sk = {"avg", "sif", "encoder_mean", "encoder_cls"},
                                 sn = {"avg", "sif", "encoder-mean", "encoder-cls"};
  if (out.contains("sts")) print_block("STS (Spearman x100)", out["sts"], sk, sn);
  if (out.contains("wic")) {
    print_block("WiC (accuracy %)", out["wic"], {"static", "static_window", "encoder"},
                {"static", "static-window", "encoder"});
    for (const auto& [m, t] : out["wic_threshold"].items())
      std::printf("  %s: threshold %.4f chosen on train (train accuracy %.2f%%)\n", m.c_str(),
                  t["threshold"].get<double>(), t["train_accuracy"].get<double>());
  }
  if (out.contains("lee")) {
    nlohmann::ordered_json b;
    b["lee"] = out["lee"];
    print_block("Lee (Pearson x100)", b, sk, sn);
  }
}

void write_compare_report(cmp::Comparison& study, const cmp::CompareOptions& opt, const CompareCli& c,
                          const nlohmann::ordered_json& out, const cmp::StsVectors& keep) {
  cmp::CompareReportInput in;
  in.options = &opt;
  in.scores = out;
  if (out.contains("wic_threshold")) in.wic_thresholds = out["wic_threshold"];
  in.sts_vectors = opt.sts.empty() ? nullptr : &keep;
  in.model = study.model();
  in.vocab_size = study.embeddings().words.size();
  in.dim = study.embeddings().vectors.cols();
  in.training_log = c.log;
  if (c.log.empty() && !opt.model.empty() && std::filesystem::exists(opt.model + ".csv"))
    in.training_log = opt.model + ".csv";
  if (study.has_model() && !c.no_pictures) in.extra = cmp::inspection_sections(study, c.example);
  cmp::write_report(opt.report, cmp::build_compare_report(in));
  spdlog::info("report written to {}/report.html and {}/report.md", opt.report, opt.report);
}

}  // namespace

int cmd_compare(int argc, char** argv) {
  cmp::CompareOptions opt;
  CompareCli c;
  NormalizerFlags nf;
  auto desc = compare_description(opt, c, nf);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  opt.validate();
  opt.normalizer = enc::sentence_normalizer(normalizer_request(nf, vm), opt.vectors, opt.model);
  check_compare_options(opt, c);
  cmp::Comparison study(opt);  // loads and checks vectors and model before any benchmark runs
  cmp::StsVectors keep;
  const auto out = study.run_all(&keep);
  if (c.json)
    std::printf("%s\n", out.dump().c_str());
  else
    print_scores(out);
  if (!opt.report.empty()) write_compare_report(study, opt, c, out, keep);
  return 0;
}

}  // namespace cli
