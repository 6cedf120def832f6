#include "cli/report_extras.h"

#include <cstdio>

#include "common/errors.h"
#include "common/normalize.h"
#include "common/svg_chart.h"
#include "encoder/train_data.h"

namespace cli {

namespace {

common::ReportSection attention_section(enc::Comparison& cmp, const std::string& example) {
  enc::Encoder& model = *cmp.model();
  const auto& vocab = cmp.encoder_vocab();
  common::ReportSection s;
  s.title = "Attention maps";
  auto words = common::normalize_tokens(example);
  if (words.size() + 1 > model.config().max_len) words.resize(model.config().max_len - 1);
  if (words.empty()) throw common::OptionError("--example has no word left after normalisation");
  const auto ids = enc::to_ids(vocab, words);  // [CLS] w...
  std::vector<std::string> labels = {"[CLS]"};
  for (std::size_t i = 0; i < words.size(); ++i) labels.push_back(ids[i + 1] == vocab.unk ? "[UNK] " + words[i] : words[i]);
  const auto len = static_cast<std::int32_t>(ids.size());
  model.forward(ids.data(), &len, 1, ids.size());
  const std::size_t t = ids.size(), heads = model.config().n_heads, layers = model.config().n_layers;
  s.paragraphs.push_back("The attention weights of every head for \"" + example +
                         "\" (rows: the attending token, columns: the attended token). The same maps come from "
                         "`wordlens attention`.");
  std::string summary;
  for (std::size_t l = 0; l < layers; ++l) {
    const auto w = model.attention_weights(l, 0);  // [H, T, T]
    for (std::size_t h = 0; h < heads; ++h) {
      std::vector<float> m(w.begin() + static_cast<std::ptrdiff_t>(h * t * t), w.begin() + static_cast<std::ptrdiff_t>((h + 1) * t * t));
      std::string title = "layer ";
      title += std::to_string(l);
      title += ", head ";
      title += std::to_string(h);
      std::string file = "attention_L";
      file += std::to_string(l);
      file += "_H";
      file += std::to_string(h);
      file += ".svg";
      s.images.push_back({file, title, common::svg_heatmap(title, labels, labels, m, 0.0, 1.0)});
      summary += "L" + std::to_string(l) + " H" + std::to_string(h) + ":";
      for (std::size_t q = 0; q < t; ++q) {
        std::size_t best = 0;
        for (std::size_t k = 1; k < t; ++k)
          if (m[q * t + k] > m[q * t + best]) best = k;
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.2f", m[q * t + best]);
        summary += "  " + labels[q] + "->" + labels[best] + " " + buf;
      }
      summary += "\n";
    }
  }
  s.preformatted.push_back("Where each token attends most (query->key weight):\n" + summary);
  return s;
}

}  // namespace

std::vector<common::ReportSection> report_extras(enc::Comparison& cmp, const std::string& example) {
  std::vector<common::ReportSection> out;
  out.push_back(attention_section(cmp, example));
  return out;
}

}  // namespace cli
