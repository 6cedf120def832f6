#include "tokenizer/normalize_text.h"

#include <chrono>
#include <optional>
#include <vector>

#include "common/errors.h"
#include "common/parallel.h"
#include "common/stop_request.h"

namespace tok {

namespace {

// Paragraphs per block at most: a block of short lines stays small too.
constexpr std::size_t kBlockParagraphs = 1 << 14;

struct Done {
  std::string text;  // the paragraph's sentences, one per line
  std::uint64_t sentences = 0, tokens = 0;
  std::optional<std::string> error;  // located InputError message
};

void normalize_paragraph(Normalizer& n, const Paragraph& p, const std::string& input, std::vector<std::string>& toks,
                         Done* out) {
  out->text.clear();
  out->sentences = out->tokens = 0;
  out->error.reset();
  try {
    for (const auto& [b, e] : n.sentences(p.text)) {
      toks.clear();
      n.append_tokens(std::string_view(p.text).substr(b, e - b), &toks);
      if (toks.empty()) continue;
      for (std::size_t i = 0; i < toks.size(); ++i) {
        if (i) out->text.push_back(' ');
        out->text += toks[i];
      }
      out->text.push_back('\n');
      ++out->sentences;
      out->tokens += toks.size();
    }
  } catch (const TextError& e) {
    const auto [line, byte] = p.locate(e.byte);
    out->error = input + ":" + std::to_string(line) + ": byte " + std::to_string(byte) + ": " + e.problem;
  }
}

}  // namespace

void NormalizeTextOptions::validate() const {
  if (input.empty()) throw common::OptionError("--input is required: a text file, or - for standard input");
  if (threads < 1 || threads > 1024) throw common::OptionError("--threads must be between 1 and 1024");
  if (block_bytes == 0 || max_paragraph == 0) throw common::OptionError("block and paragraph sizes must be positive");
  normalizer.validate();
}

NormalizeTextStats normalize_text(const NormalizeTextOptions& o, const std::function<void(std::string_view)>& write,
                                  const common::TrainHooks<NormalizeTextProgress>& hooks) {
  o.validate();
  const auto t0 = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  ParagraphReader reader(o.input, o.paragraphs, o.max_paragraph);
  std::vector<Normalizer> norms(static_cast<std::size_t>(o.threads), Normalizer(o.normalizer));
  std::vector<std::vector<std::string>> scratch(norms.size());
  NormalizeTextStats st;
  for (bool more = true; more;) {
    // Fresh buffers per block: kept ones would each grow to the longest
    // paragraph they ever held.
    std::vector<Paragraph> block;
    std::size_t n = 0, bytes = 0;
    while (bytes < o.block_bytes && n < kBlockParagraphs) {
      block.emplace_back();
      if (!reader.next(&block[n])) {
        more = false;
        break;
      }
      bytes += block[n++].text.size();
    }
    std::vector<Done> done(n);
    common::parallel_for(n, o.threads, [&](std::size_t i, int ith) {
      const auto t = static_cast<std::size_t>(ith);
      normalize_paragraph(norms[t], block[i], reader.name(), scratch[t], &done[i]);
    });
    for (std::size_t i = 0; i < n; ++i) {
      if (done[i].error) throw common::InputError(*done[i].error);
      st.sentences += done[i].sentences;
      st.tokens += done[i].tokens;
    }
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += done[i].text;
    if (!out.empty()) write(out);
    st.paragraphs += n;
    hooks.progress({reader.bytes_read(), reader.total_bytes(), seconds(), !more});
    if (more) common::throw_if_stop_requested("normalising the text");
  }
  st.lines = reader.lines_read();
  st.bytes = reader.bytes_read();
  st.seconds = seconds();
  return st;
}

}  // namespace tok
