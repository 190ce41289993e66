// NAME
//   context_set.cpp - keyd-backed credentials and the swap of server
//   contexts on rotation.
#include "tls/context_set.h"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "common/log.h"
#include "hsm/signer_key.h"

namespace appliance::tls {
namespace {

keyd::SignScheme keyd_scheme(hsm::SignScheme scheme) {
  switch (scheme) {
    case hsm::SignScheme::ecdsa:
      return keyd::SignScheme::ecdsa;
    case hsm::SignScheme::rsa_pkcs1:
      return keyd::SignScheme::rsa_pkcs1;
    case hsm::SignScheme::rsa_raw:
      return keyd::SignScheme::rsa_raw;
  }
  return keyd::SignScheme::ecdsa;
}

// The private operation of `key`, as a request to the key service. It names
// the version, so a rotation never pairs a certificate with another key.
hsm::SignCallback sign_through(std::shared_ptr<KeyService> keys, std::string key) {
  return [keys = std::move(keys),
          key = std::move(key)](const hsm::SignRequest& request) -> Result<std::string> {
    auto s = keys->sign(key, keyd_scheme(request.scheme), request.input);
    if (!s) return make_error(fmt::format("{}: {}", key, s.message()));
    if (s->key != key) return make_error(fmt::format("{}: signed by {} instead", key, s->key));
    return std::move(s->signature);
  };
}

Result<hsm::EvpPkeyPtr> parse_spki(const keyd::PublicKey& pub) {
  const auto* p = reinterpret_cast<const unsigned char*>(pub.spki_der.data());
  hsm::EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(pub.spki_der.size())));
  if (!key) return hsm::openssl_error(pub.info.name + ": public key");
  return key;
}

Result<Credential> credential_from(const std::shared_ptr<KeyService>& keys,
                                   std::string_view hostname, const keyd::PublicKey& pub) {
  if (pub.chain_pem.empty()) return make_error(fmt::format("{} has no certificate", pub.info.name));
  auto public_key = parse_spki(pub);
  if (!public_key) return public_key.error();
  auto signer = hsm::make_signer_key(public_key->get(), sign_through(keys, pub.info.name));
  if (!signer) return make_error(fmt::format("{}: {}", pub.info.name, signer.message()));
  return make_credential(hostname, pub.info.name, std::move(signer).value(), pub.chain_pem);
}

}  // namespace

std::string key_family(std::string_view hostname) {
  return "tls/" + normalise_hostname(hostname);
}

Result<Credential> fetch_credential(const std::shared_ptr<KeyService>& keys,
                                    std::string_view hostname) {
  auto pub = keys->public_key(key_family(hostname));
  if (!pub) return make_error(fmt::format("{}: {}", key_family(hostname), pub.message()));
  return credential_from(keys, hostname, *pub);
}

TlsContextSet::TlsContextSet(std::shared_ptr<KeyService> keys, std::vector<std::string> hostnames)
    : keys_(std::move(keys)), hostnames_(std::move(hostnames)) {}

TlsContextSet::~TlsContextSet() {
  poller_.request_stop();
  if (poller_.joinable()) poller_.join();
}

Result<std::unique_ptr<TlsContextSet>> TlsContextSet::open(
    std::shared_ptr<KeyService> keys, const std::vector<std::string>& hostnames) {
  if (!keys) return make_error("no key service");
  if (hostnames.empty()) return make_error("no hostname to serve");
  std::vector<std::string> normalised;
  for (const std::string& h : hostnames) normalised.push_back(normalise_hostname(h));
  std::unique_ptr<TlsContextSet> set(new TlsContextSet(std::move(keys), std::move(normalised)));
  std::lock_guard lock(set->refresh_mutex_);
  if (auto r = set->refresh_locked(); !r) return r.error();
  set->generation_ = 0;
  return set;
}

SslCtxPtr TlsContextSet::current() const {
  std::lock_guard lock(mutex_);
  SSL_CTX_up_ref(front_.get());
  return SslCtxPtr(front_.get());
}

Result<bool> TlsContextSet::refresh() {
  std::lock_guard lock(refresh_mutex_);
  return refresh_locked();
}

Result<TlsContextSet::CredentialPtr> TlsContextSet::renewed(const std::string& hostname,
                                                            const CredentialPtr& old) {
  auto pub = keys_->public_key(key_family(hostname));
  if (!pub) return make_error(fmt::format("{}: {}", key_family(hostname), pub.message()));
  if (old && old->key_name == pub->info.name && old->chain_pem == pub->chain_pem) return old;
  auto fresh = credential_from(keys_, hostname, *pub);
  if (!fresh) return fresh.error();
  return std::make_shared<const Credential>(std::move(fresh).value());
}

Result<bool> TlsContextSet::refresh_locked() {
  std::vector<CredentialPtr> old;
  {
    std::lock_guard lock(mutex_);
    old = credentials_;
  }
  old.resize(hostnames_.size());
  std::vector<CredentialPtr> fresh;
  bool changed = false;
  for (std::size_t i = 0; i < hostnames_.size(); ++i) {
    auto c = renewed(hostnames_[i], old[i]);
    if (!c) return c.error();
    changed = changed || *c != old[i];
    fresh.push_back(std::move(c).value());
  }
  if (!changed) return false;
  if (auto in = install(fresh); !in) return in.error();
  for (std::size_t i = 0; i < fresh.size(); ++i)
    if (fresh[i] != old[i])
      log::info("tls: serving", {{"host", fresh[i]->hostname}, {"key", fresh[i]->key_name}});
  return true;
}

Result<void> TlsContextSet::install(std::vector<CredentialPtr> credentials) {
  std::vector<const Credential*> view;
  for (const CredentialPtr& c : credentials) view.push_back(c.get());
  auto front = make_server_context(view);
  if (!front) return front.error();
  std::lock_guard lock(mutex_);
  front_ = std::move(front).value();  // the old front lives on in its connections
  credentials_ = std::move(credentials);
  ++generation_;
  return {};
}

void TlsContextSet::poll_every(std::chrono::milliseconds interval) {
  poller_ = std::jthread([this, interval](std::stop_token stop) { poll(stop, interval); });
}

void TlsContextSet::poll(std::stop_token stop, std::chrono::milliseconds interval) {
  std::string last_error;
  std::unique_lock lock(poll_mutex_);
  while (!poll_wake_.wait_for(lock, stop, interval, [] { return false; }) &&
         !stop.stop_requested()) {
    lock.unlock();
    auto r = refresh();
    lock.lock();
    std::string error = r ? std::string() : r.message();
    if (!error.empty() && error != last_error)  // once per distinct failure, not every poll
      log::warning("tls: key refresh failed; serving the previous keys", {{"error", error}});
    last_error = error;
  }
}

std::vector<std::string> TlsContextSet::serving() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const CredentialPtr& c : credentials_) names.push_back(c->key_name);
  return names;
}

std::uint64_t TlsContextSet::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

}  // namespace appliance::tls
