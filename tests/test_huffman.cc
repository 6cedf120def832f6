// word2vec/huffman.h: codes are a valid, optimal prefix code whose paths
// walk one consistent tree of V-1 inner nodes rooted at node V-2.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "word2vec/huffman.h"

using w2v::HuffmanCodes;

namespace {

// Optimal expected code length Σ count·len, by the textbook heap algorithm:
// the cost is the sum of all merged weights.
std::uint64_t optimal_cost(const std::vector<std::uint64_t>& counts) {
  std::priority_queue<std::uint64_t, std::vector<std::uint64_t>, std::greater<>> q(counts.begin(), counts.end());
  std::uint64_t cost = 0;
  while (q.size() > 1) {
    auto a = q.top();
    q.pop();
    auto b = q.top();
    q.pop();
    cost += a + b;
    q.push(a + b);
  }
  return cost;
}

std::string code_string(const HuffmanCodes& h, std::size_t w) {
  std::string s;
  for (auto c : h.code(w)) s += static_cast<char>('0' + c);
  return s;
}

void check_codes(const std::vector<std::uint64_t>& counts) {
  const std::size_t v = counts.size();
  CAPTURE(v);
  HuffmanCodes h(counts);
  REQUIRE(h.size() == v);
  std::vector<std::string> codes;
  std::uint64_t cost = 0;
  std::size_t max_len = 0;
  double kraft = 0;
  // Inner node reached by each code prefix: must be a function of the prefix
  // (one tree), and different prefixes must reach different nodes.
  std::map<std::string, std::int32_t> node_of_prefix;
  std::string problems;  // the first few, for a readable failure
  auto problem = [&](std::size_t w, const char* what) {
    if (problems.size() < 300) problems += "word " + std::to_string(w) + ": " + what + "; ";
  };
  for (std::size_t w = 0; w < v; ++w) {
    const auto code = h.code(w);
    const auto points = h.points(w);
    REQUIRE(code.size() == points.size());
    REQUIRE(code.size() >= 1);
    codes.push_back(code_string(h, w));
    cost += counts[w] * code.size();
    max_len = std::max(max_len, code.size());
    kraft += std::ldexp(1.0, -static_cast<int>(code.size()));
    if (points[0] != static_cast<std::int32_t>(v - 2)) problem(w, "path does not start at the root");
    for (std::size_t d = 0; d < code.size(); ++d) {
      if (code[d] > 1) problem(w, "code digit not 0/1");
      if (points[d] < 0 || points[d] > static_cast<std::int32_t>(v - 2)) problem(w, "point out of range");
      auto [it, inserted] = node_of_prefix.emplace(codes.back().substr(0, d), points[d]);
      if (!inserted && it->second != points[d]) problem(w, "same code prefix, different inner node");
    }
  }
  CHECK(h.max_length() == max_len);
  // One inner node per distinct proper prefix: exactly V-1 of them, all distinct.
  CHECK(node_of_prefix.size() == v - 1);
  std::vector<std::int32_t> nodes;
  for (const auto& [prefix, node] : node_of_prefix) nodes.push_back(node);
  std::sort(nodes.begin(), nodes.end());
  CHECK(std::adjacent_find(nodes.begin(), nodes.end()) == nodes.end());
  // Prefix-free: after sorting, no code is a prefix of its successor.
  std::sort(codes.begin(), codes.end());
  for (std::size_t i = 1; i < codes.size(); ++i)
    if (codes[i].compare(0, codes[i - 1].size(), codes[i - 1]) == 0) problem(i, "a code is a prefix of another");
  CHECK(kraft == doctest::Approx(1.0).epsilon(1e-12));  // a full binary tree
  CHECK(cost == optimal_cost(counts));
  // Frequent words get codes no longer than rare ones.
  const auto max_w = static_cast<std::size_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
  const auto min_w = static_cast<std::size_t>(std::min_element(counts.begin(), counts.end()) - counts.begin());
  CHECK(h.code(max_w).size() <= h.code(min_w).size());
  for (std::size_t a = 0; a < v; ++a)
    for (std::size_t b = 0; b < v && v <= 1000; ++b)
      if (counts[a] > counts[b] && h.code(a).size() > h.code(b).size()) problem(a, "longer than a rarer word's");
  CHECK(problems == "");
}

}  // namespace

TEST_CASE("Huffman codes on small fixed count vectors") {
  check_codes({1, 1});
  check_codes({1000, 1});
  check_codes({5, 5, 5});
  check_codes({1, 2, 4, 8, 16, 32, 64});  // a skewed, maximally deep tree
  check_codes({7, 7, 7, 7, 7, 7, 7, 7});   // balanced: all codes of length 3
  HuffmanCodes two({3, 9});
  CHECK(two.code(0).size() == 1);
  CHECK(two.code(1).size() == 1);
  CHECK(two.code(0)[0] != two.code(1)[0]);
  HuffmanCodes eight({7, 7, 7, 7, 7, 7, 7, 7});
  for (std::size_t w = 0; w < 8; ++w) CHECK(eight.code(w).size() == 3);
}

TEST_CASE("Huffman codes on random count vectors are prefix-free and optimal") {
  std::mt19937_64 rng(2024);
  for (std::size_t v : {2, 3, 5, 17, 100, 1000, 5000}) {
    for (int rep = 0; rep < 3; ++rep) {
      std::vector<std::uint64_t> counts(v);
      for (auto& c : counts) {
        switch (rep) {
          case 0: c = 1 + rng() % 10; break;                                      // many ties
          case 1: c = 1 + static_cast<std::uint64_t>(1e6 / (1 + rng() % 5000)); break;  // Zipf-ish
          default: c = 1 + rng() % 1000000; break;
        }
      }
      if (rep == 1) std::sort(counts.rbegin(), counts.rend());  // vocabulary order
      check_codes(counts);
    }
  }
}

TEST_CASE("Huffman codes of fewer than two words are empty") {
  HuffmanCodes one({42});
  CHECK(one.size() == 1);
  CHECK(one.code(0).empty());
  CHECK(one.max_length() == 0);
}
