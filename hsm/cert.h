// NAME
//   cert.h - certificate requests and first-boot certificates, signed by a
//   key that stays in the token.
//
// DESCRIPTION
//   Both take the signing key as an EVP_PKEY: normally a signer key
//   (token_signer_key() in-process, or one whose callback goes to keyd), so
//   the private key never leaves the token. SHA-256 for EC and RSA (RSA
//   signatures are PKCS#1 v1.5, which every CA accepts).
//
//   make_csr(): subject CN = common_name, the DNS names in a requested
//   subjectAltName extension.
//
//   make_self_signed(): for first boot, before an operator installs a real
//   certificate: subject = issuer = CN=hostname, subjectAltName DNS:hostname,
//   basicConstraints CA:FALSE, extendedKeyUsage serverAuth, key identifiers,
//   a random 127-bit serial, valid from an hour ago for `days` days. No
//   keyUsage extension: OpenSSL treats a certificate whose keyUsage lacks
//   keyCertSign as not self-signed, and it would then not verify as its own
//   trust anchor.
//
//   DNS names are checked: letters, digits, '-', '.', an optional leading
//   "*.", at most 253 characters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "ossl.h"

namespace appliance::hsm {

Result<X509ReqPtr> make_csr(EVP_PKEY* key, std::string_view common_name,
                            const std::vector<std::string>& dns_names);
Result<X509Ptr> make_self_signed(EVP_PKEY* key, std::string_view hostname, int days = 365);

Result<std::string> csr_to_pem(X509_REQ* request);
Result<std::string> certificate_to_pem(X509* certificate);

}  // namespace appliance::hsm
