// NAME
//   encoding.cpp - strict base32/base64 codecs and the random source.
#include "auth/encoding.h"

#include <openssl/rand.h>

#include <array>
#include <cstdlib>

namespace appliance::auth {
namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Packs bytes into groups of `bits`, most significant first.
std::string encode(std::string_view bytes, std::string_view alphabet, int bits) {
  std::string out;
  unsigned buffer = 0;
  int held = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    held += 8;
    while (held >= bits) {
      held -= bits;
      out += alphabet[(buffer >> held) & ((1u << bits) - 1)];
    }
  }
  if (held > 0) out += alphabet[(buffer << (bits - held)) & ((1u << bits) - 1)];
  return out;
}

Result<std::string> decode(std::string_view text, std::string_view alphabet, int bits,
                           bool fold_case, const char* name) {
  std::string out;
  unsigned buffer = 0;
  int held = 0;
  for (char c : text) {
    char k = fold_case && c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c;
    auto pos = alphabet.find(k);
    if (pos == std::string_view::npos)
      return make_error(std::string("invalid ") + name + " character");
    buffer = (buffer << bits) | unsigned(pos);
    held += bits;
    if (held >= 8) {
      held -= 8;
      out += char((buffer >> held) & 0xff);
    }
  }
  // Leftover bits must be padding zeros and fewer than one symbol's worth.
  if (held >= bits || (buffer & ((1u << held) - 1)) != 0)
    return make_error(std::string("invalid ") + name + " length or trailing bits");
  return out;
}

}  // namespace

std::string base32_encode(std::string_view bytes) {
  return encode(bytes, kBase32, 5);
}

std::string base32_lower(std::string_view bytes) {
  std::string s = base32_encode(bytes);
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return s;
}

Result<std::string> base32_decode(std::string_view text) {
  return decode(text, kBase32, 5, true, "base32");
}

std::string base64_encode(std::string_view bytes) {
  return encode(bytes, kBase64, 6);
}

Result<std::string> base64_decode(std::string_view text) {
  return decode(text, kBase64, 6, false, "base64");
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (n && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), int(n)) != 1) std::abort();
  return out;
}

}  // namespace appliance::auth
