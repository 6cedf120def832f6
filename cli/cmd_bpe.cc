// wordlens bpe train | encode | decode: a byte-level BPE tokenizer.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/progress_line.h"
#include "common/atomic_file.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/byte_unicode.h"
#include "tokenizer/bpe_trainer.h"
#include "common/errors.h"
#include "common/file_identity.h"

namespace po = boost::program_options;

namespace cli {

namespace {

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string t; std::getline(ss, t, ',');)
    if (!t.empty()) out.push_back(t);
  return out;
}

int bpe_train(int argc, char** argv) {
  tok::BpeTrainOptions o;
  std::string output, specials = "[PAD],[UNK],[CLS],[SEP],[MASK]";
  po::options_description desc(
      "usage: wordlens bpe train --input FILE... --vocab-size N --output MODEL [options]\n\n"
      "Learns a byte-level BPE model: the 256 byte values are the base tokens (nothing is ever\n"
      "out of vocabulary); words are split at whitespace with the word start marked by its space;\n"
      "merges never cross a word. Ties between equally frequent pairs are broken by token ids,\n"
      "so the model depends only on the input, never on --threads.\n\noptions");
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("input", po::value(&o.inputs)->multitoken(), "training text: files, directories, or - for stdin")
    ("vocab-size", po::value(&o.vocab_size)->default_value(o.vocab_size), "tokens in the model, specials and bytes included")
    ("output", po::value(&output), "write the model here (text format, see wordlens docs)")
    ("min-frequency", po::value(&o.min_frequency)->default_value(o.min_frequency), "never merge a pair seen fewer times")
    ("special", po::value(&specials)->default_value(specials), "comma-separated special tokens (ids 0, 1, ...)")
    ("threads", po::value(&o.threads)->default_value(o.threads), "threads for reading and counting");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  o.specials = split_commas(specials);
  if (output.empty()) throw common::OptionError("--output is required: where to write the model");
  o.validate();
  std::vector<common::NamedPath> inputs;
  for (const auto& in : o.inputs) inputs.push_back({"--input", in});
  common::check_outputs_distinct({{"--output", output}}, inputs);
  { common::AtomicFile probe(output); }  // fail now if the model cannot be written

  const bool tty = ::isatty(2);
  auto t0 = std::chrono::steady_clock::now();
  tok::BpeTrainStats st;
  auto counts = tok::count_pieces(o.inputs, o.threads, &st);
  auto t1 = std::chrono::steady_clock::now();
  std::fprintf(stderr, "counted %s pieces (%s distinct) in %s lines, %.2f s\n", human_count(static_cast<double>(st.pieces)).c_str(),
               human_count(static_cast<double>(st.distinct_pieces)).c_str(), human_count(static_cast<double>(st.lines)).c_str(),
               std::chrono::duration<double>(t1 - t0).count());
  double last = 0;
  auto progress = [&](std::size_t done, std::size_t target) {
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    if (done < target && s - last < (tty ? 0.2 : 10.0)) return;
    last = s;
    std::fprintf(stderr, tty ? "\rmerges %zu / %zu (%.1f%%)  %.0f merges/s\033[K" : "merges %zu / %zu (%.1f%%)  %.0f merges/s\n",
                 done, target, target ? 100.0 * static_cast<double>(done) / static_cast<double>(target) : 100.0,
                 s > 0 ? static_cast<double>(done) / s : 0.0);
  };
  auto model = tok::learn_bpe(counts, o, &st, progress);
  if (tty) std::fprintf(stderr, "\n");
  auto t2 = std::chrono::steady_clock::now();
  model.save(output);
  std::printf("vocabulary size      %zu (%zu specials + 256 bytes + %zu merges)\n", model.size(), model.num_specials(),
              model.num_merges());
  if (model.size() < o.vocab_size)
    std::printf("                     (stopped early: no pair left with frequency >= %llu)\n",
                static_cast<unsigned long long>(o.min_frequency));
  std::printf("training text        %s bytes, %s words, %s lines\n", human_count(static_cast<double>(st.bytes)).c_str(),
              human_count(static_cast<double>(st.words)).c_str(), human_count(static_cast<double>(st.lines)).c_str());
  std::printf("bytes per token      %.3f\n", static_cast<double>(st.bytes) / static_cast<double>(std::max<std::uint64_t>(st.tokens, 1)));
  std::printf("tokens per word      %.3f\n", static_cast<double>(st.tokens) / static_cast<double>(std::max<std::uint64_t>(st.words, 1)));
  std::printf("time                 %.2f s (count %.2f s, merges %.2f s)\n", std::chrono::duration<double>(t2 - t0).count(),
              std::chrono::duration<double>(t1 - t0).count(), std::chrono::duration<double>(t2 - t1).count());
  // Sample segmentations: words of falling frequency.
  std::vector<std::size_t> order(counts.pieces.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return counts.counts[a] > counts.counts[b]; });
  std::printf("sample segmentations (by frequency rank):\n");
  std::size_t shown = 0;
  for (std::size_t rank : {10ul, 100ul, 1000ul, 3000ul, 10000ul, 30000ul, 100000ul}) {
    for (std::size_t r = rank; r < order.size() && r < rank + 50; ++r) {
      const auto& p = counts.pieces[order[r]];
      if (p.size() < 5) continue;
      std::vector<std::int32_t> ids;
      model.encode_piece(p, ids);
      std::string seg;
      for (auto id : ids) seg += (seg.empty() ? "" : " ") + model.token_shown(static_cast<std::size_t>(id));
      std::printf("  #%-7zu %-22s -> %s\n", r + 1, tok::bytes_to_shown(p).c_str(), seg.c_str());
      ++shown;
      break;
    }
  }
  std::printf("model written        %s\n", output.c_str());
  return 0;
}

// One token as an integer id or in shown form.
std::string token_text(const tok::BpeModel& m, std::int32_t id, bool as_ids) {
  return as_ids ? std::to_string(id) : m.token_shown(static_cast<std::size_t>(id));
}

// Formats one line of ids as shown tokens or integers.
void format_line(const tok::BpeModel& m, const std::vector<std::int32_t>& ids, bool as_ids, std::string& out) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out.push_back(' ');
    out += token_text(m, ids[i], as_ids);
  }
  out.push_back('\n');
}

void write_all(const std::string& s) {
  if (!s.empty() && std::fwrite(s.data(), 1, s.size(), stdout) != s.size())
    throw common::IoError("cannot write to stdout");
}

int bpe_encode(int argc, char** argv) {
  std::string model_path;
  bool ids = false;
  int threads = 1;
  po::options_description desc(
      "usage: wordlens bpe encode --model MODEL [--ids] [--threads T] < text > tokens\n\n"
      "One output line per input line: shown tokens (GPT-2 byte mapping: space = \xC4\xA0) separated\n"
      "by spaces, or integer ids with --ids. A last line without '\\n' gets one.\n\noptions");
  desc.add_options()("help,h", "show this help")("model", po::value(&model_path), "BPE model file")(
      "ids", po::bool_switch(&ids), "print integer ids")("threads", po::value(&threads)->default_value(1),
                                                          "encoding threads");
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  if (model_path.empty()) throw common::OptionError("--model is required");
  if (threads < 1 || threads > 256) throw common::OptionError("--threads must be between 1 and 256");
  const auto model = tok::BpeModel::load(model_path);
  std::vector<tok::BpeEncoder> enc;
  for (int t = 0; t < threads; ++t) enc.emplace_back(model);
  std::vector<std::string> outs(static_cast<std::size_t>(threads));
  // Complete lines are encoded in parallel blocks; a line longer than the
  // buffer is streamed through one scanner so memory stays bounded.
  tok::PieceScanner stream;
  std::vector<std::int32_t> pending;  // ids of a partly streamed line
  bool streaming = false;
  std::string carry, buf(8 << 20, '\0');
  auto flush_pending = [&](bool eol) {
    std::string s;
    for (auto id : pending) {
      if (!s.empty() || streaming) s.push_back(' ');
      s += token_text(model, id, ids);
    }
    pending.clear();
    if (eol) s.push_back('\n');
    write_all(s);
  };
  for (;;) {
    // Fill the whole buffer (a pipe returns 64 KiB per read) so that each
    // parallel block is large.
    std::size_t got = 0;
    while (got < buf.size()) {
      ssize_t k = ::read(0, buf.data() + got, buf.size() - got);
      if (k < 0 && errno == EINTR) continue;
      if (k < 0) throw common::InputError(std::string("cannot read stdin: ") + std::strerror(errno));
      if (k == 0) break;
      got += static_cast<std::size_t>(k);
    }
    const auto n = static_cast<ssize_t>(got);
    if (n == 0) break;
    std::string_view chunk(buf.data(), static_cast<std::size_t>(n));
    if (streaming || (carry.size() + chunk.size() > (64u << 20) && chunk.find('\n') == std::string_view::npos)) {
      // Stream the current over-long line.
      if (!streaming) {
        std::string_view c(carry);
        stream.feed(c.data(), c.size(), [&](std::string_view p) { enc[0].encode_piece(p, pending); }, [] {});
        carry.clear();
        flush_pending(false);
        streaming = true;
      }
      bool ended = false;
      std::size_t nl = chunk.find('\n');
      std::string_view head = nl == std::string_view::npos ? chunk : chunk.substr(0, nl + 1);
      stream.feed(head.data(), head.size(), [&](std::string_view p) { enc[0].encode_piece(p, pending); },
                  [&] { ended = true; });
      flush_pending(ended);
      if (!ended) continue;
      streaming = false;
      chunk.remove_prefix(head.size());
    }
    carry.append(chunk);
    std::size_t last = carry.rfind('\n');
    if (last == std::string::npos) continue;
    std::string_view lines(carry.data(), last + 1);
    // Split the block into `threads` parts at line ends.
    std::vector<std::string_view> parts;
    std::size_t begin = 0;
    for (int t = 0; t < threads; ++t) {
      std::size_t end = t + 1 == threads ? lines.size() : lines.size() * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(threads);
      if (end < begin) end = begin;
      std::size_t nl = lines.find('\n', end == 0 ? 0 : end - 1);
      end = t + 1 == threads || nl == std::string_view::npos ? lines.size() : std::max(begin, nl + 1);
      parts.push_back(lines.substr(begin, end - begin));
      begin = end;
    }
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      auto work = [&, t] {
        auto& out = outs[static_cast<std::size_t>(t)];
        out.clear();
        enc[static_cast<std::size_t>(t)].encode_lines(parts[static_cast<std::size_t>(t)],
                                                      [&](const std::vector<std::int32_t>& v) { format_line(model, v, ids, out); });
      };
      if (t == 0) continue;
      pool.emplace_back(work);
    }
    {
      auto& out = outs[0];
      out.clear();
      enc[0].encode_lines(parts[0], [&](const std::vector<std::int32_t>& v) { format_line(model, v, ids, out); });
    }
    for (auto& th : pool) th.join();
    for (const auto& o : outs) write_all(o);
    carry.erase(0, last + 1);
  }
  if (streaming) {
    stream.finish([&](std::string_view p) { enc[0].encode_piece(p, pending); }, [] {});
    flush_pending(true);
  } else if (!carry.empty()) {
    std::string out;
    enc[0].encode_lines(carry, [&](const std::vector<std::int32_t>& v) { format_line(model, v, ids, out); });
    write_all(out);
  }
  std::fflush(stdout);
  return 0;
}

int bpe_decode(int argc, char** argv) {
  std::string model_path;
  po::options_description desc(
      "usage: wordlens bpe decode --model MODEL < ids > text\n\n"
      "Each input line holds integer ids (as written by encode --ids); each output line is\n"
      "the exact original bytes.\n\noptions");
  desc.add_options()("help,h", "show this help")("model", po::value(&model_path), "BPE model file");
  po::variables_map vm;
  if (!parse_options(argc, argv, desc, vm)) return 0;
  if (model_path.empty()) throw common::OptionError("--model is required");
  const auto model = tok::BpeModel::load(model_path);
  std::string line, out;
  std::vector<std::int32_t> ids;
  std::size_t lineno = 0;
  while (std::getline(std::cin, line)) {
    ++lineno;
    ids = parse_id_line(line, model.size(), "stdin line " + std::to_string(lineno));
    out += tok::bpe_decode_line(model, ids);
    out.push_back('\n');
    if (out.size() > (1 << 20)) {
      write_all(out);
      out.clear();
    }
  }
  write_all(out);
  return 0;
}

}  // namespace

int cmd_bpe(int argc, char** argv) {
  const std::string sub = argc > 1 ? argv[1] : "";
  if (sub == "train") return bpe_train(argc - 1, argv + 1);
  if (sub == "encode") return bpe_encode(argc - 1, argv + 1);
  if (sub == "decode") return bpe_decode(argc - 1, argv + 1);
  if (sub == "-h" || sub == "--help" || sub.empty()) {
    std::printf(
        "usage: wordlens bpe train|encode|decode [options]   (--help on each)\n\n"
        "  train   learn a byte-level BPE model from text\n"
        "  encode  text (stdin) -> tokens or ids (stdout), one line per line\n"
        "  decode  ids (stdin) -> the exact original text (stdout)\n");
    return sub.empty() ? 2 : 0;
  }
  throw common::OptionError("unknown bpe command '" + sub + "' (train, encode or decode)");
}

}  // namespace cli
