#include "word2vec/sentence_vectors.h"

#include <cmath>

#include "common/blas.h"
#include "common/errors.h"
#include "word2vec/vocab.h"

namespace w2v {

SentenceVectors::SentenceVectors(const Embeddings& e) : e_(e) {
  for (const auto& w : e.words) index_.insert(w);
}

void SentenceVectors::set_counts(const std::string& vocab_path) {
  counts_ = word_counts(e_.words, vocab_path);
}

std::vector<double> word_counts(const std::vector<std::string>& words, const std::string& vocab_path) {
  // Vocab::read parses and checks the -save-vocab format (FormatError with file:line).
  const Vocab vocab = Vocab::read(vocab_path, VocabOptions{1, 0, 1, nullptr});
  tok::WordTable index;
  for (const auto& w : words) index.insert(w);
  std::vector<double> counts(words.size(), 1.0);  // [n]
  std::size_t found = 0;
  for (std::size_t i = 0; i < vocab.size(); ++i) {
    auto id = index.find(vocab.word(i));
    if (id >= 0) counts[static_cast<std::size_t>(id)] = static_cast<double>(vocab.count(i)), ++found;
  }
  if (found == 0) throw common::InputError(vocab_path + ": no word of the vectors has a count here (another vocabulary?)");
  return counts;
}

std::vector<float> sif_weights(const std::vector<double>& counts, double a) {
  double total = 0;
  for (double x : counts) total += x;
  std::vector<float> w(counts.size());  // [n]
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(a / (a + counts[i] / total));
  return w;
}

std::size_t SentenceVectors::known_tokens(const std::vector<std::string>& sentence) const {
  std::size_t n = 0;
  for (const auto& t : sentence) n += index_.find(t) >= 0 ? 1 : 0;
  return n;
}

common::Matrix SentenceVectors::weighted(const std::vector<std::vector<std::string>>& sentences,
                                         const std::vector<float>* weights, SentenceStats* stats) const {
  const std::size_t d = e_.vectors.cols();
  common::Matrix out(sentences.size(), d);  // [S, d]
  SentenceStats st;
  st.sentences = sentences.size();
  for (std::size_t s = 0; s < sentences.size(); ++s) {
    float* row = out.row(s);
    std::size_t n = 0;
    for (const auto& tok : sentences[s]) {
      ++st.tokens;
      auto id = index_.find(tok);
      if (id < 0) continue;
      const float w = weights ? (*weights)[static_cast<std::size_t>(id)] : 1.f;
      const float* v = e_.vectors.row(static_cast<std::size_t>(id));
      for (std::size_t j = 0; j < d; ++j) row[j] += w * v[j];
      ++n;
    }
    st.known += n;
    if (n == 0) {
      ++st.empty;
      st.empty_rows.push_back(s);
      continue;
    }
    for (std::size_t j = 0; j < d; ++j) row[j] /= static_cast<float>(n);
  }
  if (stats) *stats = st;
  return out;
}

common::Matrix SentenceVectors::average(const std::vector<std::vector<std::string>>& sentences,
                                        SentenceStats* stats) const {
  return weighted(sentences, nullptr, stats);
}

common::Matrix SentenceVectors::sif_weighted(const std::vector<std::vector<std::string>>& sentences, double a,
                                             SentenceStats* stats) const {
  if (counts_.empty()) throw common::OptionError("sif needs word counts: pass --vocab (the file train -save-vocab wrote)");
  const std::vector<float> w = sif_weights(counts_, a);
  return weighted(sentences, &w, stats);
}

common::Matrix SentenceVectors::sif(const std::vector<std::vector<std::string>>& sentences, double a,
                                    SentenceStats* stats) const {
  auto x = sif_weighted(sentences, a, stats);
  remove_first_component(x);
  return x;
}

void GramMatrix::add(const common::Matrix& x) {
  if (x.rows() == 0 || d_ == 0) return;
  std::vector<float> block(d_ * d_);  // [d, d] = x[S, d]ᵀ x[S, d]
  common::gemm(true, false, d_, d_, x.rows(), 1.f, x.data(), x.ld(), x.data(), x.ld(), 0.f, block.data(), d_);
  for (std::size_t i = 0; i < block.size(); ++i) g_[i] += block[i];
}

std::vector<double> GramMatrix::first_component() const {
  const std::size_t d = d_;
  std::vector<double> u(d, 1.0 / std::sqrt(static_cast<double>(d))), next(d);
  for (int it = 0; it < 200; ++it) {  // u <- normalise(G u)
    for (std::size_t i = 0; i < d; ++i) {
      double acc = 0;
      for (std::size_t j = 0; j < d; ++j) acc += g_[i * d + j] * u[j];
      next[i] = acc;
    }
    double norm = 0;
    for (double v : next) norm += v * v;
    norm = std::sqrt(norm);
    if (norm == 0) return {};
    double change = 0;
    for (std::size_t j = 0; j < d; ++j) {
      next[j] /= norm;
      change += std::fabs(next[j] - u[j]);
    }
    u.swap(next);
    if (change < 1e-10) break;
  }
  return u;
}

void remove_component(common::Matrix& x, const std::vector<double>& u) {
  if (u.size() != x.cols())
    throw common::InputError("a component of dimension " + std::to_string(u.size()) + " for vectors of dimension " +
                             std::to_string(x.cols()));
  for (std::size_t i = 0; i < x.rows(); ++i) {
    double proj = 0;
    for (std::size_t j = 0; j < u.size(); ++j) proj += x.at(i, j) * u[j];
    for (std::size_t j = 0; j < u.size(); ++j) x.at(i, j) -= static_cast<float>(proj * u[j]);
  }
}

void remove_first_component(common::Matrix& x) {
  GramMatrix g(x.cols());
  g.add(x);
  const auto u = g.first_component();
  if (!u.empty()) remove_component(x, u);
}

}  // namespace w2v
