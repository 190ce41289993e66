// NAME
//   dkim_sign.h - DKIM signing of submitted mail with the domain's token keys.
//
// DESCRIPTION
//   DkimKeys says which keys sign for a domain: the key names `appliancectl
//   dkim generate` recorded in the store (proto/dkim/key_list.h), each looked
//   up in keyd (its algorithm; a retired key, or one keyd no longer has, is
//   left out). A domain's answer is cached for a minute, so a new or retired
//   key takes effect within that time without a restart.
//
//   DkimHold takes a submitted message as it streams in: proto/dkim's
//   MessageHasher keeps the header section and hashes the body on the way,
//   and the bytes themselves wait in a SealedHold (hold.h). above() has keyd
//   sign once per key (RSA and Ed25519 both, RFC 8463 4.2) and returns the
//   DKIM-Signature fields; replay() then passes the message on, unchanged.
//
// SECURITY
//   Only the envelope sender's domain signs, and the session has checked that
//   the authenticated account owns the sender, so an account cannot have mail
//   signed for a domain it does not belong to. The private keys stay in keyd.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "keyd/client.h"
#include "proto/dkim/sign.h"
#include "smtpd/hold.h"
#include "store/store.h"

namespace appliance::smtpd {

struct SigningKey {
  std::string name;  // dkim/<domain>/<selector>
  std::string selector;
  dkim::Algorithm algorithm = dkim::Algorithm::rsa_sha256;
};

class DkimKeys {
 public:
  DkimKeys(store::Store& store, keyd::KeydClient& keyd,
           std::chrono::seconds refresh = std::chrono::seconds(60));
  // Blocking (a store read and keyd requests) unless cached.
  Result<std::vector<SigningKey>> for_domain(const std::string& domain);

 private:
  Result<std::vector<SigningKey>> fetch(const std::string& domain);

  struct Entry {
    std::vector<SigningKey> keys;
    std::chrono::steady_clock::time_point fetched;
  };
  store::Store& store_;
  keyd::KeydClient& keyd_;
  std::chrono::seconds refresh_;
  std::mutex mutex_;
  std::map<std::string, Entry> cache_;
};

// What signs: the keys of each domain, and keyd to sign with them.
struct DkimSigner {
  DkimKeys& keys;
  keyd::KeydClient& keyd;
};

class DkimHold final : public MessageHold {
 public:
  static Result<std::unique_ptr<DkimHold>> start(const std::filesystem::path& spool,
                                                 DkimSigner& signer, std::string domain);
  Result<void> write(std::string_view bytes) override;
  // The DKIM-Signature fields; empty when the domain has no key or the
  // message cannot be signed (logged). A key that fails to sign is an error:
  // the message is refused for now (4xx).
  Result<std::string> above(std::uint64_t now) override;
  Result<void> replay(const Sink& sink) override { return held_.replay(sink); }

 private:
  DkimHold(DkimSigner& signer, std::string domain, SealedHold held)
      : signer_(signer), domain_(std::move(domain)), held_(std::move(held)) {}

  DkimSigner& signer_;
  std::string domain_;
  SealedHold held_;
  dkim::MessageHasher hasher_;
};

}  // namespace appliance::smtpd
