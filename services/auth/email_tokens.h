// NAME
//   email_tokens.h - single-use codes sent by mail: confirming a contact
//   address, resetting a password.
//
// DESCRIPTION
//   A code is 25 lower-case base32 characters (125 random bits), shown in
//   groups of five ("abcde-fghij-klmno-pqrst-uvw23"); typed case, spaces and
//   dashes do not matter. Only HMAC-SHA256 under `secret/api-pepper` is
//   stored, over the purpose, the account and the address the code was sent
//   to, so a code (or its row) is worthless for another account, purpose or
//   address. It expires after kEmailTokenLifetime and is used once; the
//   account service keeps the row (store::EmailToken).
//
// SECURITY
//   parse_email_token() reads what a client sent: it accepts only the exact
//   shape of a code, and its error never repeats the input.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "auth/secret_keys.h"
#include "common/result.h"
#include "common/secret.h"

namespace appliance::auth {

enum class EmailPurpose { contact, reset };
std::string_view to_string(EmailPurpose purpose);

inline constexpr std::chrono::seconds kEmailTokenLifetime{30 * 60};
inline constexpr std::size_t kEmailTokenChars = 25;

struct NewEmailToken {
  Secret text;  // for the mail only, never stored
  Mac mac;
};

// A new code bound to the purpose, the account and the address it goes to.
Result<NewEmailToken> make_email_token(SecretKeys& keys, EmailPurpose purpose,
                                       std::string_view account, std::string_view address);
// The code as typed, normalised (lower case, no spaces or dashes), or why it is not one.
Result<Secret> parse_email_token(const Secret& presented);
// Whether a normalised code matches the stored MAC (checked in keyd, in constant time).
Result<bool> verify_email_token(SecretKeys& keys, EmailPurpose purpose, std::string_view account,
                                std::string_view address, const Secret& code,
                                const std::string& key, std::string_view mac);

}  // namespace appliance::auth
