// NAME
//   context_set.h - the TLS server contexts of a daemon, for hostnames whose
//   keys stay in keyd, renewed when a key is rotated.
//
// DESCRIPTION
//   TlsContextSet::open(keys, {"mail.example.test", ...}) asks the key
//   service for the current version of each family "tls/<hostname>": its
//   public key and certificate chain. Each hostname gets a signer key
//   (hsm/signer_key.h) whose private operation is a sign request to keyd
//   naming that version: ECDSA over the digest for EC keys; for RSA, PKCS#1
//   v1.5 over a DigestInfo or the raw operation over a block OpenSSL has
//   already PSS-padded. The process never holds private key bytes and never
//   opens the token.
//
//   current() is the front context for a new connection (SNI picks the
//   certificate; the first hostname serves when there is none).
//
//   refresh() asks again; if a family's current version or certificate chain
//   has changed, it builds a new front and swaps it in: new handshakes use
//   the new key, handshakes already under way finish with the old one (their
//   SSL holds its context, and the old version can still sign until it is
//   retired). poll_every() calls refresh() on a thread of its own. A failed
//   refresh keeps what was serving.
//
// THREADS
//   Every member may be called from any thread at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "tls/key_service.h"
#include "tls/server_context.h"

namespace appliance::tls {

// "tls/" + the normalised hostname.
std::string key_family(std::string_view hostname);

// The current key of `hostname` as a credential that signs through `keys`.
Result<Credential> fetch_credential(const std::shared_ptr<KeyService>& keys,
                                    std::string_view hostname);

class TlsContextSet {
 public:
  static Result<std::unique_ptr<TlsContextSet>> open(std::shared_ptr<KeyService> keys,
                                                     const std::vector<std::string>& hostnames);
  ~TlsContextSet();
  TlsContextSet(const TlsContextSet&) = delete;
  TlsContextSet& operator=(const TlsContextSet&) = delete;

  // The front context; the caller's reference.
  SslCtxPtr current() const;
  // true when a new context was swapped in.
  Result<bool> refresh();
  void poll_every(std::chrono::milliseconds interval);

  // The key version serving each hostname, in the order given to open().
  std::vector<std::string> serving() const;
  // Counts swaps (0 after open()).
  std::uint64_t generation() const;

 private:
  using CredentialPtr = std::shared_ptr<const Credential>;
  TlsContextSet(std::shared_ptr<KeyService> keys, std::vector<std::string> hostnames);
  Result<bool> refresh_locked();
  Result<CredentialPtr> renewed(const std::string& hostname, const CredentialPtr& old);
  Result<void> install(std::vector<CredentialPtr> credentials);
  void poll(std::stop_token stop, std::chrono::milliseconds interval);

  std::shared_ptr<KeyService> keys_;
  const std::vector<std::string> hostnames_;

  std::mutex refresh_mutex_;  // one refresh at a time; held across keyd calls
  mutable std::mutex mutex_;  // guards the fields below; never held across a call out
  SslCtxPtr front_;
  std::vector<CredentialPtr> credentials_;
  std::uint64_t generation_ = 0;

  std::mutex poll_mutex_;
  std::condition_variable_any poll_wake_;
  std::jthread poller_;
};

}  // namespace appliance::tls
