// NAME
//   ops.h - private-key and secret-key operations inside the token.
//
// DESCRIPTION
//   Each function takes the session it runs in and a key handle (Key.handle,
//   or a session copy from hot_copy()). Signatures are returned in the form
//   their consumers want: ECDSA as DER ECDSA-Sig-Value (the token gives r||s),
//   RSA and Ed25519 as raw bytes.
//
//   SoftHSM has no CKM_ECDSA_SHA256, so ECDSA is always over a digest the
//   caller made (CKM_ECDSA); likewise RSA PKCS#1 v1.5 is CKM_RSA_PKCS over a
//   DigestInfo built here, and RSA-PSS is CKM_RSA_PKCS_PSS over the digest.
//
//   seal() is AES-256-GCM with a random 96-bit IV; its output is
//   iv (12) || ciphertext || tag (16). unseal() fails with "unseal:
//   authentication failed" on any change to the sealed bytes or the
//   associated data.
//
//   HMAC-SHA256 is computed in the token; hmac_sha256_verify() compares in
//   constant time. Token objects are slow to use for HMAC (SoftHSM decrypts
//   the key on every use); hot_copy() copies a token secret key to a session
//   object (still sensitive and non-extractable), about three times faster.
//   A session object lives as long as the session that made it.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/secret.h"
#include "der.h"
#include "p11.h"
#include "token.h"

namespace appliance::hsm {

// ECDSA over `digest` (any length up to 64 bytes); DER signature.
Result<std::string> ecdsa_sign_digest(Session& session, CK_OBJECT_HANDLE key,
                                      std::string_view digest);

// RSASSA-PKCS1-v1_5 over `digest` made with `hash`.
Result<std::string> rsa_pkcs1_sign_digest(Session& session, CK_OBJECT_HANDLE key, Hash hash,
                                          std::string_view digest);
// RSASSA-PKCS1-v1_5 over a DigestInfo the caller built (what OpenSSL hands over).
Result<std::string> rsa_pkcs1_sign_digest_info(Session& session, CK_OBJECT_HANDLE key,
                                               std::string_view digest_info);
// RSASSA-PSS over `digest`, MGF1 with the same hash, salt as long as the hash.
Result<std::string> rsa_pss_sign_digest(Session& session, CK_OBJECT_HANDLE key, Hash hash,
                                        std::string_view digest);
// Raw RSA private operation (CKM_RSA_X_509) on `block`, a big-endian number
// below the modulus (normally modulus-sized, as OpenSSL hands it over).
Result<std::string> rsa_raw(Session& session, CK_OBJECT_HANDLE key, std::string_view block);

// Ed25519 (pure EdDSA) over the whole message.
Result<std::string> ed25519_sign(Session& session, CK_OBJECT_HANDLE key, std::string_view message);

Result<std::string> hmac_sha256(Session& session, CK_OBJECT_HANDLE key, std::string_view data);
Result<bool> hmac_sha256_verify(Session& session, CK_OBJECT_HANDLE key, std::string_view data,
                                std::string_view mac);

Result<std::string> seal(Session& session, CK_OBJECT_HANDLE key, std::string_view plaintext,
                         std::string_view associated_data);
Result<Secret> unseal(Session& session, CK_OBJECT_HANDLE key, std::string_view sealed,
                      std::string_view associated_data);

// A wrapped data key and the mechanism that wrapped it (needed to unwrap).
struct WrappedKey {
  CK_MECHANISM_TYPE mechanism = CKM_AES_KEY_WRAP_PAD;
  std::string bytes;
};

// CKM_AES_KEY_WRAP_PAD (RFC 5649) where the module has it, else CKM_AES_KEY_WRAP.
Result<WrappedKey> wrap_key(Session& session, CK_OBJECT_HANDLE wrapping_key, CK_OBJECT_HANDLE key);
// Back into an AES session key: sensitive, not extractable, encrypt/decrypt.
Result<CK_OBJECT_HANDLE> unwrap_key(Session& session, CK_OBJECT_HANDLE wrapping_key,
                                    const WrappedKey& wrapped);

// A session-object copy of a token key, for speed (see above).
Result<CK_OBJECT_HANDLE> hot_copy(Session& session, CK_OBJECT_HANDLE key);

}  // namespace appliance::hsm
