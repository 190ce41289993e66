// NAME
//   signature.h - the DKIM-Signature header field: parsed and composed.
//
// DESCRIPTION
//   parse_signature() reads a DKIM-Signature value (RFC 6376 3.5) strictly:
//   the tag-list must parse, v=1, a= rsa-sha256 or ed25519-sha256 (RFC 8463;
//   rsa-sha1 is refused, RFC 8301), c= simple or relaxed for each part, q=
//   must offer dns/txt, h= must name From, i= must lie in d=, t= and x= are
//   numbers with x after t, l= a number; b= and bh= are base64 (white space
//   ignored). Unknown tags are ignored, as the RFC says. Each refusal names
//   its tag.
//
//   compose_signature() writes the field a signer adds: "DKIM-Signature: "
//   and the tags folded to lines of about 78 octets, ending in an empty
//   "b=". That field is what goes into the header hash input;
//   add_signature_value() then appends the base64 signature, folded, and
//   CRLF. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "proto/dkim/canon.h"

namespace appliance::dkim {

enum class Algorithm { rsa_sha256, ed25519_sha256 };

std::string_view algorithm_name(Algorithm a);

struct Signature {
  Algorithm algorithm = Algorithm::rsa_sha256;
  std::string signature;  // b=, decoded
  std::string body_hash;  // bh=, decoded
  Canon header_canon = Canon::simple;
  Canon body_canon = Canon::simple;
  std::string domain;                // d=
  std::vector<std::string> headers;  // h=, as written
  std::string identity;              // i=; "@" d= when absent
  std::optional<std::uint64_t> length;
  std::string selector;
  std::optional<std::uint64_t> timestamp;
  std::optional<std::uint64_t> expires;
};

Result<Signature> parse_signature(std::string_view value);

struct SignatureFields {
  Algorithm algorithm = Algorithm::rsa_sha256;
  std::string domain;
  std::string selector;
  std::vector<std::string> headers;  // for h=, lower case
  std::string body_hash;             // raw SHA-256
  std::uint64_t timestamp = 0;
};

// "DKIM-Signature: v=1; ...; b=" (relaxed/relaxed), without CRLF.
std::string compose_signature(const SignatureFields& f);
// The composed field with its signature (raw bytes) and CRLF.
std::string add_signature_value(std::string field, std::string_view signature);

}  // namespace appliance::dkim
