// NAME
//   keyd_signer.cpp - which keys sign for a domain; a hashed message signed
//   through keyd.
#include "dkim/keyd_signer.h"

#include <fmt/format.h>

#include "common/log.h"
#include "proto/dkim/key_list.h"

namespace appliance::dkim {

namespace {

// The key keyd described, or why it does not sign (retired, not a DKIM algorithm).
Result<SigningKey> signing_key(const keyd::KeyInfo& info) {
  if (!info.retired.empty()) return make_error("retired");
  SigningKey k;
  k.name = info.name;
  k.selector = k.name.substr(k.name.rfind('/') + 1);
  if (info.algorithm == "ed25519")
    k.algorithm = Algorithm::ed25519_sha256;
  else if (info.algorithm.starts_with("rsa-"))
    k.algorithm = Algorithm::rsa_sha256;
  else
    return make_error(fmt::format("algorithm {} cannot sign DKIM", info.algorithm));
  return k;
}

}  // namespace

KeydKeys::KeydKeys(store::Store& store, keyd::KeydClient& keyd, std::chrono::seconds refresh)
    : store_(store), keyd_(keyd), refresh_(refresh) {}

Result<std::vector<SigningKey>> KeydKeys::for_domain(const std::string& domain) {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(domain);
    if (it != cache_.end() && now - it->second.fetched < refresh_) return it->second.keys;
  }
  auto keys = fetch(domain);
  if (!keys) return keys.error();
  std::lock_guard lock(mutex_);
  cache_[domain] = {*keys, now};
  return keys;
}

Result<std::vector<SigningKey>> KeydKeys::fetch(const std::string& domain) {
  auto names = store_.setting(key_list_setting(domain));
  if (!names) return names.error();
  std::vector<SigningKey> keys;
  if (!*names) return keys;
  for (const std::string& name : parse_key_list(**names)) {
    // A key keyd no longer has (deleted) is left out; any other fault (keyd
    // restarting) fails the lookup, uncached, so that mail is refused for now
    // rather than sent unsigned.
    auto pub = keyd_.public_key(name);
    if (!pub && !pub.message().starts_with("no key named"))
      return make_error(fmt::format("{}: {}", name, pub.message()));
    auto key = pub ? signing_key(pub->info) : Result<SigningKey>(pub.error());
    if (key)
      keys.push_back(std::move(*key));
    else
      log::info("dkim key left out", {{"key", name}, {"why", key.message()}});
  }
  return keys;
}

Result<std::string> signature_fields(KeydSigner& signer, const std::string& domain,
                                     MessageHasher& hasher, std::uint64_t now) {
  auto keys = signer.keys.for_domain(domain);
  if (!keys) return keys.error();
  if (keys->empty()) return std::string();
  if (auto ok = hasher.finish(); !ok) {
    log::warning("message not signed", {{"domain", domain}, {"why", ok.message()}});
    return std::string();
  }
  std::string fields;
  for (const SigningKey& key : *keys) {
    auto p = prepare_signature(hasher, key.algorithm, domain, key.selector, now);
    auto scheme = key.algorithm == Algorithm::ed25519_sha256 ? keyd::SignScheme::ed25519
                                                             : keyd::SignScheme::rsa_pkcs1;
    auto sig = signer.keyd.sign(key.name, scheme, p.input);
    if (!sig) return make_error(fmt::format("{}: {}", key.name, sig.message()));
    fields += add_signature_value(std::move(p.field), sig->signature);
  }
  return fields;
}

Result<std::string> sign_message(KeydSigner& signer, const std::string& domain,
                                 std::string_view message, std::uint64_t now) {
  MessageHasher hasher;
  hasher.write(message);
  auto fields = signature_fields(signer, domain, hasher, now);
  if (!fields) return fields.error();
  return *fields + std::string(message);
}

}  // namespace appliance::dkim
