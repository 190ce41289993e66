// NAME
//   auth.h - SASL PLAIN (RFC 4616) and LOGIN for SMTP AUTH (RFC 4954).
//
// DESCRIPTION
//   The decoders take the client's base64 text and return Credentials; the
//   password is a Secret from the moment it is decoded, so it can reach
//   neither a log line nor a reply.
#pragma once

#include <string>
#include <string_view>

#include "common/secret.h"
#include "proto/smtp/reply.h"

namespace appliance::smtp {

constexpr std::size_t kMaxSaslField = 255;  // RFC 4616 2

struct Credentials {
  std::string mechanism;  // "PLAIN" or "LOGIN"
  std::string authzid;    // PLAIN only; empty: the same as authcid
  std::string authcid;    // the user name
  Secret password;
};

bool is_supported_mechanism(std::string_view mechanism);

// "authzid NUL authcid NUL password", base64.
Parsed<Credentials> decode_plain(std::string_view base64);
// One LOGIN answer (user name or password), base64.
Parsed<Secret> decode_login_field(std::string_view base64);

}  // namespace appliance::smtp
