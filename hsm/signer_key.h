// NAME
//   signer_key.h - an OpenSSL EVP_PKEY whose private-key operation is done
//   elsewhere: in keyd, or in the token.
//
// DESCRIPTION
//   make_signer_key(public_key, sign) returns an EVP_PKEY (EC or RSA) that
//   OpenSSL uses like any private key: SSL_CTX_use_PrivateKey with
//   SSL_CTX_use_certificate (TLS 1.2 and 1.3, ECDSA and RSA-PSS), X509_sign,
//   X509_REQ_sign, EVP_DigestSign. Whenever OpenSSL needs the private key it
//   calls `sign` with a SignRequest:
//
//     ecdsa      input = the digest            -> DER ECDSA-Sig-Value
//     rsa_pkcs1  input = a DER DigestInfo      -> PKCS#1 v1.5 signature
//                (the token's CKM_RSA_PKCS pads it)
//     rsa_raw    input = modulus-sized block   -> raw RSA private operation
//                (CKM_RSA_X_509; OpenSSL has already applied PSS padding:
//                this is how RSA-PSS in TLS 1.3 and 1.2 reaches the key)
//
//   RSA signatures shorter than the modulus are left-padded with zeros. RSA
//   decryption with the key is refused: no protocol here needs it.
//
//   This is the mechanism libp11 uses: a custom EC_KEY_METHOD and RSA_METHOD,
//   which makes the key "foreign" so that OpenSSL 3.0 routes it through the
//   legacy method table rather than a provider. Those APIs are deprecated in
//   3.0 but present; the deprecation warnings are silenced in
//   signer_key.cpp only.
//
// THREADS
//   OpenSSL calls `sign` on whichever thread is signing, possibly several at
//   once if the EVP_PKEY (or an SSL_CTX holding it) is shared. The callback
//   must be safe for that, e.g. a keyd client with a connection per thread,
//   or a token session per thread (token.h: sessions are not shareable).
//   The callback must not throw; if it does, the signature fails.
#pragma once

#include <functional>
#include <string>

#include "common/result.h"
#include "ossl.h"

namespace appliance::hsm {

enum class SignScheme { ecdsa, rsa_pkcs1, rsa_raw };

struct SignRequest {
  SignScheme scheme = SignScheme::ecdsa;
  std::string input;
};

using SignCallback = std::function<Result<std::string>(const SignRequest&)>;

// `public_key` is only read (EC on a named curve, or RSA); the result owns a
// copy of its public parts and of `sign`.
Result<EvpPkeyPtr> make_signer_key(EVP_PKEY* public_key, SignCallback sign);

}  // namespace appliance::hsm
