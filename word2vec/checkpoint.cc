#include "word2vec/checkpoint.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

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
    << ";--deterministic=" << (o.deterministic ? 1 : 0) << ";--tokenizer=" << o.tokenizer << ";";
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
  explicit In(const std::string& path) : path_(path), f_(path, std::ios::binary) {
    if (!f_) throw common::InputError("cannot open checkpoint '" + path + "' (nothing to resume: train without --resume first)");
  }
  template <class T>
  T pod() {
    T v;
    raw(&v, sizeof v);
    return v;
  }
  void raw(void* p, std::size_t n) {
    if (!f_.read(static_cast<char*>(p), static_cast<std::streamsize>(n)))
      fail("file ends early (truncated checkpoint)");
  }
  std::string str() {
    auto n = pod<std::uint64_t>();
    if (n > (1ULL << 30)) fail("corrupt string length");
    std::string s(n, '\0');
    raw(s.data(), n);
    return s;
  }
  void matrix(common::Matrix& m, std::size_t rows, std::size_t cols) {
    if (pod<std::uint64_t>() != rows || pod<std::uint64_t>() != cols) fail("matrix shape does not match its vocabulary");
    m.resize(rows, cols);
    for (std::size_t r = 0; r < rows; ++r) raw(m.row(r), cols * sizeof(float));
  }
  [[noreturn]] void fail(const std::string& why) {
    throw common::FormatError("checkpoint '" + path_ + "': " + why + " at byte offset " +
                              std::to_string(static_cast<long long>(f_.tellg())));
  }
  std::ifstream& stream() { return f_; }

 private:
  std::string path_;
  std::ifstream f_;
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
  const std::string sig = in.str(), want = option_signature(opt);
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
  if (v < 2 || v > (1ULL << 31)) in.fail("corrupt vocabulary size");
  std::vector<std::pair<std::string, std::uint64_t>> entries;
  entries.reserve(v);
  for (std::uint64_t i = 0; i < v; ++i) {
    std::string w = in.str();
    entries.emplace_back(std::move(w), in.pod<std::uint64_t>());
  }
  *vocab = Vocab::from_entries(std::move(entries));
  state->words_done = in.pod<std::uint64_t>();
  auto nw = in.pod<std::uint64_t>();
  if (nw != static_cast<std::uint64_t>(opt.threads)) in.fail("worker count does not match -threads");
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
  if (in.stream().peek() != std::char_traits<char>::eof()) in.fail("unexpected data after the end marker");
}

}  // namespace w2v
