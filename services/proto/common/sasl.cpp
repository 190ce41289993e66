// NAME
//   sasl.cpp - strict base64 and the SASL PLAIN decoder.
#include "proto/common/sasl.h"

#include <array>

namespace appliance::sasl {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) {
  auto at = kAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// One group of four characters; `pad` of them are '='.
bool decode_group(std::string_view g, std::size_t pad, std::string& out) {
  unsigned v = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    int s = i < 4 - pad ? sextet(g[i]) : 0;
    if (s < 0) return false;
    v = v << 6 | static_cast<unsigned>(s);
  }
  // Unused bits must be zero: otherwise one value has several spellings.
  if ((pad == 1 && (v & 0xff)) || (pad == 2 && (v & 0xffff))) return false;
  out += static_cast<char>(v >> 16);
  if (pad < 2) out += static_cast<char>(v >> 8 & 0xff);
  if (pad < 1) out += static_cast<char>(v & 0xff);
  return true;
}

}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::string_view g = text.substr(i, 4);
    bool last = i + 4 == text.size();
    std::size_t pad = g[3] != '=' ? 0 : g[2] == '=' ? 2 : 1;
    if (pad && !last) return std::nullopt;
    if (!decode_group(g, pad, out)) return std::nullopt;
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    unsigned v = 0;
    for (std::size_t k = 0; k < 3; ++k)
      v = v << 8 | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[v >> (18 - 6 * k) & 0x3f] : '=';
  }
  return out;
}

std::optional<Plain> decode_plain(std::string_view response) {
  std::optional<std::string> bytes = response == "=" ? std::string() : base64_decode(response);
  if (!bytes) return std::nullopt;
  Secret whole(std::move(*bytes));  // wiped when we return
  std::string_view m = whole.reveal();
  auto first = m.find('\0');
  auto second = first == std::string_view::npos ? first : m.find('\0', first + 1);
  if (second == std::string_view::npos || m.find('\0', second + 1) != std::string_view::npos)
    return std::nullopt;
  Plain p{std::string(m.substr(0, first)), std::string(m.substr(first + 1, second - first - 1)),
          Secret(std::string(m.substr(second + 1)))};
  if (p.authcid.empty() || p.password.empty()) return std::nullopt;
  return p;
}

}  // namespace appliance::sasl
