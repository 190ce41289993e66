// NAME
//   token_signer.cpp - SignRequest -> token operation.
//
// DESCRIPTION
//   See token_signer.h. A request of a scheme that does not fit the key's type
//   is refused before it reaches the token.
#include "token_signer.h"

#include "ops.h"
#include "pubkey.h"

namespace appliance::hsm {

namespace {

bool fits(Algorithm algorithm, SignScheme scheme) {
  if (algorithm == Algorithm::ec_p256) return scheme == SignScheme::ecdsa;
  if (algorithm == Algorithm::rsa_2048 || algorithm == Algorithm::rsa_3072)
    return scheme == SignScheme::rsa_pkcs1 || scheme == SignScheme::rsa_raw;
  return false;
}

}  // namespace

SignCallback token_sign_callback(Session& session, const Key& key) {
  return [session = &session, handle = key.handle,
          algorithm = key.algorithm](const SignRequest& request) -> Result<std::string> {
    if (!fits(algorithm, request.scheme))
      return Error{"sign request does not fit a " + std::string(algorithm_name(algorithm)) +
                   " key"};
    switch (request.scheme) {
      case SignScheme::ecdsa:
        return ecdsa_sign_digest(*session, handle, request.input);
      case SignScheme::rsa_pkcs1:
        return rsa_pkcs1_sign_digest_info(*session, handle, request.input);
      case SignScheme::rsa_raw:
        return rsa_raw(*session, handle, request.input);
    }
    return Error{"unknown sign scheme"};
  };
}

Result<EvpPkeyPtr> token_signer_key(Session& session, const Key& key) {
  if (!fits(key.algorithm, SignScheme::ecdsa) && !fits(key.algorithm, SignScheme::rsa_raw))
    return Error{"key " + key.name + ": a signer key needs EC P-256 or RSA, not " +
                 std::string(algorithm_name(key.algorithm))};
  auto pub = public_key(session, key);
  if (!pub) return pub.error();
  return make_signer_key(pub->get(), token_sign_callback(session, key));
}

}  // namespace appliance::hsm
