#include "cli/inspect_args.h"

#include <filesystem>
#include <system_error>

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/errors.h"
#include "encoder/text_normalizer.h"

namespace po = boost::program_options;

namespace cli {

void add_inspect_options(po::options_description& desc, ModelArgs& m, NormalizerFlags& nf) {
  // clang-format off
  desc.add_options()
    ("help,h", "show this help")
    ("model", po::value(&m.model), "encoder weights (safetensors)")
    ("vectors", po::value(&m.vectors), "the Word2Vec vectors the encoder was trained from (not for a BPE encoder)")
    ("tokenizer", po::value(&m.tokenizer), "the BPE model of an encoder that does not store it (older weights)");
  // clang-format on
  add_normalizer_options(desc, nf);
}

Loaded load(const ModelArgs& m, const std::string& sentence, const tok::NormalizerRequest& request) {
  if (m.model.empty()) throw common::OptionError("--model is required (the encoder weights)");
  if (sentence.empty()) throw common::OptionError("give the sentence to inspect (one quoted argument)");
  Loaded l;
  l.model = std::make_unique<enc::Encoder>(enc::Encoder::load(m.model));
  l.model->set_threads(1);
  // The normalisers first: records that disagree say more than the vocabularies that then differ.
  if (enc::trained_on_bpe(*l.model)) {
    if (!request.given.empty())
      throw common::OptionError(request.given[0] + ": " + m.model + " reads raw text as BPE pieces, not normalised words");
  } else {
    l.normalizer = tok::Normalizer(enc::sentence_normalizer(request, m.vectors, m.model));
    try {
      l.words = l.normalizer.tokens(sentence);
    } catch (const tok::TextError& e) {
      throw e.at("the sentence");
    }
  }
  l.vocab = enc::query_vocab(*l.model, m.model, m.vectors, m.tokenizer, &l.vectors);
  l.tokens = cmp::inspect_text(*l.model, l.vocab, sentence, l.normalizer);
  return l;
}

void read_sentence(Loaded& l, const std::string& sentence) {
  if (sentence.empty()) throw common::OptionError("a sentence to inspect is empty");
  if (!l.vocab.is_bpe()) {
    try {
      l.words = l.normalizer.tokens(sentence);
    } catch (const tok::TextError& e) {
      throw e.at("the sentence");
    }
  }
  l.tokens = cmp::inspect_text(*l.model, l.vocab, sentence, l.normalizer);
}

std::string normalized_word(Loaded& l, const std::string& word) {
  std::vector<std::string> w;
  try {
    w = l.normalizer.tokens(word);
  } catch (const tok::TextError& e) {
    throw e.at("WORD");
  }
  if (w.size() != 1) throw common::OptionError("WORD '" + word + "' must be a single token after normalisation");
  return w[0];
}

void warn_if_unknown(const Loaded& l, const std::string& vectors) {
  if (l.vocab.is_bpe()) return;  // bytes are never unknown
  std::size_t known = 0;
  for (const auto& w : l.words) known += l.vocab.index.find(w) > 0 ? 1 : 0;  // (id 0 is </s>)
  if (known == 0)
    spdlog::warn("none of the sentence's {} words is in the vocabulary of {}: every one is [UNK]", l.words.size(), vectors);
}

void check_index(long long v, std::size_t n, const char* option, const char* what) {
  if (v < -1 || v >= static_cast<long long>(n)) {
    std::string msg = option;
    msg += " ";
    msg += std::to_string(v);
    msg += " is out of range: the model has ";
    msg += std::to_string(n);
    msg += " ";
    msg += what;
    msg += " (valid: 0..";
    msg += std::to_string(n - 1);
    msg += ")";
    throw common::OptionError(msg);
  }
}

void write_files(const std::string& dir, const std::vector<cmp::ReportImage>& files) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw common::IoError("cannot create the output directory '" + dir + "'" + (ec ? ": " + ec.message() : ""));
  for (const auto& f : files) {
    common::AtomicFile out((std::filesystem::path(dir) / f.file).string());
    out.write(f.svg);
    out.commit();
  }
}

}  // namespace cli
