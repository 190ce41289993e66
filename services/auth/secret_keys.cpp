// NAME
//   secret_keys.cpp - peppers and seals through keyd, or in memory for tests.
#include "auth/secret_keys.h"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "auth/encoding.h"
#include "store/crypto.h"

namespace appliance::auth {

Result<Mac> KeydSecretKeys::hmac(const std::string& key, std::string_view data) {
  // KeydClient::hmac drops the version keyd names in its reply; we need it.
  keyd::Request q;
  q.type = ipc::Type::key_hmac;
  q.key = key;
  q.data = std::string(data);
  auto reply = client_.call(q, ipc::Type::key_mac, true);
  if (!reply) return reply.error();
  ipc::Reader r(reply->body);
  Mac out{r.str(keyd::kMaxName), r.bytes(keyd::kMaxInput)};
  if (auto end = r.end(); !end) return end.error();
  return out;
}

Result<bool> KeydSecretKeys::hmac_verify(const std::string& key, std::string_view data,
                                         std::string_view mac) {
  return client_.hmac_verify(key, data, mac);
}

Result<Sealed> KeydSecretKeys::seal(const std::string& key, std::string_view plaintext,
                                    std::string_view aad) {
  return client_.seal(key, plaintext, aad);
}

Result<Secret> KeydSecretKeys::unseal(const std::string& key, std::string_view sealed,
                                      std::string_view aad) {
  return client_.unseal(key, sealed, aad);
}

LocalSecretKeys LocalSecretKeys::with_defaults() {
  LocalSecretKeys keys;
  for (auto family : {kPasswordPepper, kApiPepper, kTotpSeal})
    keys.add(fmt::format("{}/v1", family), Secret(random_bytes(32)));
  return keys;
}

void LocalSecretKeys::add(const std::string& name, Secret key) {
  current_[name.substr(0, name.rfind('/'))] = name;
  keys_[name] = std::move(key);
}

Result<std::pair<std::string, const Secret*>> LocalSecretKeys::find(const std::string& key) const {
  std::string version = key;
  if (auto c = current_.find(key); c != current_.end()) version = c->second;
  auto k = keys_.find(version);
  if (k == keys_.end()) return make_error(fmt::format("unknown key {}", key));
  return std::pair{version, &k->second};
}

Result<Mac> LocalSecretKeys::hmac(const std::string& key, std::string_view data) {
  auto k = find(key);
  if (!k) return k.error();
  auto h = store::crypto::Hmac::start(*k->second);
  if (!h) return h.error();
  if (auto u = h->update(data); !u) return u.error();
  auto mac = h->finish();
  if (!mac) return mac.error();
  return Mac{k->first, std::move(*mac)};
}

Result<bool> LocalSecretKeys::hmac_verify(const std::string& key, std::string_view data,
                                          std::string_view mac) {
  auto mine = hmac(key, data);
  if (!mine) return mine.error();
  return mine->mac.size() == mac.size() &&
         CRYPTO_memcmp(mine->mac.data(), mac.data(), mac.size()) == 0;
}

Result<Sealed> LocalSecretKeys::seal(const std::string& key, std::string_view plaintext,
                                     std::string_view aad) {
  auto k = find(key);
  if (!k) return k.error();
  std::string nonce = random_bytes(store::crypto::kNonceSize);
  auto sealed = store::crypto::gcm_seal(*k->second, nonce, aad, plaintext);
  if (!sealed) return sealed.error();
  return Sealed{k->first, nonce + *sealed};
}

Result<Secret> LocalSecretKeys::unseal(const std::string& key, std::string_view sealed,
                                       std::string_view aad) {
  auto k = find(key);
  if (!k) return k.error();
  if (sealed.size() < store::crypto::kNonceSize) return make_error("sealed data is too short");
  auto plain = store::crypto::gcm_open(*k->second, sealed.substr(0, store::crypto::kNonceSize), aad,
                                       sealed.substr(store::crypto::kNonceSize));
  if (!plain) return plain.error();
  return Secret(std::move(*plain));
}

}  // namespace appliance::auth
