// NAME
//   token_signer.h - a signer key (signer_key.h) that signs in the token.
//
// DESCRIPTION
//   token_signer_key(session, key) pairs the public key read from the token
//   with a callback that signs with the private key through `session`: ECDSA
//   over the digest, PKCS#1 v1.5 over OpenSSL's DigestInfo, raw RSA for PSS.
//   This is how the CSR and the first-boot certificate are signed, and how
//   keyd answers a signing request.
//
//   The callback holds on to `session` by reference: the session must outlive
//   the EVP_PKEY, and only the thread that owns the session may use the key
//   (token.h: a session must never be shared between threads).
#pragma once

#include "common/result.h"
#include "keys.h"
#include "ossl.h"
#include "signer_key.h"
#include "token.h"

namespace appliance::hsm {

// Answers SignRequests with `key` (EC P-256 or RSA) through `session`.
SignCallback token_sign_callback(Session& session, const Key& key);

Result<EvpPkeyPtr> token_signer_key(Session& session, const Key& key);

}  // namespace appliance::hsm
