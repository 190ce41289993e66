// NAME
//   import.h - bring an existing private key into the token.
//
// DESCRIPTION
//   For operators who arrive with a key and certificate from elsewhere. The
//   key is parsed here, created in the token with C_CreateObject (CKA_PRIVATE
//   and CKA_SENSITIVE true, CKA_EXTRACTABLE false, under `name`, with a
//   public key object beside it), and the parsed copy is wiped. As PKCS#11
//   says, an imported key reports CKA_ALWAYS_SENSITIVE and
//   CKA_NEVER_EXTRACTABLE false: it has been outside the token.
//
//   Accepted: EC P-256, RSA-2048, RSA-3072, Ed25519 (the algorithms keys.h
//   allows for the name's purpose). Anything else is "unsupported key type:
//   ...".
//
//   import_pem: any PEM private key (PKCS#8 "PRIVATE KEY", "ENCRYPTED PRIVATE
//   KEY" with `password`, traditional "EC/RSA PRIVATE KEY"). Errors begin
//   "bad PEM: ".
//   import_pkcs8: DER PKCS#8, encrypted (with `password`) or not.
//   import_pkcs12: DER PKCS#12 with its password; returns the certificates it
//   carries, the key's own certificate first. "PKCS#12: wrong password" when
//   the MAC does not verify.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/secret.h"
#include "keys.h"
#include "ossl.h"
#include "token.h"

namespace appliance::hsm {

Result<Key> import_pem(Session& session, std::string_view name, std::string_view pem,
                       const Secret& password = Secret());
Result<Key> import_pkcs8(Session& session, std::string_view name, std::string_view der,
                         const Secret& password = Secret());

struct Pkcs12Import {
  Key key;
  std::vector<X509Ptr> certificates;  // the key's certificate first, then the rest
};

Result<Pkcs12Import> import_pkcs12(Session& session, std::string_view name, std::string_view der,
                                   const Secret& password);

// Stores a parsed private key (what the three above end with).
Result<Key> import_private_key(Session& session, std::string_view name, EVP_PKEY* key);

}  // namespace appliance::hsm
