// NAME
//   pubkey.h - the public half of a token key pair, as OpenSSL sees it.
//
// DESCRIPTION
//   public_key() reads the public key object of a pair (EC: CKA_EC_PARAMS and
//   CKA_EC_POINT; RSA: CKA_MODULUS and CKA_PUBLIC_EXPONENT; Ed25519:
//   CKA_EC_POINT) and builds an EVP_PKEY; public_key_pem() gives it as a PEM
//   SubjectPublicKeyInfo, the form stored in the database and published in
//   DKIM records. The builders from attribute values are exposed for keyd,
//   which may receive the values rather than a handle.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "keys.h"
#include "ossl.h"
#include "token.h"

namespace appliance::hsm {

Result<EvpPkeyPtr> public_key(Session& session, const Key& key);
Result<std::string> public_key_pem(Session& session, const Key& key);

// PEM "PUBLIC KEY" (SubjectPublicKeyInfo) of any EVP_PKEY.
Result<std::string> public_key_to_pem(EVP_PKEY* key);

// ec_params: DER OID of a named curve; ec_point: the point, raw or wrapped
// in a DER OCTET STRING (modules differ).
Result<EvpPkeyPtr> ec_public_key(std::string_view ec_params, std::string_view ec_point);
Result<EvpPkeyPtr> rsa_public_key(std::string_view modulus, std::string_view exponent);
Result<EvpPkeyPtr> ed25519_public_key(std::string_view ec_point);

}  // namespace appliance::hsm
