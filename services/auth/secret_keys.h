// NAME
//   secret_keys.h - the token keys the auth pieces use: peppers and the TOTP seal.
//
// DESCRIPTION
//   SecretKeys is the seam between the auth logic and keyd. A key is named by
//   family ("secret/password-pepper"), and the current version serves, or by
//   version ("secret/password-pepper/v1"). hmac() and seal() report the
//   version they used, so that what is stored records which key made it and
//   survives a rotation.
//
//   KeydSecretKeys asks keyd: the keys never leave the token. LocalSecretKeys
//   holds keys in memory: for unit tests, tools and benchmarks that run
//   without keyd. It is never used by a daemon.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/secret.h"
#include "keyd/client.h"

namespace appliance::auth {

inline constexpr std::string_view kPasswordPepper = "secret/password-pepper";
inline constexpr std::string_view kApiPepper = "secret/api-pepper";
inline constexpr std::string_view kTotpSeal = "seal/totp";

struct Mac {
  std::string key;  // the version that computed it
  std::string mac;  // 32 bytes
};

using keyd::Sealed;

class SecretKeys {
 public:
  virtual ~SecretKeys() = default;
  virtual Result<Mac> hmac(const std::string& key, std::string_view data) = 0;
  // Constant-time comparison, done where the key is.
  virtual Result<bool> hmac_verify(const std::string& key, std::string_view data,
                                   std::string_view mac) = 0;
  virtual Result<Sealed> seal(const std::string& key, std::string_view plaintext,
                              std::string_view aad) = 0;
  virtual Result<Secret> unseal(const std::string& key, std::string_view sealed,
                                std::string_view aad) = 0;
};

class KeydSecretKeys final : public SecretKeys {
 public:
  explicit KeydSecretKeys(keyd::KeydClient& client) : client_(client) {}
  Result<Mac> hmac(const std::string& key, std::string_view data) override;
  Result<bool> hmac_verify(const std::string& key, std::string_view data,
                           std::string_view mac) override;
  Result<Sealed> seal(const std::string& key, std::string_view plaintext,
                      std::string_view aad) override;
  Result<Secret> unseal(const std::string& key, std::string_view sealed,
                        std::string_view aad) override;

 private:
  keyd::KeydClient& client_;
};

class LocalSecretKeys final : public SecretKeys {
 public:
  // The default families at version 1, with random keys.
  static LocalSecretKeys with_defaults();
  // Adds `name` ("family/vN"); the last version added to a family is current.
  void add(const std::string& name, Secret key);

  Result<Mac> hmac(const std::string& key, std::string_view data) override;
  Result<bool> hmac_verify(const std::string& key, std::string_view data,
                           std::string_view mac) override;
  Result<Sealed> seal(const std::string& key, std::string_view plaintext,
                      std::string_view aad) override;
  Result<Secret> unseal(const std::string& key, std::string_view sealed,
                        std::string_view aad) override;

 private:
  // The version a name refers to, and its key.
  Result<std::pair<std::string, const Secret*>> find(const std::string& key) const;
  std::map<std::string, Secret> keys_;
  std::map<std::string, std::string> current_;  // family -> version
};

}  // namespace appliance::auth
