// NAME
//   registry.h - what keyd knows about the keys in the token.
//
// DESCRIPTION
//   The token holds the keys; the registry holds what is said about them:
//   algorithm, created, retired, how often and when last used, the order in
//   which versions were made, and the certificate chain of a tls key. It is
//   kept in keyd's own folder (state.json, certs/), none of it secret.
//
//   Names: "purpose/subject.../version". A request may name a family (the
//   name without its version); the family's current version is then the
//   newest one not retired. Retired keys still serve unseal, unwrap, HMAC and
//   public-key requests, never new signatures, seals or data keys.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "keyd/protocol.h"

namespace appliance::keyd {

class Registry {
 public:
  explicit Registry(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Reads state.json; `token_keys` (name, algorithm, created) is the truth
  // about which keys exist.
  struct TokenKey {
    std::string name, algorithm, created;
  };
  Result<void> load(const std::vector<TokenKey>& token_keys);

  // The full name for a name or family; for_new_use refuses a retired key.
  Result<std::string> resolve(const std::string& name_or_family, bool for_new_use) const;
  Result<std::string> algorithm(const std::string& name) const;
  void record_use(const std::string& name);

  std::vector<KeyInfo> list() const;
  Result<KeyInfo> info(const std::string& name) const;
  // The name a rotation of `family` gives its new version.
  std::string next_version(const std::string& family) const;
  // The current version of a family, or "" if it has none.
  std::string current(const std::string& family) const;

  Result<void> add(const TokenKey& key);
  Result<void> retire(const std::string& name);
  Result<void> remove(const std::string& name);

  Result<void> set_chain(const std::string& name, const std::string& pem);
  std::string chain(const std::string& name) const;

  // Bumped by every change, so per-thread caches know to drop their copies.
  std::uint64_t generation() const { return generation_.load(); }
  Result<void> save() const;

 private:
  struct Meta {
    std::string algorithm, created, retired;
    std::uint64_t seq = 0;
    std::atomic<std::uint64_t> uses{0}, last_used{0};
  };
  std::filesystem::path chain_path(const std::string& name) const;
  KeyInfo info_locked(const std::string& name, const Meta& m) const;
  Result<void> save_locked() const;

  std::filesystem::path dir_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::unique_ptr<Meta>> keys_;
  std::uint64_t next_seq_ = 1;
  std::atomic<std::uint64_t> generation_{1};
};

// "tls/mail.example.test/v3" -> "tls/mail.example.test".
std::string family_of(const std::string& name);

}  // namespace appliance::keyd
