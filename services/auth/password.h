// NAME
//   password.h - password hashing: Argon2id, then an HMAC under a token pepper.
//
// DESCRIPTION
//   hash() runs Argon2id over the password with a random 16-byte salt, then
//   asks for HMAC-SHA256 of the 32-byte Argon2 output under the pepper family
//   (`secret/password-pepper`). The stored text names everything needed to
//   check it again, so the cost and the pepper version can change:
//
//     $argon2id-hmac-sha256$v=19$m=19456,t=2,p=1$k=secret/password-pepper/v1$<salt>$<tag>
//
//   salt and tag are base64 without padding. verify() says whether the
//   password matches and whether the stored text should be replaced by a new
//   hash (other parameters or an older pepper version).
//
// SECURITY
//   A stolen database alone cannot be attacked offline: every guess needs the
//   pepper, which never leaves the token. The tag is compared in constant
//   time. verify_unknown() does the same work as verify() for an account that
//   does not exist, so a login cannot learn by its timing whether a name is
//   taken.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/secret_keys.h"
#include "common/result.h"
#include "common/secret.h"

namespace appliance::auth {

// Bounds Argon2's input and the work a request can ask for.
inline constexpr std::size_t kMaxPasswordBytes = 1024;

struct Argon2Params {
  std::uint32_t memory_kib = 19456;  // 19 MiB
  std::uint32_t iterations = 2;
  std::uint32_t parallelism = 1;
  bool operator==(const Argon2Params&) const = default;
};

struct StoredPassword {
  Argon2Params params;
  std::string key;  // pepper version, e.g. secret/password-pepper/v1
  std::string salt;
  std::string tag;
};

// Strict: any deviation from the format, or parameters out of bounds, is an error.
Result<StoredPassword> parse_stored_password(std::string_view text);
std::string format_stored_password(const StoredPassword& stored);

struct PasswordCheck {
  bool ok = false;
  bool needs_rehash = false;  // meaningful only when ok
};

class PasswordHasher {
 public:
  explicit PasswordHasher(SecretKeys& keys, Argon2Params params = {},
                          std::string pepper = std::string(kPasswordPepper));

  Result<std::string> hash(const Secret& password);
  Result<PasswordCheck> verify(const Secret& password, std::string_view stored);
  // For an account that does not exist: the same work, always "no".
  Result<PasswordCheck> verify_unknown(const Secret& password);

  const Argon2Params& params() const { return params_; }

 private:
  SecretKeys& keys_;
  Argon2Params params_;
  std::string pepper_;
  std::string dummy_salt_;
  std::string dummy_tag_;
};

// Argon2id, 32 bytes of output.
Result<Secret> argon2id(const Argon2Params& params, const Secret& password, std::string_view salt);

}  // namespace appliance::auth
