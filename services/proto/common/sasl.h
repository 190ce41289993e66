// NAME
//   sasl.h - strict base64 and the SASL PLAIN message, for IMAP and POP3.
//
// DESCRIPTION
//   base64_decode() accepts only canonical base64 (RFC 4648 4): a multiple of
//   four characters, padding only at the end, no spaces, no unused bits set,
//   so two spellings of one credential cannot exist. decode_plain() splits a
//   PLAIN message (RFC 4616) into authzid, authcid and password; the password
//   goes straight into a Secret.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/secret.h"

namespace appliance::sasl {

std::optional<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);

struct Plain {
  std::string authzid;  // empty: act as authcid
  std::string authcid;
  Secret password;
};

// `response` is the client's base64 text; "=" is an empty response (RFC 4959).
std::optional<Plain> decode_plain(std::string_view response);

}  // namespace appliance::sasl
