// NAME
//   counting_keys.h - SecretKeys that counts the key requests, for tests that
//   show two paths doing the same work.
#pragma once

#include "auth/secret_keys.h"

namespace appliance::auth::testing {

// Counts requests, so unknown and known accounts can be shown to do the same work.
class CountingKeys final : public SecretKeys {
 public:
  explicit CountingKeys(SecretKeys& inner) : inner_(inner) {}
  Result<Mac> hmac(const std::string& k, std::string_view d) override {
    ++calls;
    return inner_.hmac(k, d);
  }
  Result<bool> hmac_verify(const std::string& k, std::string_view d, std::string_view m) override {
    ++calls;
    return inner_.hmac_verify(k, d, m);
  }
  Result<Sealed> seal(const std::string& k, std::string_view p, std::string_view a) override {
    return inner_.seal(k, p, a);
  }
  Result<Secret> unseal(const std::string& k, std::string_view s, std::string_view a) override {
    return inner_.unseal(k, s, a);
  }
  int calls = 0;

 private:
  SecretKeys& inner_;
};

}  // namespace appliance::auth::testing
