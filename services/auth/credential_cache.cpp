// NAME
//   credential_cache.cpp - the verified-credential cache.
#include "auth/credential_cache.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "auth/encoding.h"

namespace appliance::auth {

CredentialCache::CredentialCache(const Clock& clock, CacheLimits limits)
    : clock_(clock), limits_(limits), process_key_(random_bytes(32)) {}

std::string CredentialCache::key_for(std::string_view account, const Secret& credential) const {
  // Length-prefixing the account keeps ("ab","c") and ("a","bc") apart.
  std::string input = std::to_string(account.size()) + ":" + std::string(account);
  input += credential.reveal();
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), process_key_.reveal().data(), int(process_key_.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  Secret wipe(std::move(input));
  return std::string(reinterpret_cast<char*>(mac), len);
}

void CredentialCache::erase(std::unordered_map<std::string, Entry>::iterator it) {
  order_.erase(it->second.order);
  entries_.erase(it);
}

std::uint64_t CredentialCache::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

std::optional<std::string> CredentialCache::get(std::string_view account,
                                                const Secret& credential) {
  std::string key = key_for(account, credential);
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (clock_.now() >= it->second.expires) {
    erase(it);
    return std::nullopt;
  }
  return it->second.note;
}

void CredentialCache::put(std::string_view account, const Secret& credential, std::string note,
                          std::uint64_t generation) {
  std::string key = key_for(account, credential);
  std::lock_guard lock(mutex_);
  if (generation != generation_ || limits_.max_entries == 0) return;
  if (auto it = entries_.find(key); it != entries_.end()) erase(it);
  while (entries_.size() >= limits_.max_entries) erase(entries_.find(order_.front()));
  order_.push_back(key);
  entries_.emplace(key, Entry{std::string(account), std::move(note), clock_.now() + limits_.ttl,
                              std::prev(order_.end())});
}

void CredentialCache::forget_account(std::string_view account) {
  std::lock_guard lock(mutex_);
  ++generation_;
  for (auto it = entries_.begin(); it != entries_.end();) {
    auto next = std::next(it);
    if (it->second.account == account) erase(it);
    it = next;
  }
}

std::size_t CredentialCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace appliance::auth
