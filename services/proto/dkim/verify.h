// NAME
//   verify.h - checking one DKIM-Signature of a message (RFC 6376 6.1).
//
// DESCRIPTION
//   signature_fields() finds the DKIM-Signature fields of a header section.
//   check_signature() checks one of them, parsed, against its key record
//   and a body hash computed with the signature's canonicalization and l=
//   (body_hash()): the body hash must match, then the signature over the
//   header hash input must verify. The key record's lookup is the caller's
//   (DNS). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "proto/dkim/key_record.h"
#include "proto/dkim/signature.h"

namespace appliance::dkim {

std::vector<std::string_view> signature_fields(const std::vector<std::string_view>& fields);

// The body hash of `body` (everything after the empty line) as `s` asks.
std::string body_hash(const Signature& s, std::string_view body);

// `field` is the whole DKIM-Signature field, as in the message.
Result<void> check_signature(const std::vector<std::string_view>& fields, std::string_view field,
                             const Signature& s, std::string_view computed_body_hash,
                             const KeyRecord& key);

// The value of a field (after the colon, without the final CRLF), as written.
std::string_view field_value(std::string_view field);

}  // namespace appliance::dkim
