// The supervised rows of Comparison (issue 15): a CoSENT linear map per
// sentence row learned on STS-B train, and a logistic-regression classifier
// per WiC method learned on WiC train. The same procedure for the static and
// the encoder rows, settings chosen on train only.
#include <filesystem>

#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "common/text_format.h"
#include "compare/comparison.h"
#include "compare/linear_map.h"
#include "compare/wic_classifier.h"

namespace cmp {

namespace {

constexpr std::size_t kWicFolds = 5;

std::string base_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

// The model's "finetuned" metadata (what it was fine-tuned on), or null.
nlohmann::ordered_json finetuned(const enc::Encoder* model) {
  if (!model) return nullptr;
  const auto& meta = model->extra_metadata();
  const auto it = meta.find("finetuned");
  if (it == meta.end() || it->second.empty()) return nullptr;
  return it->second;
}

}  // namespace

const common::Matrix* Comparison::map_of(const std::string& key) const {
  for (const auto& [k, w] : maps_)
    if (k == key) return &w;
  return nullptr;
}

void Comparison::learn_sts_maps() {
  const std::string name = base_name(opt_.sts_train);
  const std::size_t n = sts_train_.gold.size();
  spdlog::info("{}: {} to learn the linear maps on", name, common::plural(n, "sentence pair", "sentence pairs"));
  if (sv_)
    report_zero(rows_without_known(sts_train_both_), 2 * n, name + " sentences",
                [&](std::size_t r) {
                  return opt_.sts_train + ":" + std::to_string(sts_train_.line[r % n]) + " (sentence " + (r < n ? "1" : "2") + ")";
                },
                "no word of the sentence is in");
  std::vector<std::string> raw = sts_train_.s1;
  raw.insert(raw.end(), sts_train_.s2.begin(), sts_train_.s2.end());
  LinearMapOptions base;
  base.seed = opt_.seed;
  nlohmann::ordered_json rec = nlohmann::ordered_json::object();
  std::size_t held_out = 0;
  sentence_rows(name, sts_train_both_, raw, [&](const std::string& key, common::Matrix& x) {  // x[2n, d]
    const StsPairs p{&x, &sts_train_.gold};
    auto report = [&](const std::string& what) {
      return [this, what](std::size_t done, std::size_t total) {
        if (progress_) progress_({what, done, total, "epochs"});
      };
    };
    std::string method = key;
    for (const auto& [k, m] : kSentenceRows)
      if (k == key) method = m;
    const LinearMapChoice c = choose_linear_map(p, base, default_map_decays(), report(name + ": " + method + " map, choosing"));
    LinearMapOptions o = base;
    o.decay = c.decay, o.epochs = c.epochs;
    maps_.emplace_back(key, train_linear_map(p, {}, o, report(name + ": " + method + " map")));
    held_out = c.held_out_pairs;
    rec[key] = {{"weight_decay", c.decay}, {"epochs", c.epochs}, {"held_out", c.held_out}, {"held_out_identity", c.held_out_identity}};
    spdlog::info("{}: {} map: decay {}, {} epochs (held-out Spearman {:.2f}, {:.2f} without the map)", name, key, c.decay,
                 c.epochs, c.held_out, c.held_out_identity);
  });
  nlohmann::ordered_json decays = nlohmann::ordered_json::array();
  for (double d : default_map_decays()) decays.push_back(d);
  supervision_["sts_train"] = name;
  supervision_["sts_train_pairs"] = n;
  supervision_["map"] = {{"loss", "cosent"},       {"scale", base.scale},       {"optimizer", "adam"},
                         {"lr", base.lr},          {"batch", base.batch},       {"max_epochs", base.epochs},
                         {"decays_tried", decays}, {"held_out_pairs", held_out}, {"seed", base.seed}};
  supervision_["sts_maps"] = rec;
  supervision_["encoder_finetuned"] = finetuned(model_.get());
}

nlohmann::ordered_json Comparison::run_wic_supervised() {
  if (wic_pairs_.empty()) throw common::OptionError("run_wic_supervised: run_wic with the supervised option first");
  const std::vector<std::string> methods = {"static_window", "encoder"};
  nlohmann::ordered_json out = nlohmann::ordered_json::object(), rec = nlohmann::ordered_json::object();
  for (std::size_t s = 1; s < wic_.size(); ++s) out[wic_[s].name] = nlohmann::ordered_json::object();
  auto gold = [&](std::size_t s) {
    std::vector<bool> g;
    for (const auto& it : wic_[s].items) g.push_back(it.same);
    return g;
  };
  for (std::size_t m = 0; m < methods.size(); ++m) {
    const WicPairs& train = wic_pairs_[0][m];
    if (train.u.rows() == 0) {  // static rows without vectors, encoder without a model
      for (std::size_t s = 1; s < wic_.size(); ++s) out[wic_[s].name][methods[m]] = nullptr;
      continue;
    }
    const std::string what = "WiC train: " + methods[m] + " classifier";
    const WicClassifier c =
        train_wic_classifier(wic_pair_features(train.u, train.v), gold(0), default_wic_lambdas(), kWicFolds, opt_.seed,
                             [&](std::size_t done, std::size_t total) {
                               if (progress_) progress_({what, done, total, "fits"});
                             });
    rec[methods[m]] = {{"lambda", c.lambda},
                       {"cv_accuracy", c.cv_accuracy},
                       {"train_accuracy", c.train_accuracy},
                       {"features", 2 * train.u.cols() + 1}};
    spdlog::info("{}: lambda {} by {}-fold cross-validation (accuracy {:.2f}%), train accuracy {:.2f}%", what, c.lambda,
                 kWicFolds, c.cv_accuracy, c.train_accuracy);
    for (std::size_t s = 1; s < wic_.size(); ++s) {
      const WicPairs& p = wic_pairs_[s][m];
      out[wic_[s].name][methods[m]] = wic_classifier_accuracy(c, wic_pair_features(p.u, p.v), gold(s));
    }
  }
  nlohmann::ordered_json lambdas = nlohmann::ordered_json::array();
  for (double l : default_wic_lambdas()) lambdas.push_back(l);
  supervision_["wic_classifier"] = {{"features", "u*v, |u-v|, cos(u,v), standardised on train"},
                                    {"folds", kWicFolds},
                                    {"lambdas_tried", lambdas},
                                    {"methods", rec}};
  if (!supervision_.contains("encoder_finetuned")) supervision_["encoder_finetuned"] = finetuned(model_.get());
  wic_pairs_.clear();
  return out;
}

}  // namespace cmp
