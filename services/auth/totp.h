// NAME
//   totp.h - time-based one-time passwords (RFC 6238 over RFC 4226), and enrolment.
//
// DESCRIPTION
//   Codes are HMAC-SHA1, 6 digits, 30-second steps; a code from the step
//   before or after the current one is accepted (clock drift). verify()
//   returns the step that matched: the caller stores it as the last used step
//   and passes it back next time, so a code cannot be used twice (RFC 6238
//   section 5.2). SHA-256 and SHA-512 exist only for the RFC's test vectors.
//
//   Enrolment: new_totp_secret() makes 20 random bytes (the RFC's key size
//   for SHA-1); totp_uri() is the otpauth:// URI authenticator apps read, and
//   totp_qr_svg() draws it as a QR code. The seed is stored sealed under
//   `seal/totp`, with the account as associated data, so a sealed seed moved
//   to another account's row does not open.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/secret_keys.h"
#include "common/result.h"
#include "common/secret.h"

namespace appliance::auth {

enum class TotpHash { sha1, sha256, sha512 };

struct TotpParams {
  int digits = 6;
  std::int64_t period = 30;
  int window = 1;  // steps accepted either side of now
  TotpHash hash = TotpHash::sha1;
};

// RFC 4226 HOTP value, zero-padded to `digits`.
std::string hotp(const Secret& key, std::uint64_t counter, int digits = 6,
                 TotpHash hash = TotpHash::sha1);

// A presented code: digits only, spaces allowed between ("123 456").
Result<std::string> parse_totp_code(std::string_view text, int digits = 6);

// The step that matched, or why not (bad format, no match, already used).
Result<std::int64_t> totp_verify(const Secret& key, std::string_view code, std::int64_t unix_now,
                                 std::optional<std::int64_t> last_used_step,
                                 const TotpParams& params = {});

Secret new_totp_secret();

// otpauth://totp/Issuer:account?secret=...&issuer=Issuer&algorithm=SHA1&digits=6&period=30
std::string totp_uri(const Secret& key, std::string_view issuer, std::string_view account);

// The text as a QR code (error correction M), an SVG document.
Result<std::string> qr_svg(std::string_view text);

Result<Sealed> seal_totp_secret(SecretKeys& keys, const Secret& seed, std::string_view account);
Result<Secret> unseal_totp_secret(SecretKeys& keys, const Sealed& sealed, std::string_view account);

}  // namespace appliance::auth
