// wordlens: one binary, several subcommands.
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <boost/program_options/errors.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "cli/progress_line.h"
#include "common/blas.h"
#include "common/distributed.h"
#include "common/errors.h"
#include "common/stop_request.h"

namespace {

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* summary;
};

constexpr Command kCommands[] = {
    {"normalize", cli::cmd_normalize, "raw text in any language -> one sentence per line, tokens separated by spaces"},
    {"train", cli::cmd_train, "train Word2Vec vectors: CBOW or skip-gram, negative sampling or hierarchical softmax"},
    {"similar", cli::cmd_similar, "nearest neighbours of a word (or +a -b combinations)"},
    {"analogy", cli::cmd_analogy, "A is to B as C is to ? (--method add | mul)"},
    {"eval", cli::cmd_eval, "analogy accuracy and word-similarity correlations"},
    {"tokenize", cli::cmd_tokenize, "characters vs words vs BPE on a text: vocabulary, tokens per sentence, OOV, attention cost"},
    {"bpe", cli::cmd_bpe, "byte-level BPE tokenizer: train | encode | decode"},
    {"compare", cli::cmd_compare, "static vs contextual vectors on STS-B, WiC and Lee; --report DIR writes HTML"},
    {"embed", cli::cmd_embed, "sentence vectors: avg | sif | encoder-mean | encoder-cls, to .npy"},
    {"index", cli::cmd_index, "embed every line of a text file once, into an index for search"},
    {"search", cli::cmd_search, "the lines of one or more indexes nearest to a query, side by side"},
    {"encoder", cli::cmd_encoder, "transformer encoder: init | train (mlm, simcse) | forward | info | bench"},
    {"export", cli::cmd_export, "vectors to TensorBoard TSV, numpy .npy or word2vec text (--format tsv | npy | vec)"},
    {"attention", cli::cmd_attention, "attention heatmaps (SVG) of a sentence, per layer and head"},
    {"context", cli::cmd_context, "static vs contextual nearest words of a word in a sentence"},
    {"ffn", cli::cmd_ffn, "feed-forward neurons of a sentence read as key-value memories"},
};

// %* in the log pattern: "warning: " / "error: " before warnings and
// errors, nothing before info lines, so that problems stand out.
class LevelMark : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string_view mark = msg.level >= spdlog::level::err    ? "error: "
                                  : msg.level == spdlog::level::warn ? "warning: "
                                                                     : "";
    dest.append(mark.data(), mark.data() + mark.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<LevelMark>(); }
};

// Log lines to stderr, each taking the place of a refreshing progress line
// (which the next progress update draws again) instead of running into it.
class StderrSink : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    cli::clear_progress_line();
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
  }
  void flush_() override { std::fflush(stderr); }
};

void usage(std::FILE* out) {
  std::fprintf(out,
               "wordlens - learn word meaning from text: Word2Vec embeddings and a transformer encoder\n\n"
               "usage: wordlens <command> [options]    (wordlens <command> --help for its options)\n\ncommands:\n");
  for (const auto& c : kCommands) std::fprintf(out, "  %-10s %s\n", c.name, c.summary);
}

}  // namespace

// Debian's OpenBLAS falls back to its slowest kernels on CPUs it does not
// know (common/blas.h): name the right ones and start again, once, before
// anything is read or written. WORDLENS_KEEP_BLAS_CORE=1 keeps OpenBLAS's choice.
static void use_fitting_blas_kernels(char** argv) {
  const char* keep = std::getenv("WORDLENS_KEEP_BLAS_CORE");
  if (std::getenv("OPENBLAS_CORETYPE") || (keep && std::strcmp(keep, "1") == 0)) return;
  const char* core = common::blas_core_override();
  if (!core) return;
  setenv("OPENBLAS_CORETYPE", core, 1);
  execv("/proc/self/exe", argv);  // returns only on failure: go on with the slow kernels
}

// The command's exit code; errors are printed here.
static int run(int argc, char** argv, const std::string& who_prefix) {
  // Past `ulimit -f` a write fails with EFBIG (an IoError: the temporary
  // output file is removed) instead of the process dying on SIGXFSZ and
  // leaving it behind.
  std::signal(SIGXFSZ, SIG_IGN);
  auto logger = std::make_shared<spdlog::logger>("wordlens", std::make_shared<StderrSink>());
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  std::string pattern = who_prefix;
  pattern.append(": %*%v");
  formatter->add_flag<LevelMark>('*').set_pattern(pattern);
  logger->set_formatter(std::move(formatter));
  spdlog::set_default_logger(logger);
  if (common::dist::rank() > 0) spdlog::set_level(spdlog::level::warn);  // rank 0 reports
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const std::string cmd = argv[1];
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    usage(stdout);
    return 0;
  }
  if (cmd == "--version") {
    std::printf("wordlens 0.1.0 (OpenBLAS kernels: %s)\n", common::blas_core_name());
    return 0;
  }
  for (const auto& c : kCommands) {
    if (cmd != c.name) continue;
    try {
      return c.run(argc - 1, argv + 1);
    } catch (const common::Interrupted& e) {
      cli::clear_progress_line();  // the message replaces a refreshing progress line
      std::fprintf(stderr, "%s %s: %s\n", who_prefix.c_str(), c.name, e.what());
      return 130;
    } catch (const common::OptionError& e) {
      cli::clear_progress_line();  // the message replaces a refreshing progress line
      std::fprintf(stderr, "%s %s: error: %s\n", who_prefix.c_str(), c.name, e.what());
      return 2;
    } catch (const boost::program_options::error& e) {
      cli::clear_progress_line();  // the message replaces a refreshing progress line
      std::fprintf(stderr, "%s %s: error: %s (see wordlens %s --help)\n", who_prefix.c_str(), c.name, e.what(), c.name);
      return 2;
    } catch (const std::bad_alloc&) {
      cli::clear_progress_line();  // the message replaces a refreshing progress line
      const bool training = cmd == "train" || cmd == "encoder" || cmd == "bpe";
      std::fprintf(stderr, "%s %s: error: out of memory%s\n", who_prefix.c_str(), c.name,
                   training ? " (try a smaller model, -size, --max-vocab or --batch-tokens)"
                            : " (an input is larger than this machine's memory)");
      return 1;
    } catch (const std::exception& e) {
      cli::clear_progress_line();  // the message replaces a refreshing progress line
      std::fprintf(stderr, "%s %s: error: %s\n", who_prefix.c_str(), c.name, e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "wordlens: error: unknown command '%s'\n\n", cmd.c_str());
  usage(stderr);
  return 2;
}

int main(int argc, char** argv) {
  use_fitting_blas_kernels(argv);  // before MPI_Init: the process may start again
  // Under mpirun (and built with MPI) every rank runs the same command; the
  // trainers split the work. Only rank 0 reports progress: the other ranks
  // log warnings and errors, prefixed with their rank.
  common::dist::init(&argc, &argv);
  const int rank = common::dist::rank();
  std::string who = "wordlens";
  if (common::dist::distributed()) who.append("[rank ").append(std::to_string(rank)).append("]");
  const int rc = run(argc, argv, who);
  if (common::dist::distributed() && rc != 0) {
    // A failed rank would leave the others waiting in a collective: end the job.
    std::fprintf(stderr, "wordlens: rank %d of %d %s (exit code %d): ending the whole job\n", rank,
                 common::dist::size(), rc == 130 ? "stopped" : "failed", rc);
    common::dist::abort(rc);
  }
  common::dist::finalize();
  return rc;
}
