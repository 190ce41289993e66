// NAME
//   der.h - the small encodings between PKCS#11 and OpenSSL.
//
// DESCRIPTION
//   A PKCS#11 ECDSA signature is raw r||s; X.509, TLS and DKIM want the DER
//   ECDSA-Sig-Value. CKM_RSA_PKCS signs whatever it is given, so a PKCS#1 v1.5
//   signature over a digest needs the DigestInfo built first (RFC 8017, 9.2).
//   Pure functions, no token needed.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance::hsm {

enum class Hash { sha256, sha384, sha512 };

std::size_t hash_size(Hash hash);
// The hash whose output is `size` bytes long.
Result<Hash> hash_for_size(std::size_t size);

// DER SEQUENCE { INTEGER r, INTEGER s } from r||s (equal halves).
Result<std::string> ecdsa_raw_to_der(std::string_view raw);
// r||s, each half `half` bytes, from DER.
Result<std::string> ecdsa_der_to_raw(std::string_view der, std::size_t half);

// DER DigestInfo { AlgorithmIdentifier(hash, NULL), OCTET STRING digest }.
Result<std::string> digest_info(Hash hash, std::string_view digest);

}  // namespace appliance::hsm
