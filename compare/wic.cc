#include "compare/wic.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include "common/errors.h"
#include "common/line_reader.h"
#include "common/text_fields.h"

namespace cmp {

namespace {

WicSplit read_split(const std::string& data_path, const std::string& gold_path, const std::string& name,
                    tok::Normalizer& norm, bool words_required) {
  std::error_code ec;
  if (!std::filesystem::exists(gold_path, ec))
    throw common::InputError("WiC gold file '" + gold_path + "' is missing (it must sit beside " + data_path + ")");
  common::LineReader data(data_path, "WiC file"), gold(gold_path, "WiC gold file");
  WicSplit s;
  s.name = name;
  std::string line, label;
  while (data.next_nonempty(line)) {
    const std::string at = data.where() + ": ";
    tok::repair_line(line, data.where());  // the sentences are normalised later, away from their line
    auto f = common::split_fields(line, '\t');
    if (f.size() < 5)
      throw common::FormatError(at + "expected 5 tab-separated columns (lemma, POS, i-j, sentence 1, sentence 2), got " +
                                std::to_string(f.size()));
    const auto dash = f[2].find('-');
    std::size_t i = 0, j = 0;
    try {
      if (dash == std::string::npos) throw std::invalid_argument("no dash");
      std::size_t used = 0;
      i = std::stoul(f[2].substr(0, dash), &used);
      if (used != dash) throw std::invalid_argument("junk");
      j = std::stoul(f[2].substr(dash + 1), &used);
      if (used != f[2].size() - dash - 1) throw std::invalid_argument("junk");
    } catch (const std::logic_error&) {
      throw common::FormatError(at + "column 3 '" + f[2] + "' is not a pair of token indices i-j");
    }
    WicItem item;
    item.line = data.line_number();
    try {
      auto lemma = norm.tokens(f[0]);
      if (!lemma.empty()) item.lemma = lemma[0];
      item.p1 = wic_position(f[3], i, &item.t1, norm, words_required);
      item.p2 = wic_position(f[4], j, &item.t2, norm, words_required);
      item.s1 = f[3], item.s2 = f[4], item.i1 = i, item.i2 = j;
    } catch (const common::FormatError& e) {
      throw common::FormatError(at + e.what());
    }
    if (!gold.next_nonempty(label))
      throw common::FormatError(gold_path + " has fewer labels than " + data_path + " has examples (" +
                                std::to_string(s.items.size()) + ")");
    if (label != "T" && label != "F")
      throw common::FormatError(gold.where() + ": label " + std::to_string(s.items.size() + 1) + " is '" + label +
                                "', expected T or F");
    item.same = label == "T";
    s.items.push_back(std::move(item));
  }
  if (gold.next_nonempty(label))
    throw common::FormatError(gold_path + " has more labels than " + data_path + " has examples (" +
                              std::to_string(s.items.size()) + ")");
  if (s.items.empty()) throw common::FormatError(data_path + " holds no examples");
  return s;
}

}  // namespace

std::size_t wic_position(const std::string& sentence, std::size_t index, std::vector<std::string>* tokens,
                         tok::Normalizer& n, bool words_required) {
  const std::vector<std::string> words = common::split_ws(sentence);
  if (index >= words.size())
    throw common::FormatError("token index " + std::to_string(index) + " is out of range of a sentence of " +
                              std::to_string(words.size()) + " tokens");
  tokens->clear();
  std::vector<std::size_t> start(words.size() + 1);  // first normalised position of each space token
  for (std::size_t k = 0; k < words.size(); ++k) {
    start[k] = tokens->size();
    n.append_tokens(words[k], tokens);
  }
  start[words.size()] = tokens->size();
  if (tokens->empty()) {
    if (!words_required) return 0;
    throw common::FormatError("the sentence has no word left after normalisation");
  }
  // The target's own first token, or the next token's, or (at the end) the last one.
  return std::min(start[index], tokens->size() - 1);
}

std::vector<WicSplit> read_wic(const std::string& dir, const tok::NormalizerOptions& norm_options, bool words_required) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw common::InputError("WiC directory '" + dir + "' does not exist");
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string f = e.path().filename().string();
    const std::string suffix = ".data.txt";
    if (f.size() > suffix.size() && f.compare(f.size() - suffix.size(), suffix.size(), suffix) == 0)
      names.push_back(f.substr(0, f.size() - suffix.size()));
  }
  if (std::find(names.begin(), names.end(), "train") == names.end())
    throw common::InputError("WiC directory '" + dir + "' has no train.data.txt (the threshold is chosen on the train split)");
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return (a == "train") != (b == "train") ? a == "train" : a < b;
  });
  std::vector<WicSplit> splits;
  tok::Normalizer norm(norm_options);
  for (const auto& n : names) {
    const std::string base = (fs::path(dir) / n).string();
    splits.push_back(read_split(base + ".data.txt", base + ".gold.txt", n, norm, words_required));
  }
  return splits;
}

WicThreshold choose_threshold(const std::vector<double>& cosine, const std::vector<bool>& gold) {
  const std::size_t n = cosine.size();
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cosine[a] > cosine[b]; });
  // Threshold +inf: everything predicted "different".
  std::size_t correct = 0;
  for (std::size_t i = 0; i < n; ++i) correct += gold[i] ? 0 : 1;
  WicThreshold best{std::numeric_limits<double>::infinity(), 0};
  std::size_t best_correct = correct;
  // Lowering the threshold to each distinct cosine (descending) turns the
  // items with that cosine into "same" predictions; ">=" keeps later
  // (smaller) thresholds on ties.
  for (std::size_t k = 0; k < n;) {
    const double t = cosine[order[k]];
    for (; k < n && cosine[order[k]] == t; ++k) correct += gold[order[k]] ? 1 : std::size_t(-1);
    if (correct >= best_correct) {
      best_correct = correct;
      best.threshold = t;
    }
  }
  best.train_accuracy = n ? 100.0 * static_cast<double>(best_correct) / static_cast<double>(n) : 0;
  return best;
}

double wic_accuracy(const std::vector<double>& cosine, const std::vector<bool>& gold, double threshold) {
  std::size_t correct = 0;
  for (std::size_t i = 0; i < cosine.size(); ++i) correct += (cosine[i] >= threshold) == gold[i] ? 1 : 0;
  return cosine.empty() ? 0 : 100.0 * static_cast<double>(correct) / static_cast<double>(cosine.size());
}

}  // namespace cmp
