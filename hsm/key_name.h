// NAME
//   key_name.h - the names keys go by: purpose/subject.../version.
//
// DESCRIPTION
//   A key is named by what it is for and which version it is, and the name is
//   its CKA_LABEL in the token: "tls/mail.example.com/v3",
//   "dkim/example.com/s2026", "secret/api-pepper/v1", "seal/totp/v1",
//   "wrap/backup/v1", "update/timestamp/v1".
//
//   Grammar: purpose ("/" segment)+ where purpose is one of tls, dkim, secret,
//   seal, wrap, update and a segment is 1 to 63 characters of [a-z0-9._-],
//   neither "." nor "..". At most 128 characters in all. Errors say which
//   segment and which character is wrong.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance::hsm {

enum class Purpose { tls, dkim, secret, seal, wrap, update };

std::string_view purpose_name(Purpose purpose);

struct KeyName {
  Purpose purpose = Purpose::tls;
  std::string text;  // the whole name, as stored in CKA_LABEL
};

Result<KeyName> parse_key_name(std::string_view name);

}  // namespace appliance::hsm
