// NAME
//   data_key.h - where the store gets per-account data keys.
//
// DESCRIPTION
//   A DataKeySource makes a fresh data key (raw for use now, wrapped for
//   storage, and the name of the wrapping key version) and unwraps a stored
//   one. The store keeps only the wrapped form and the version name.
//
//   KeydDataKeySource asks keyd (`wrap/mail` by default): the wrapping key
//   never leaves the token. LocalDataKeySource wraps with an AES key held in
//   memory: for unit tests, tools and benchmarks that run without keyd. It is
//   never used by a daemon.
//
//   `context` is bound to the wrapped key as associated data (the tenant and
//   account it belongs to), so a wrapped key copied to another account's row
//   does not unwrap.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/secret.h"
#include "keyd/client.h"

namespace appliance::store {

using keyd::DataKey;

class DataKeySource {
 public:
  virtual ~DataKeySource() = default;
  virtual Result<DataKey> create(std::string_view context) = 0;
  virtual Result<Secret> unwrap(const std::string& key_version, std::string_view wrapped,
                                std::string_view context) = 0;
};

class KeydDataKeySource final : public DataKeySource {
 public:
  KeydDataKeySource(keyd::KeydClient& client, std::string family = "wrap/mail")
      : client_(client), family_(std::move(family)) {}
  Result<DataKey> create(std::string_view context) override;
  Result<Secret> unwrap(const std::string& key_version, std::string_view wrapped,
                        std::string_view context) override;

 private:
  keyd::KeydClient& client_;
  std::string family_;
};

class LocalDataKeySource final : public DataKeySource {
 public:
  // master: 32 bytes. name: what create() reports as the key version.
  LocalDataKeySource(Secret master, std::string name = "local/test/v1")
      : master_(std::move(master)), name_(std::move(name)) {}
  Result<DataKey> create(std::string_view context) override;
  Result<Secret> unwrap(const std::string& key_version, std::string_view wrapped,
                        std::string_view context) override;

 private:
  Secret master_;
  std::string name_;
};

}  // namespace appliance::store
