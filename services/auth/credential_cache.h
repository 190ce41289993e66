// NAME
//   credential_cache.h - a short-lived memory of credentials that were just verified.
//
// DESCRIPTION
//   Mail clients log in again and again with the same password; the cache
//   spares each of those logins an Argon2 run. An entry is keyed by
//   HMAC-SHA256(process key, account || credential) and holds only the
//   account and a caller's note (which credential kind, which app password
//   id). Entries live for `ttl`, the oldest go first when `max_entries` is
//   reached, and forget_account() drops every entry of an account (password
//   changed, app password revoked, account locked).
//
// SECURITY
//   The cache never holds a password: the process key is random, made at
//   start and never stored, so an entry's key reveals nothing even in a core
//   dump of this process alone. A verification that raced with
//   forget_account() is not cached (generation check).
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/clock.h"
#include "common/secret.h"

namespace appliance::auth {

struct CacheLimits {
  std::chrono::seconds ttl{300};
  std::size_t max_entries = 10000;
};

class CredentialCache {
 public:
  explicit CredentialCache(const Clock& clock, CacheLimits limits = {});

  // Read before verifying; pass to put() so a forget in between wins.
  std::uint64_t generation() const;
  // The note stored with a still-valid entry for (account, credential).
  std::optional<std::string> get(std::string_view account, const Secret& credential);
  void put(std::string_view account, const Secret& credential, std::string note,
           std::uint64_t generation);
  void forget_account(std::string_view account);
  std::size_t size() const;

 private:
  struct Entry {
    std::string account;
    std::string note;
    Instant expires;
    std::list<std::string>::iterator order;  // position in insertion order
  };
  std::string key_for(std::string_view account, const Secret& credential) const;
  void erase(std::unordered_map<std::string, Entry>::iterator it);

  const Clock& clock_;
  CacheLimits limits_;
  Secret process_key_;
  mutable std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> order_;  // oldest first
};

}  // namespace appliance::auth
