#include "tokenizer/byte_unicode.h"

#include <array>

#include "common/utf8.h"

namespace tok {

namespace {

struct Tables {
  std::array<char32_t, 256> to_cp{};
  std::array<int, 324> from_cp{};  // code point -> byte, -1 if none (all code points used are < 324)
  Tables() {
    from_cp.fill(-1);
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      to_cp[static_cast<std::size_t>(b)] = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + n++);
    }
    for (int b = 0; b < 256; ++b) from_cp[to_cp[static_cast<std::size_t>(b)]] = b;
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

void append_glyph(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else {  // all mapped code points are below U+0800
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

char32_t byte_glyph(unsigned char b) { return tables().to_cp[b]; }

int glyph_byte(char32_t cp) {
  const auto& t = tables();
  return cp < t.from_cp.size() ? t.from_cp[cp] : -1;
}

std::string bytes_to_shown(std::string_view bytes) {
  const auto& t = tables();
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) append_glyph(out, t.to_cp[b]);
  return out;
}

bool shown_to_bytes(std::string_view shown, std::string* bytes) {
  const auto& t = tables();
  bytes->clear();
  const auto* p = reinterpret_cast<const unsigned char*>(shown.data());
  for (std::size_t i = 0; i < shown.size();) {
    char32_t cp;
    std::size_t n = common::utf8_decode(p + i, shown.size() - i, &cp);
    if (n == 0 || cp >= t.from_cp.size() || t.from_cp[cp] < 0) return false;
    bytes->push_back(static_cast<char>(t.from_cp[cp]));
    i += n;
  }
  return true;
}

}  // namespace tok
