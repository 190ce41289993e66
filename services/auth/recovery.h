// NAME
//   recovery.h - ten one-time recovery codes for an account with two-factor sign-in.
//
// DESCRIPTION
//   generate_recovery_codes() makes ten codes of 50 random bits each, written
//   "xxxxx-xxxxx" in lower-case base32. They are shown to the user once; only
//   their HMACs under `secret/api-pepper` are stored, bound to the account.
//   consume_recovery_code() finds the unused code that matches and marks it
//   used; the caller persists the list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/secret_keys.h"
#include "common/result.h"
#include "common/secret.h"

namespace appliance::auth {

inline constexpr int kRecoveryCodes = 10;

struct StoredRecoveryCode {
  std::string key;  // pepper version
  std::string mac;
  bool used = false;
};

struct RecoveryCodes {
  std::vector<Secret> shown;  // to display once, never stored
  std::vector<StoredRecoveryCode> stored;
};

Result<RecoveryCodes> generate_recovery_codes(SecretKeys& keys, std::string_view account);

// The index of the code consumed, or why none was.
Result<std::size_t> consume_recovery_code(SecretKeys& keys, std::string_view account,
                                          const Secret& presented,
                                          std::vector<StoredRecoveryCode>& stored);

}  // namespace appliance::auth
