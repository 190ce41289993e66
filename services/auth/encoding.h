// NAME
//   encoding.h - base32 and base64 without padding, for secrets shown or stored as text.
//
// DESCRIPTION
//   base32 is RFC 4648 (A-Z, 2-7) as authenticator apps expect; tokens use its
//   lower-case form. base64 is the standard alphabet without '=' padding, as
//   in the PHC string format of password hashes. Decoders are strict: a
//   character outside the alphabet, or trailing bits that are not zero, is an
//   error, so every text has exactly one decoding.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance::auth {

std::string base32_encode(std::string_view bytes);
std::string base32_lower(std::string_view bytes);
// Accepts upper or lower case; no padding, no spaces.
Result<std::string> base32_decode(std::string_view text);

std::string base64_encode(std::string_view bytes);
Result<std::string> base64_decode(std::string_view text);

// n bytes from the system's CSPRNG; aborts if it fails (nothing secure can go on).
std::string random_bytes(std::size_t n);

}  // namespace appliance::auth
