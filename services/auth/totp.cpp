// NAME
//   totp.cpp - HOTP/TOTP codes, the otpauth URI and its QR code.
#include "auth/totp.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <qrencode.h>

#include <memory>

#include "auth/encoding.h"

namespace appliance::auth {
namespace {

const EVP_MD* digest(TotpHash h) {
  switch (h) {
    case TotpHash::sha256:
      return EVP_sha256();
    case TotpHash::sha512:
      return EVP_sha512();
    default:
      return EVP_sha1();
  }
}

std::string percent_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '~' || c == '@';
    out += plain ? std::string(1, char(c)) : fmt::format("%{:02X}", c);
  }
  return out;
}

std::string aad_for(std::string_view account) {
  return fmt::format("totp-seed:{}", account);
}

}  // namespace

std::string hotp(const Secret& key, std::uint64_t counter, int digits, TotpHash hash) {
  unsigned char msg[8];
  for (int i = 7; i >= 0; --i, counter >>= 8) msg[i] = static_cast<unsigned char>(counter);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(digest(hash), key.reveal().data(), int(key.size()), msg, sizeof msg, mac, &len);
  // Dynamic truncation, RFC 4226 section 5.3.
  unsigned offset = mac[len - 1] & 0x0f;
  std::uint32_t bin = (std::uint32_t(mac[offset] & 0x7f) << 24) |
                      (std::uint32_t(mac[offset + 1]) << 16) |
                      (std::uint32_t(mac[offset + 2]) << 8) | std::uint32_t(mac[offset + 3]);
  std::uint32_t mod = 1;
  for (int i = 0; i < digits; ++i) mod *= 10;
  return fmt::format("{:0{}}", bin % mod, digits);
}

Result<std::string> parse_totp_code(std::string_view text, int digits) {
  std::string code;
  for (char c : text) {
    if (c == ' ') continue;
    if (c < '0' || c > '9' || code.size() >= std::size_t(digits) + 1)
      return make_error(fmt::format("the code must be {} digits", digits));
    code += c;
  }
  if (code.size() != std::size_t(digits))
    return make_error(fmt::format("the code must be {} digits", digits));
  return code;
}

Result<std::int64_t> totp_verify(const Secret& key, std::string_view text, std::int64_t unix_now,
                                 std::optional<std::int64_t> last_used_step, const TotpParams& p) {
  auto code = parse_totp_code(text, p.digits);
  if (!code) return code.error();
  std::int64_t now = unix_now / p.period;
  std::optional<std::int64_t> matched;
  // Every step in the window is computed and compared: no early exit.
  for (std::int64_t step = now - p.window; step <= now + p.window; ++step) {
    std::string expected = hotp(key, std::uint64_t(step), p.digits, p.hash);
    if (CRYPTO_memcmp(expected.data(), code->data(), expected.size()) == 0 && !matched)
      matched = step;
  }
  if (!matched) return make_error("the code does not match");
  if (last_used_step && *matched <= *last_used_step)
    return make_error("this code was already used; wait for the next one");
  return *matched;
}

Secret new_totp_secret() {
  return Secret(random_bytes(20));
}

std::string totp_uri(const Secret& key, std::string_view issuer, std::string_view account) {
  return fmt::format("otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
                     percent_encode(issuer), percent_encode(account), base32_encode(key.reveal()),
                     percent_encode(issuer));
}

Result<std::string> qr_svg(std::string_view text) {
  std::string input(text);
  std::unique_ptr<QRcode, void (*)(QRcode*)> qr(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  if (!qr) return make_error("cannot make a QR code of this text (too long?)");
  constexpr int kQuiet = 4;  // the quiet zone readers need around the symbol
  int w = qr->width, size = w + 2 * kQuiet;
  std::string path;
  for (int y = 0; y < w; ++y)
    for (int x = 0; x < w; ++x)
      if (qr->data[y * w + x] & 1) path += fmt::format("M{},{}h1v1h-1z", x + kQuiet, y + kQuiet);
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {0}\" "
      "shape-rendering=\"crispEdges\"><rect width=\"{0}\" height=\"{0}\" fill=\"#fff\"/>"
      "<path fill=\"#000\" d=\"{1}\"/></svg>\n",
      size, path);
}

Result<Sealed> seal_totp_secret(SecretKeys& keys, const Secret& seed, std::string_view account) {
  return keys.seal(std::string(kTotpSeal), seed.reveal(), aad_for(account));
}

Result<Secret> unseal_totp_secret(SecretKeys& keys, const Sealed& sealed,
                                  std::string_view account) {
  return keys.unseal(sealed.key, sealed.sealed, aad_for(account));
}

}  // namespace appliance::auth
