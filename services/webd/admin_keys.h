// NAME
//   admin_keys.h - /api/v1/admin/keys and /api/v1/admin/dkim: the token's
//   TLS and DKIM keys, their certificates and DNS records.
//
// DESCRIPTION
//   The handlers (handlers.h) ask keyd through WebParts::keyd, with the
//   narrow "manage" right keyd gives webd (keyd/acl.h): list, generate or
//   rotate, CSR, certificate chain, retire, for tls and dkim keys only.
//   What they check before keyd is asked is here, pure, for the tests:
//   a certificate chain in PEM, and whether its leaf is that of a key.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::webd {

struct CertificateSummary {
  std::string subject, issuer;
  std::string not_before, not_after;  // RFC 3339, UTC
  std::vector<std::string> dns_names;
};

// The leaf (first certificate) of a PEM chain; an error when there is no
// certificate or a block is not one.
Result<CertificateSummary> summarize_chain(std::string_view pem);
// Whether the chain's leaf certifies the public key `spki_der`
// (SubjectPublicKeyInfo); the error says what is wrong, for a 400.
Result<void> check_chain(std::string_view pem, std::string_view spki_der);

}  // namespace appliance::webd
