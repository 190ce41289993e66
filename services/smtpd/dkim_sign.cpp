// NAME
//   dkim_sign.cpp - which keys sign for a domain; a message held, signed
//   through keyd, and passed on.
#include "smtpd/dkim_sign.h"

#include <fmt/format.h>

#include "common/log.h"
#include "proto/dkim/key_list.h"

namespace appliance::smtpd {

namespace {

// The key keyd described, or why it does not sign (retired, not a DKIM algorithm).
Result<SigningKey> signing_key(const keyd::KeyInfo& info) {
  if (!info.retired.empty()) return make_error("retired");
  SigningKey k;
  k.name = info.name;
  k.selector = k.name.substr(k.name.rfind('/') + 1);
  if (info.algorithm == "ed25519")
    k.algorithm = dkim::Algorithm::ed25519_sha256;
  else if (info.algorithm.starts_with("rsa-"))
    k.algorithm = dkim::Algorithm::rsa_sha256;
  else
    return make_error(fmt::format("algorithm {} cannot sign DKIM", info.algorithm));
  return k;
}

}  // namespace

DkimKeys::DkimKeys(store::Store& store, keyd::KeydClient& keyd, std::chrono::seconds refresh)
    : store_(store), keyd_(keyd), refresh_(refresh) {}

Result<std::vector<SigningKey>> DkimKeys::for_domain(const std::string& domain) {
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

Result<std::vector<SigningKey>> DkimKeys::fetch(const std::string& domain) {
  auto names = store_.setting(dkim::key_list_setting(domain));
  if (!names) return names.error();
  std::vector<SigningKey> keys;
  if (!*names) return keys;
  for (const std::string& name : dkim::parse_key_list(**names)) {
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

Result<std::unique_ptr<DkimHold>> DkimHold::start(const std::filesystem::path& spool,
                                                  DkimSigner& signer, std::string domain) {
  auto held = SealedHold::start(spool);
  if (!held) return held.error();
  return std::unique_ptr<DkimHold>(new DkimHold(signer, std::move(domain), std::move(*held)));
}

Result<void> DkimHold::write(std::string_view bytes) {
  hasher_.write(bytes);
  return held_.write(bytes);
}

Result<std::string> DkimHold::above(std::uint64_t now) {
  auto keys = signer_.keys.for_domain(domain_);
  if (!keys) return keys.error();
  if (keys->empty()) return std::string();
  if (auto ok = hasher_.finish(); !ok) {
    log::warning("message not signed", {{"domain", domain_}, {"why", ok.message()}});
    return std::string();
  }
  std::string fields;
  for (const SigningKey& key : *keys) {
    auto p = dkim::prepare_signature(hasher_, key.algorithm, domain_, key.selector, now);
    auto scheme = key.algorithm == dkim::Algorithm::ed25519_sha256 ? keyd::SignScheme::ed25519
                                                                   : keyd::SignScheme::rsa_pkcs1;
    auto sig = signer_.keyd.sign(key.name, scheme, p.input);
    if (!sig) return make_error(fmt::format("{}: {}", key.name, sig.message()));
    fields += dkim::add_signature_value(std::move(p.field), sig->signature);
  }
  return fields;
}

}  // namespace appliance::smtpd
