// NAME
//   data_key.cpp - data keys from keyd, or from a local key in tests.
#include "store/data_key.h"

#include <fmt/format.h>

#include "store/crypto.h"

namespace appliance::store {

Result<DataKey> KeydDataKeySource::create(std::string_view context) {
  return client_.new_data_key(family_, context);
}

Result<Secret> KeydDataKeySource::unwrap(const std::string& key_version, std::string_view wrapped,
                                         std::string_view context) {
  return client_.unwrap(key_version, wrapped, context);
}

Result<DataKey> LocalDataKeySource::create(std::string_view context) {
  auto raw = crypto::random_bytes(crypto::kKeySize);
  auto nonce = crypto::random_bytes(crypto::kNonceSize);
  if (!raw) return raw.error();
  if (!nonce) return nonce.error();
  auto sealed = crypto::gcm_seal(master_, *nonce, context, *raw);
  if (!sealed) return sealed.error();
  DataKey key;
  key.key = name_;
  key.raw = Secret(std::move(*raw));
  key.wrapped = *nonce + *sealed;
  return key;
}

Result<Secret> LocalDataKeySource::unwrap(const std::string& key_version, std::string_view wrapped,
                                          std::string_view context) {
  if (key_version != name_) return make_error(fmt::format("unknown key {}", key_version));
  if (wrapped.size() < crypto::kNonceSize) return make_error("wrapped key is too short");
  auto raw = crypto::gcm_open(master_, wrapped.substr(0, crypto::kNonceSize), context,
                              wrapped.substr(crypto::kNonceSize));
  if (!raw) return make_error(fmt::format("cannot unwrap with {}: {}", key_version, raw.message()));
  return Secret(std::move(*raw));
}

}  // namespace appliance::store
