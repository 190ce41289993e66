// NAME
//   keyd_signer.h - DKIM signing with a domain's token keys, through keyd.
//
// DESCRIPTION
//   KeydKeys says which keys sign for a domain: the key names `appliancectl
//   dkim generate` recorded in the store (proto/dkim/key_list.h), each looked
//   up in keyd (its algorithm; a retired key, or one keyd no longer has, is
//   left out). A domain's answer is cached for a minute, so a new or retired
//   key takes effect within that time without a restart.
//
//   signature_fields() has keyd sign a hashed message once per key (RSA and
//   Ed25519 both, RFC 8463 4.2) and returns the DKIM-Signature fields to put
//   on top. smtpd signs submissions with it as they stream (smtpd/dkim_sign.h);
//   sign_message() does the same for a message the appliance writes itself
//   and holds whole (deliverd's notices, auth's mail to contact addresses).
//
// SECURITY
//   The caller chooses the domain: only a domain whose mail it vouches for
//   (an authenticated sender's, the appliance's own notices for an account
//   of that domain). The private keys stay in keyd.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "keyd/client.h"
#include "proto/dkim/sign.h"
#include "store/store.h"

namespace appliance::dkim {

struct SigningKey {
  std::string name;  // dkim/<domain>/<selector>
  std::string selector;
  Algorithm algorithm = Algorithm::rsa_sha256;
};

class KeydKeys {
 public:
  KeydKeys(store::Store& store, keyd::KeydClient& keyd,
           std::chrono::seconds refresh = std::chrono::seconds(60));
  // Blocking (a store read and keyd requests) unless cached.
  Result<std::vector<SigningKey>> for_domain(const std::string& domain);

 private:
  Result<std::vector<SigningKey>> fetch(const std::string& domain);

  struct Entry {
    std::vector<SigningKey> keys;
    std::chrono::steady_clock::time_point fetched;
  };
  store::Store& store_;
  keyd::KeydClient& keyd_;
  std::chrono::seconds refresh_;
  std::mutex mutex_;
  std::map<std::string, Entry> cache_;
};

// What signs: the keys of each domain, and keyd to sign with them.
struct KeydSigner {
  KeydKeys& keys;
  keyd::KeydClient& keyd;
};

// The DKIM-Signature fields for a message whose hashing is done (not yet
// finished: this finishes it); empty when the domain has no key or the message
// cannot be signed (logged). A key that fails to sign is an error: the caller
// must not send the message unsigned for now.
Result<std::string> signature_fields(KeydSigner& signer, const std::string& domain,
                                     MessageHasher& hasher, std::uint64_t now);

// The message with the fields of signature_fields() on top.
Result<std::string> sign_message(KeydSigner& signer, const std::string& domain,
                                 std::string_view message, std::uint64_t now);

}  // namespace appliance::dkim
