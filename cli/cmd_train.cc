// wordlens train: word2vec.c's flags (single or double dash), plus
// --seed, --max-vocab, --deterministic and checkpointing.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/normalizer_options.h"
#include "cli/progress_line.h"
#include "cli/stop_signal.h"
#include "common/distributed.h"
#include "common/stop_request.h"
#include "common/errors.h"
#include "word2vec/trainer.h"
#include "word2vec/vectors_record.h"

namespace po = boost::program_options;

namespace cli {

namespace {


// "10000", "10k", "5M", "1G" → words.
std::uint64_t parse_count(const std::string& s, const char* flag) {
  if (s.empty()) throw common::OptionError(std::string(flag) + " needs a number");
  std::size_t used = 0;
  double v;
  try {
    v = std::stod(s, &used);
  } catch (...) {
    throw common::OptionError(std::string(flag) + " needs a number such as 5M, got '" + s + "'");
  }
  std::string suf = s.substr(used);
  if (suf == "k" || suf == "K") v *= 1e3;
  else if (suf == "M" || suf == "m") v *= 1e6;
  else if (suf == "G" || suf == "g") v *= 1e9;
  else if (!suf.empty()) throw common::OptionError(std::string(flag) + ": unknown suffix '" + suf + "' (use k, M or G)");
  if (v < 0) throw common::OptionError(std::string(flag) + " must not be negative");
  return static_cast<std::uint64_t>(v);
}

// Flags of the command itself, not of the training.
struct CliFlags {
  std::string checkpoint_every = "0";
  std::string sync_every = "250k";
  int debug = 2;
  double progress_every = 10;
  bool json = false;
  std::string update = "pair";
};

po::options_description describe_flags(w2v::TrainOptions& o, CliFlags& f, NormalizerFlags& nf) {
  po::options_description desc(
      "usage: wordlens train -train FILE... -output FILE [options]\n\n"
      "Trains Word2Vec vectors. Flags follow word2vec.c (names, meanings, defaults);\n"
      "each may be written -flag or --flag.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("train", po::value(&o.train)->multitoken(), "training text: files, directories (all files below), or - for stdin; one sentence per line")
    ("output", po::value(&o.output), "write the word vectors to this file")
    ("size", po::value(&o.size)->default_value(o.size), "dimension of the word vectors")
    ("window", po::value(&o.window)->default_value(o.window), "max distance between centre and context word")
    ("sample", value_default(&o.sample), "down-sampling threshold for frequent words (0 = off)")
    ("hs", po::value(&o.hs)->default_value(o.hs), "1 = hierarchical softmax")
    ("negative", po::value(&o.negative)->default_value(o.negative), "negative samples per prediction (0 = off)")
    ("threads", threads_value(&o.threads), "worker threads")
    ("iter", po::value(&o.iter)->default_value(o.iter), "training epochs")
    ("min-count", po::value(&o.min_count)->default_value(o.min_count), "ignore words that occur fewer times")
    ("alpha", po::value<double>()->notifier([&o](double a) { o.alpha = a; }), "starting learning rate (default 0.025 skip-gram, 0.05 CBOW)")
    ("cbow", po::value(&o.cbow)->default_value(o.cbow), "1 = CBOW, 0 = skip-gram")
    ("binary", po::value(&o.binary)->default_value(o.binary), "1 = binary output, 0 = text")
    ("save-vocab", po::value(&o.save_vocab), "also write the vocabulary (word count per line)")
    ("read-vocab", po::value(&o.read_vocab), "take the vocabulary from this file instead of counting")
    ("debug", po::value(&f.debug)->default_value(f.debug), "0 = only errors, 1 = no progress line, 2 = progress (default)")
    ("seed", po::value(&o.seed)->default_value(o.seed), "random seed (initial vectors; thread t uses seed + t)")
    ("max-vocab", po::value(&o.max_vocab)->default_value(o.max_vocab), "keep only the N most frequent words, </s> included (0 = all)")
    ("cache-mib", po::value(&o.cache_mib)->default_value(o.cache_mib), "memory for the corpus as word ids, shared by the threads: the 2nd and later epochs replay them instead of reading the text (0 = read every epoch; a larger corpus is read every epoch)")
    ("deterministic", po::bool_switch(&o.deterministic), "bit-identical vectors for the same seed and -threads (runs the threads' work in turn on one core)")
    ("checkpoint-every", po::value(&f.checkpoint_every)->default_value("0"), "write a checkpoint every N words (e.g. 20M; 0 = only on Ctrl-C)")
    ("checkpoint", po::value(&o.checkpoint), "checkpoint file (default: OUTPUT.ckpt)")
    ("resume", po::bool_switch(&o.resume), "continue from the checkpoint with the same options")
    ("tokenizer", po::value(&o.tokenizer), "BPE model (wordlens bpe train): learn vectors of its tokens, written in shown form (space = \xC4\xA0)")
    ("normalize", po::bool_switch(&o.normalize), "normalise raw text on the fly, as wordlens normalize does (lines stay the sentences); with the options below")
    ("update", po::value(&f.update)->default_value(f.update),
     "pair = word2vec.c's updates (skip-gram: one per (context, centre) pair with its own negatives); "
     "batch = small matrix updates: skip-gram one per centre word, its contexts sharing the negatives and the "
     "Huffman path (pWord2Vec); CBOW one per 4 neighbouring windows sharing the negatives (not with -hs 1)")
    ("private-nodes", po::value(&o.private_nodes)->default_value(o.private_nodes),
     "-hs 1 with --update batch and 2+ threads: each thread trains this many of the heaviest Huffman nodes (nearest "
     "the root) in a private copy, merged every 1000 centre words, instead of sharing their rows (0 = shared)")
    ("sync-every", po::value(&f.sync_every)->default_value(f.sync_every),
     "under mpirun: words (all ranks together) between syncs that add up the ranks' updates (e.g. 250k, 2M)")
    ("progress-every", value_default(&f.progress_every), "seconds between progress lines when stderr is not a terminal")
    ("json", po::bool_switch(&f.json), "print the summary as one JSON object on stdout (progress stays on stderr)");
  // clang-format on
  add_normalizer_options(desc, nf);
  return desc;
}

w2v::TrainHooks make_hooks(ProgressLine& line, int debug) {
  w2v::TrainHooks hooks;
  const bool root = common::dist::is_root();  // under mpirun rank 0 alone reports
  if (debug >= 2 && root) hooks.on_progress = [&line](const w2v::TrainProgress& p) { line.update(p); };
  hooks.should_stop = [] { return common::stop_requested(); };
  if (!root) return hooks;
  hooks.on_checkpoint = [&line](const std::string& path) {
    line.finish();
    spdlog::info("checkpoint written to '{}'", path);
  };
  return hooks;
}

// The end-of-run summary: a table, or (--json) one object with the same facts and the files written.
void print_summary(const w2v::TrainResult& r, const w2v::TrainOptions& o, bool json) {
  const std::string& output = o.output;
  if (json) {
    nlohmann::ordered_json j{{"vocab_size", r.vocab_size},
                             {"words_per_epoch", r.train_words},
                             {"words_trained", r.words_trained},
                             {"seconds", r.seconds},
                             {"words_per_second", r.words_per_second()},
                             {"predictions", r.predictions},
                             {"flops", r.flops},
                             {"output", output},
                             {"record", w2v::record_path(output)},
                             {"save_vocab", o.save_vocab.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(o.save_vocab)}};
    if (common::dist::distributed()) {
      j["ranks"] = common::dist::size();
      j["syncs"] = r.syncs;
      j["sync_bytes"] = r.sync_bytes;
      j["comm_seconds"] = r.comm_seconds;
      j["comm_bytes"] = r.comm_bytes;
    }
    std::printf("%s\n", j.dump().c_str());
    return;
  }
  std::printf("vocabulary size   %zu\n", r.vocab_size);
  std::printf("words per epoch   %llu\n", static_cast<unsigned long long>(r.train_words));
  std::printf("words trained     %llu\n", static_cast<unsigned long long>(r.words_trained));
  std::printf("wall time         %.2f s\n", r.seconds);
  std::printf("words/s           %s\n", human_count(r.words_per_second()).c_str());
  std::printf("vectors written   %s\n", output.c_str());
  if (common::dist::distributed())
    std::printf("ranks             %d (%llu syncs, %.2f s in communication on rank 0)\n", common::dist::size(),
                static_cast<unsigned long long>(r.syncs), r.comm_seconds);
}

}  // namespace

int cmd_train(int argc, char** argv) {
  w2v::TrainOptions o;
  CliFlags f;
  NormalizerFlags nf;
  const auto desc = describe_flags(o, f, nf);
  po::variables_map vm;
  const auto style = (po::command_line_style::default_style | po::command_line_style::allow_long_disguise) &
                     ~po::command_line_style::allow_guessing;
  po::store(po::command_line_parser(argc, argv).options(desc).style(style).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << desc << "\nexample:\n  wordlens train -train corpus.txt -output vectors.bin -binary 1 -cbow 0 -size 100 -window 5 "
                         "-negative 5 -sample 1e-4 -iter 5 -threads 2\n";
    return 0;
  }
  if (vm.count("classes")) throw common::OptionError("-classes is not supported");
  o.checkpoint_every = parse_count(f.checkpoint_every, "--checkpoint-every");
  o.sync_every = parse_count(f.sync_every, "--sync-every");
  o.update = w2v::parse_update(f.update, "--update");
  const tok::NormalizerRequest norm = normalizer_request(nf, vm);
  if (!o.normalize && !norm.given.empty())
    throw common::OptionError(norm.given[0] + " says how to normalise raw text: it goes with --normalize");
  o.normalizer = norm.options;
  o.validate();
  if (f.debug <= 0) spdlog::set_level(spdlog::level::warn);

  ProgressLine line(f.progress_every);
  const w2v::TrainHooks hooks = make_hooks(line, f.debug);
  w2v::TrainResult r;
  {
    StopSignal stop_on_ctrl_c;
    r = w2v::train(o, hooks);
  }
  line.finish();
  if (!common::dist::is_root()) return r.interrupted ? 130 : 0;  // rank 0 reports
  if (r.interrupted) {
    std::fprintf(stderr,
                 "wordlens train: interrupted; no vectors written. State saved to '%s': run the same command with "
                 "--resume to continue\n",
                 r.checkpoint_written.c_str());
    return 130;
  }
  if (f.debug > 0 || f.json) print_summary(r, o, f.json);
  return 0;
}

}  // namespace cli
