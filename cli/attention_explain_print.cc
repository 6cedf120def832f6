#include "cli/attention_explain_print.h"

#include <cmath>
#include <cstdio>

#include "common/display_width.h"

namespace cli {

namespace {

std::string num(double v, const char* fmt = "%.4f") {
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string shape(const char* a, std::size_t x, const char* b, std::size_t y) {
  return "[" + std::string(a) + "=" + std::to_string(x) + ", " + b + "=" + std::to_string(y) + "]";
}

// Rows of m[T, cols], each labelled by its token, the first `dims` columns
// shown; with `sums`, each row's sum at the end.
std::string rows(const std::vector<float>& m, std::size_t cols, const std::vector<std::string>& tok, std::size_t dims,
                 bool sums = false) {
  const std::size_t tw = common::max_display_width(tok), shown = std::min(dims, cols);
  std::string out;
  for (std::size_t t = 0; t < tok.size(); ++t) {
    out += "  " + common::pad_right(tok[t], tw);
    double sum = 0;
    for (std::size_t c = 0; c < cols; ++c) sum += m[t * cols + c];
    for (std::size_t c = 0; c < shown; ++c) out += " " + common::pad_left(num(m[t * cols + c]), 8);
    if (shown < cols) out += "  \xE2\x80\xA6";
    if (sums) out += "  | sum " + num(sum);
    out += "\n";
  }
  return out;
}

// A [T, T] matrix with the keys as column headers.
std::string square(const std::vector<float>& m, const std::vector<std::string>& tok, bool sums = false) {
  const std::size_t tw = common::max_display_width(tok);
  std::size_t cw = 8;
  for (const auto& t : tok) cw = std::max(cw, common::display_width(t));
  std::string out = "  " + common::pad_right("", tw);
  for (const auto& t : tok) out += " " + common::pad_left(t, cw);
  out += "\n";
  const std::size_t T = tok.size();
  for (std::size_t i = 0; i < T; ++i) {
    out += "  " + common::pad_right(tok[i], tw);
    double sum = 0;
    for (std::size_t j = 0; j < T; ++j) {
      sum += std::isinf(m[i * T + j]) ? 0.0 : m[i * T + j];
      out += " " + common::pad_left(num(m[i * T + j]), cw);
    }
    if (sums) out += "  | sum " + num(sum);
    out += "\n";
  }
  return out;
}

}  // namespace

std::string explain_text(const cmp::HeadExplanation& e, const std::vector<std::string>& tok, std::size_t n_heads,
                         std::size_t dims) {
  const std::size_t T = e.seq, d = e.d_model, dh = e.head_dim;
  const std::string L = std::to_string(e.layer), H = std::to_string(e.head);
  const std::string x = e.pre_norm ? "x = LN1(residual)" : "x = residual";
  std::string out = "layer " + L + ", head " + H + " (of " + std::to_string(n_heads) + "): d_model " + std::to_string(d) +
                    ", d_head " + std::to_string(dh) + ", " + std::to_string(T) + " tokens\n";
  out += e.pre_norm ? "pre-norm: Q, K and V are projected from LN1 (layers." + L + ".norm1) of the residual stream entering layer " + L + "\n"
                    : "post-norm: Q, K and V are projected from the residual stream entering layer " + L + " itself\n";
  if (dims < d)
    out += "vectors show their first " + std::to_string(dims) + " components (\xE2\x80\xA6 for the rest); every component is used\n";
  out += "\n" + x + ": " + shape("T", T, "d_model", d) + "\n" + rows(e.input, d, tok, dims);
  const std::string cols = "rows " + std::to_string(e.head * dh) + ".." + std::to_string((e.head + 1) * dh - 1);
  out += "\nq = x W_q\xE1\xB5\x80 + b_q (in_proj " + cols + "): " + shape("T", T, "d_head", dh) + "\n" + rows(e.q, dh, tok, dims);
  out += "\nk = x W_k\xE1\xB5\x80 + b_k: " + shape("T", T, "d_head", dh) + "\n" + rows(e.k, dh, tok, dims);
  out += "\nv = x W_v\xE1\xB5\x80 + b_v: " + shape("T", T, "d_head", dh) + "\n" + rows(e.v, dh, tok, dims);
  out += "\nraw scores q\xC2\xB7k (rows: queries, columns: keys): " + shape("T", T, "T", T) + "\n" + square(e.scores, tok);
  out += "\nscaled: q\xC2\xB7k / \xE2\x88\x9A" + std::to_string(dh) + " = q\xC2\xB7k \xC3\x97 " + num(e.scale, "%.6g");
  if (e.window > 0)
    out += "; sliding window \xC2\xB1" + std::to_string(e.window) + ": keys further away are masked (-inf)";
  out += "\n" + square(e.scaled, tok);
  out += "\nsoftmax of each row (the attention probabilities):\n" + square(e.probs, tok, true);
  out += "\nweighted sum of the values, out_i = \xCE\xA3_j p_ij v_j: " + shape("T", T, "d_head", dh) + "\n" +
         rows(e.context, dh, tok, dims);
  out += "\nthrough W_O: out \xC2\xB7 (out_proj.weight columns " + std::to_string(e.head * dh) + ".." +
         std::to_string((e.head + 1) * dh - 1) + ")\xE1\xB5\x80: " + shape("T", T, "d_model", d) +
         "\n  this head's share of the attention output; the heads' shares plus out_proj.bias are added to the residual\n" +
         rows(e.output, d, tok, dims);
  return out;
}

nlohmann::ordered_json explain_json(const cmp::HeadExplanation& e, const std::vector<std::string>& tokens,
                                    const std::vector<std::int32_t>& ids) {
  auto matrix = [](const std::vector<float>& m, std::size_t cols) {
    auto a = nlohmann::ordered_json::array();
    for (std::size_t r = 0; r * cols < m.size(); ++r) {
      auto row = nlohmann::ordered_json::array();
      for (std::size_t c = 0; c < cols; ++c) {
        const float v = m[r * cols + c];
        if (std::isinf(v)) row.push_back(nullptr);
        else row.push_back(v);
      }
      a.push_back(std::move(row));
    }
    return a;
  };
  nlohmann::ordered_json j;
  j["layer"] = e.layer;
  j["head"] = e.head;
  j["tokens"] = tokens;
  j["ids"] = ids;
  j["d_model"] = e.d_model;
  j["d_head"] = e.head_dim;
  j["pre_norm"] = e.pre_norm;
  j["window"] = e.window;
  j["scale"] = e.scale;
  j["residual"] = matrix(e.residual, e.d_model);
  j["input"] = matrix(e.input, e.d_model);
  j["q"] = matrix(e.q, e.head_dim);
  j["k"] = matrix(e.k, e.head_dim);
  j["v"] = matrix(e.v, e.head_dim);
  j["scores"] = matrix(e.scores, e.seq);
  j["scaled"] = matrix(e.scaled, e.seq);
  j["probs"] = matrix(e.probs, e.seq);
  j["context"] = matrix(e.context, e.head_dim);
  j["output"] = matrix(e.output, e.d_model);
  return j;
}

}  // namespace cli
