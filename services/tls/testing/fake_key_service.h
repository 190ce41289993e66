// NAME
//   fake_key_service.h - an in-memory key store behind KeyService, for unit
//   tests of the TLS code without keyd.
//
// DESCRIPTION
//   add("mail.example.test", EVP_PKEY_EC) makes version v1 of the family
//   tls/mail.example.test (a fresh key and a self-signed certificate);
//   rotate() makes the next version current; older versions still sign, as
//   in keyd until they are retired. Every signature is counted. fail_public
//   and fail_sign make the calls answer with keyd-like errors.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "hsm/ossl.h"
#include "tls/key_service.h"

namespace appliance::tls::testing {

class FakeKeyService final : public KeyService {
 public:
  // Returns the new version's name. type: EVP_PKEY_EC (P-256) or EVP_PKEY_RSA (2048).
  std::string add(const std::string& hostname, int type);
  std::string rotate(const std::string& hostname);
  // The current certificate of a hostname.
  hsm::X509Ptr certificate(const std::string& hostname);

  Result<keyd::PublicKey> public_key(const std::string& name) override;
  Result<keyd::Signed> sign(const std::string& key, keyd::SignScheme scheme,
                            std::string_view input) override;

  std::atomic<int> signatures{0};
  std::atomic<int> public_key_calls{0};
  std::atomic<bool> fail_public{false};
  std::atomic<bool> fail_sign{false};

 private:
  struct Version {
    std::string name;
    int type = 0;
    hsm::EvpPkeyPtr key;
    std::string chain_pem;
  };
  std::string add_version(const std::string& family, const std::string& hostname, int type);
  const Version* find(const std::string& name) const;

  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Version>> families_;  // current version last
};

// A fresh in-memory private key: EVP_PKEY_EC (P-256) or EVP_PKEY_RSA (2048).
hsm::EvpPkeyPtr generate_key(int type);

}  // namespace appliance::tls::testing
