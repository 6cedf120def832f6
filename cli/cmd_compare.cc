// wordlens compare: averaged word vectors vs the encoder's contextual
// vectors on STS-Benchmark, Word-in-Context, Lee and word sense induction,
// with an optional Markdown + HTML report.
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
#include "cli/progress_line.h"
#include "common/text_format.h"
#include "compare/report_views.h"
#include "common/display_width.h"
#include "common/errors.h"
#include "encoder/text_normalizer.h"
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

// A table: the title over the row names (file or split names: any script),
// one right-aligned column per method, aligned by display width.
void print_block(const char* title, const nlohmann::ordered_json& block, const std::vector<std::string>& keys,
                 const std::vector<std::string>& names) {
  std::size_t first = std::max<std::size_t>(28, common::display_width(title));
  for (const auto& [row, scores] : block.items()) first = std::max(first, common::display_width(row));
  std::vector<std::size_t> width;
  for (const auto& n : names) width.push_back(std::max<std::size_t>(14, common::display_width(n)));
  std::string out = common::pad_right(title, first);
  for (std::size_t c = 0; c < names.size(); ++c) out.append(" ").append(common::pad_left(names[c], width[c]));
  out += "\n";
  for (const auto& [row, scores] : block.items()) {
    out += common::pad_right(row, first);
    for (std::size_t c = 0; c < keys.size(); ++c)
      out.append(" ").append(common::pad_left(cell(scores.contains(keys[c]) ? scores[keys[c]] : nullptr), width[c]));
    out += "\n";
  }
  std::fputs(out.c_str(), stdout);
}

// ARI with 3 decimals ("-" for null), then the counts of each file.
void print_wsi(const nlohmann::ordered_json& wsi) {
  std::printf("%-28s %14s %14s %14s %8s %9s\n", "WSI (adjusted Rand index)", "static", "static-window", "encoder", "words",
              "contexts");
  auto ari = [](const nlohmann::ordered_json& v) {
    char buf[32];
    if (!v.is_number()) return std::string("-");
    std::snprintf(buf, sizeof buf, "%.3f", v.get<double>());
    return std::string(buf);
  };
  for (const auto& [file, r] : wsi.items()) {
    std::printf("%-28s %14s %14s %14s %8zu %9zu\n", file.c_str(), ari(r["static"]).c_str(), ari(r["static_window"]).c_str(),
                ari(r["encoder"]).c_str(), r["words"].get<std::size_t>(), r["contexts"].get<std::size_t>());
    const auto& u = r["unknown"];
    std::printf("  unknown targets: static %zu, static_window %zu (empty window), encoder %s; skipped: %zu contexts "
                "(target not tokenised), %zu words (one context)\n",
                u["static"].get<std::size_t>(), u["static_window"].get<std::size_t>(),
                u["encoder"].is_null() ? "-" : std::to_string(u["encoder"].get<std::size_t>()).c_str(),
                r["skipped_contexts"].get<std::size_t>(), r["skipped_words"].get<std::size_t>());
  }
}

// The supervised block: the STS rows through their learned maps, the WiC classifier rows, and how
// each was chosen (on train only).
void print_supervised(const nlohmann::ordered_json& out, const std::vector<std::string>& sk, const std::vector<std::string>& sn) {
  if (!out.contains("supervision")) return;
  const auto& sup = out["supervision"];
  const bool ft = !sup["encoder_finetuned"].is_null();
  std::printf("\nSupervised (trained on the train splits only; the same procedure for static and encoder rows%s):\n",
              ft ? "; encoder rows: fine-tuned + map / classifier" : "");
  if (out.contains("sts_supervised")) {
    print_block("STS + linear map (Spearman)", out["sts_supervised"], sk, sn);
    std::printf("  maps learned on %s (%zu pairs, CoSENT, Adam); decay and epochs chosen on %zu held-out pairs of it:\n",
                sup["sts_train"].get<std::string>().c_str(), sup["sts_train_pairs"].get<std::size_t>(),
                sup["map"]["held_out_pairs"].get<std::size_t>());
    for (const auto& [row, c] : sup["sts_maps"].items())
      std::printf("    %-22s decay %-6g %9s  held-out %6.2f (no map %6.2f)\n", row.c_str(), c["weight_decay"].get<double>(),
                  common::plural(c["epochs"].get<std::size_t>(), "epoch", "epochs").c_str(), c["held_out"].get<double>(),
                  c["held_out_identity"].get<double>());
  }
  if (out.contains("wic_supervised")) {
    print_block("WiC classifier (accuracy %)", out["wic_supervised"], {"static_window", "encoder"}, {"static-window", "encoder"});
    for (const auto& [m, c] : sup["wic_classifier"]["methods"].items())
      std::printf("  %s: L2 penalty %g by %zu-fold cross-validation on train (%.2f%%), train accuracy %.2f%%\n", m.c_str(),
                  c["lambda"].get<double>(), sup["wic_classifier"]["folds"].get<std::size_t>(), c["cv_accuracy"].get<double>(),
                  c["train_accuracy"].get<double>());
  }
}

// Extra settings of the command line that are not CompareOptions.
struct CompareCli {
  std::string log, example = "the animal didn't cross the street because it was tired", layer;
  bool json = false, no_pictures = false;
};

po::options_description compare_description(cmp::CompareOptions& opt, CompareCli& c, NormalizerFlags& nf) {
  po::options_description desc(
      "usage: wordlens compare [--vectors V.bin] [--model M.safetensors] [--vocab COUNTS] [--sts FILE...]\n"
      "                        [--wic DIR] [--lee DIR] [--wsi FILE...] [--report DIR] [--json]\n\n"
      "Averaged Word2Vec sentence vectors against the encoder's contextual vectors, on one vocabulary:\n"
      "  --sts  STS-Benchmark (tab-separated: score in column 5, sentences in 6 and 7): Spearman x100 of\n"
      "         the cosine against the gold score, for avg, sif, sif-weighted (need --vocab, the counts train\n"
      "         -save-vocab wrote), and with --model encoder-mean, encoder-cls, encoder-mean-no-cls,\n"
      "         encoder-sif and encoder-sif-weighted (the last two need --vocab too; see embed --help).\n"
      "  --wic  Word-in-Context (DIR/<split>.data.txt + .gold.txt): accuracy of a cosine threshold chosen\n"
      "         on the train split, on every other split, for the static vector (the 50% sanity row), the\n"
      "         mean static vector of a +-5 word window (--wic-window), and the encoder's contextual vector of the word.\n"
      "  --lee  Lee documents (DIR/lee.cor + similarities0-1.txt): Pearson x100 of the pairwise cosines\n"
      "         against the human similarities, for the same methods.\n"
      "  --wsi  word sense induction, RUSSE 2018 layout (tab-separated, header context_id word\n"
      "         gold_sense_id predict_sense_id positions context): each word's contexts clustered\n"
      "         (less their mean, average linkage on cosine distance, k chosen by silhouette), adjusted Rand index against\n"
      "         the gold senses, for static (0 by construction), static_window (+-5 words, --wsi-window)\n"
      "         and encoder.\n"
      "--wsi needs --vectors (and a word-level encoder for its encoder row). An encoder trained from\n"
      "Word2Vec vectors needs those vectors (the vocabulary is checked). --layer N|all-mean takes the\n"
      "encoder rows (STS, WiC, Lee; not WSI) from the hidden state after layer N (from 0, through the final\n"
      "LayerNorm) or the mean of every layer's, instead of the final hidden states. One\n"
      "trained with --tokenizer (BPE) reads the raw sentences as BPE pieces (a WiC target is the mean\n"
      "of its pieces) and needs no --vectors: without them the static rows are skipped ('-', null).\n"
      "--report DIR writes DIR/report.md and a self-contained DIR/report.html: the tables, bar charts,\n"
      "the training curves (from M.safetensors.csv or --log), an embedding map of STS sentences by genre,\n"
      "and attention maps, contextual neighbours and feed-forward memories of an example sentence.\n"
      "Sentences are normalised as the vectors' and model's text was, as their files record it.\n"
      "Supervised rows (printed in their own block; --json: sts_supervised, wic_supervised, supervision):\n"
      "  --sts-train FILE  (STS-B train) learns for every STS row a linear map W (d x d, from the identity)\n"
      "         with the CoSENT loss (Adam, minibatches of 32 pairs; weight decay toward the identity and\n"
      "         the number of epochs chosen on a held-out tenth of FILE), then scores cos(W x1, W x2) on\n"
      "         every --sts file. It implies --supervised.\n"
      "  --supervised  with --wic: a logistic-regression classifier on [u*v, |u-v|, cos(u,v)] of the\n"
      "         target vectors (static: the +-window averages; encoder: the contextual states), its L2\n"
      "         penalty chosen by 5-fold cross-validation on train, scored on the other splits.\n"
      "An encoder whose metadata says `finetuned` is supervised already: its rows are labelled fine-tuned.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("vectors", po::value(&opt.vectors), "Word2Vec vectors (the static rows)")
    ("model", po::value(&opt.model), "encoder trained from the same vectors, or on BPE tokens")
    ("tokenizer", po::value(&opt.tokenizer), "the BPE model of an encoder that does not store it (older weights)")
    ("vocab", po::value(&opt.vocab), "word counts for sif")
    ("sts", po::value(&opt.sts)->multitoken(), "STS-Benchmark files")
    ("wic", po::value(&opt.wic), "Word-in-Context directory")
    ("lee", po::value(&opt.lee), "Lee document-similarity directory")
    ("wsi", po::value(&opt.wsi)->multitoken(), "word sense induction files (RUSSE 2018 layout)")
    ("sts-train", po::value(&opt.sts_train), "STS-B train file: learn a linear map per STS row (supervised rows)")
    ("supervised", po::bool_switch(&opt.supervised), "with --wic: the WiC classifier rows, trained on the train split")
    ("seed", po::value(&opt.seed)->default_value(opt.seed), "seed of the supervised rows (minibatches, held-out slice, folds)")
    ("report", po::value(&opt.report), "write report.md and report.html into this directory")
    ("log", po::value(&c.log), "the encoder's training log for the report (default: MODEL.csv if present)")
    ("example", po::value(&c.example)->default_value(c.example), "sentence of the report's attention/feed-forward pictures")
    ("no-pictures", po::bool_switch(&c.no_pictures), "report without the attention/context/feed-forward sections")
    ("wic-window", po::value(&opt.wic_window)->default_value(opt.wic_window), "WiC static window: +-words around the target")
    ("wsi-window", po::value(&opt.wsi_window)->default_value(opt.wsi_window), "WSI static window: +-words around the target")
    ("batch", po::value(&opt.batch)->default_value(opt.batch), "sentences per encoder forward")
    ("layer", po::value(&c.layer), "the encoder rows' hidden state: after layer N (from 0), last, or all-mean (default: last)")
    ("threads", threads_value(&opt.threads), "threads for the encoder")
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
}

void print_scores(const nlohmann::ordered_json& out) {
  std::vector<std::string> sk, sn;
  for (const auto& [key, name] : cmp::kSentenceRows) sk.push_back(key), sn.push_back(name);
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
  if (out.contains("wsi")) print_wsi(out["wsi"]);
  if (out.contains("encoder_finetuned"))
    std::printf("  the encoder was fine-tuned (%s): its encoder rows are supervised, not unsupervised\n",
                out["encoder_finetuned"].get<std::string>().c_str());
  print_supervised(out, sk, sn);
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
  const std::filesystem::path dir(opt.report);
  spdlog::info("report written to {} and {}", (dir / "report.html").string(), (dir / "report.md").string());
}

}  // namespace

int cmd_compare(int argc, char** argv) {
  cmp::CompareOptions opt;
  CompareCli c;
  NormalizerFlags nf;
  auto desc = compare_description(opt, c, nf);
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  if (!c.layer.empty()) opt.layer = enc::parse_layer_choice(c.layer, "--layer");
  opt.validate();
  opt.normalizer = enc::sentence_normalizer(normalizer_request(nf, vm), opt.vectors, opt.model);
  check_compare_options(opt, c);
  cmp::Comparison study(opt);  // loads and checks vectors and model before any benchmark runs
  if (!opt.report.empty() && !c.no_pictures && study.has_model()) cmp::example_tokens(study, c.example);  // usable?
  cmp::StsVectors keep;
  ProgressLine line;
  study.set_progress([&line](const common::WorkProgress& p) { line.update_work(p); });
  const auto out = study.run_all(&keep);
  line.finish();
  if (c.json)
    std::printf("%s\n", out.dump().c_str());
  else
    print_scores(out);
  if (!opt.report.empty()) write_compare_report(study, opt, c, out, keep);
  return 0;
}

}  // namespace cli
