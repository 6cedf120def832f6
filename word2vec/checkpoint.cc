#include "word2vec/checkpoint.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/distributed.h"
#include "common/atomic_file.h"
#include "common/errors.h"
#include "common/text_fields.h"

namespace w2v {

namespace {

constexpr char kMagic[8] = {'W', 'L', 'W', '2', 'V', 'C', 'K', '2'};
constexpr char kEnd[8] = {'W', 'L', 'C', 'K', 'E', 'N', 'D', '!'};

// The options that must match for a resume to be exact, as "name=value;".
std::string option_signature(const TrainOptions& o) {
  std::ostringstream s;
  s.precision(17);
  s << "-size=" << o.size << ";-window=" << o.window << ";-sample=" << o.sample << ";-hs=" << o.hs
    << ";-negative=" << o.negative << ";-threads=" << o.threads << ";-iter=" << o.iter << ";-min-count=" << o.min_count
    << ";-alpha=" << o.starting_alpha() << ";-cbow=" << o.cbow << ";--seed=" << o.seed << ";--max-vocab=" << o.max_vocab
    << ";--deterministic=" << (o.deterministic ? 1 : 0) << ";--tokenizer=" << o.tokenizer
    << ";--normalize=" << (o.normalize ? o.normalizer.spec() : "off") << ";";
  // Added after the format was fixed: only a non-default value is written, so older checkpoints still resume.
  if (o.update != Update::kPair) s << "--update=" << to_string(o.update) << ";";
  return s.str();
}

class Out {
 public:
  explicit Out(common::AtomicFile& f) : f_(f) {}
  template <class T>
  void pod(const T& v) { f_.write(&v, sizeof v); }
  void str(const std::string& s) {
    pod<std::uint64_t>(s.size());
    f_.write(s);
  }
  void matrix(const common::Matrix& m) {
    pod<std::uint64_t>(m.rows());
    pod<std::uint64_t>(m.cols());
    for (std::size_t r = 0; r < m.rows(); ++r) f_.write(m.row(r), m.cols() * sizeof(float));
  }

 private:
  common::AtomicFile& f_;
};

class In {
 public:
  explicit In(const std::string& path) : path_(path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      throw common::InputError("cannot read checkpoint '" + path + "': it is a directory, not a checkpoint file");
    f_.open(path, std::ios::binary | std::ios::ate);
    if (!f_) throw common::InputError("cannot open checkpoint '" + path + "' (nothing to resume: train without --resume first)");
    size_ = static_cast<std::uint64_t>(f_.tellg());
    f_.seekg(0);
  }
  template <class T>
  T pod() {
    T v;
    raw(&v, sizeof v);
    return v;
  }
  void raw(void* p, std::size_t n) {
    if (n > remaining() || !f_.read(static_cast<char*>(p), static_cast<std::streamsize>(n)))
      fail("file ends early: " + std::to_string(n) + " bytes needed, " + std::to_string(remaining()) +
           " left (truncated checkpoint)");
    off_ += n;
  }
  std::string str() {
    auto n = pod<std::uint64_t>();
    if (n > remaining()) fail("corrupt string length " + std::to_string(n));
    std::string s(n, '\0');
    raw(s.data(), n);
    return s;
  }
  void matrix(common::Matrix& m, std::size_t rows, std::size_t cols) {
    const auto r = pod<std::uint64_t>(), c = pod<std::uint64_t>();
    if (r != rows || c != cols)
      fail("matrix of " + std::to_string(r) + " x " + std::to_string(c) + " does not match the vocabulary (" +
           std::to_string(rows) + " x " + std::to_string(cols) + ")");
    if (rows * cols * sizeof(float) > remaining()) fail("file ends inside a matrix (truncated checkpoint)");
    m.resize(rows, cols);
    for (std::size_t i = 0; i < rows; ++i) raw(m.row(i), cols * sizeof(float));
  }
  std::uint64_t remaining() const { return size_ - off_; }
  bool at_end() const { return off_ == size_; }
  // A FormatError naming the checkpoint, what is wrong and the byte offset
  // where the item being read starts.
  [[noreturn]] void fail(const std::string& why) const {
    throw common::FormatError("checkpoint '" + path_ + "': " + why + " at byte offset " + std::to_string(off_));
  }

 private:
  std::string path_;
  std::ifstream f_;
  std::uint64_t size_ = 0, off_ = 0;
};

}  // namespace

void save_checkpoint(const std::string& path, const TrainOptions& opt, const Vocab& vocab, const Params& params,
                     const Checkpoint& state) {
  common::AtomicFile file(path);
  Out out(file);
  file.write(kMagic, sizeof kMagic);
  out.str(option_signature(opt));
  out.str(state.corpus_fingerprint);
  out.pod<std::uint64_t>(vocab.size());
  for (std::size_t i = 0; i < vocab.size(); ++i) {
    out.str(std::string(vocab.word(i)));
    out.pod<std::uint64_t>(vocab.count(i));
  }
  out.pod<std::uint64_t>(state.words_done);
  out.pod<std::uint64_t>(state.workers.size());
  for (const auto& w : state.workers) {
    out.pod(w.position);
    out.pod(w.skip);
    out.pod(w.epoch);
    out.pod(w.rng);
    out.pod(w.word_count);
    out.pod(w.last_word_count);
    out.pod(w.alpha);
    out.pod<std::uint8_t>(w.done ? 1 : 0);
  }
  out.matrix(params.syn0);
  if (opt.hs) out.matrix(params.syn1);
  if (opt.negative > 0) out.matrix(params.syn1neg);
  file.write(kEnd, sizeof kEnd);
  file.commit();
}

void load_checkpoint(const std::string& path, const TrainOptions& opt, Vocab* vocab, Params* params,
                     Checkpoint* state) {
  In in(path);
  char magic[8];
  in.raw(magic, sizeof magic);
  if (std::memcmp(magic, kMagic, sizeof magic) != 0) in.fail("not a wordlens word2vec checkpoint");
  // Checkpoints of the default --update pair carry no --update field: spell it out to compare.
  const auto explicit_update = [](std::string s) {
    return s.find(";--update=") == std::string::npos ? s + "--update=" + std::string(to_string(Update::kPair)) + ";" : s;
  };
  const std::string sig = explicit_update(in.str()), want = explicit_update(option_signature(opt));
  if (sig != want) {
    // Name the first option that differs.
    const auto a = common::split_fields(sig, ';'), b = common::split_fields(want, ';');
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
      const std::string& x = a[i];
      const std::string& y = b[i];
      if (x != y)
        throw common::OptionError("checkpoint '" + path + "' was written with " + x.substr(0, x.find('=')) + " " +
                                  x.substr(x.find('=') + 1) + ", not " + y.substr(y.find('=') + 1) +
                                  ": resume with the same options");
    }
    throw common::OptionError("checkpoint '" + path + "' was written with other options: resume with the same options");
  }
  state->corpus_fingerprint = in.str();
  auto v = in.pod<std::uint64_t>();
  // Each entry takes at least 16 bytes (length and count).
  if (v < 2 || v > (1ULL << 31) || v > in.remaining() / 16) in.fail("corrupt vocabulary size " + std::to_string(v));
  std::vector<std::pair<std::string, std::uint64_t>> entries;
  entries.reserve(v);
  for (std::uint64_t i = 0; i < v; ++i) {
    std::string w = in.str();
    entries.emplace_back(std::move(w), in.pod<std::uint64_t>());
  }
  *vocab = Vocab::from_entries(std::move(entries));
  state->words_done = in.pod<std::uint64_t>();
  auto nw = in.pod<std::uint64_t>();
  // Under mpirun the checkpoint holds the workers of every rank.
  if (nw != static_cast<std::uint64_t>(opt.threads) * static_cast<std::uint64_t>(common::dist::size()))
    in.fail(common::dist::distributed() ? "worker count does not match -threads × the number of ranks"
                                        : "worker count does not match -threads");
  state->workers.resize(nw);
  for (auto& w : state->workers) {
    w.position = in.pod<std::uint64_t>();
    w.skip = in.pod<std::uint64_t>();
    w.epoch = in.pod<std::uint32_t>();
    w.rng = in.pod<std::uint64_t>();
    w.word_count = in.pod<std::uint64_t>();
    w.last_word_count = in.pod<std::uint64_t>();
    w.alpha = in.pod<float>();
    w.done = in.pod<std::uint8_t>() != 0;
  }
  const std::size_t dim = static_cast<std::size_t>(opt.size);
  in.matrix(params->syn0, v, dim);
  if (opt.hs) in.matrix(params->syn1, v, dim);
  if (opt.negative > 0) in.matrix(params->syn1neg, v, dim);
  char end[8];
  in.raw(end, sizeof end);
  if (std::memcmp(end, kEnd, sizeof end) != 0) in.fail("missing end marker (corrupt checkpoint)");
  if (!in.at_end()) in.fail("unexpected data after the end marker");
}

}  // namespace w2v
