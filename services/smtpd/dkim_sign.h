// NAME
//   dkim_sign.h - DKIM signing of submitted mail with the domain's token keys.
//
// DESCRIPTION
//   DkimKeys says which keys sign for a domain: the key names `appliancectl
//   dkim generate` recorded in the store setting "dkim:<domain>", each looked
//   up in keyd (its algorithm; a retired key, or one keyd no longer has, is
//   left out). A domain's answer is cached for a minute, so a new or retired
//   key takes effect within that time without a restart.
//
//   DkimHold takes a submitted message as it streams in: proto/dkim's
//   MessageHasher keeps the header section and hashes the body on the way,
//   and the bytes themselves wait in a BlobWriter sealed under a key made for
//   this message alone (beyond a megabyte in an unnamed spool file), so a
//   large message is never held whole in memory and never lies on disk in
//   clear. sign() has keyd sign once per key (RSA and Ed25519 both, RFC 8463
//   4.2) and returns the DKIM-Signature fields; replay() then passes the
//   message on, unchanged, to whatever stores it.
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
#include "store/blob_writer.h"
#include "store/store.h"

namespace appliance::smtpd {

struct SigningKey {
  std::string name;  // dkim/<domain>/<selector>
  std::string selector;
  dkim::Algorithm algorithm = dkim::Algorithm::rsa_sha256;
};

// The store setting that lists a domain's signing keys, separated by spaces.
std::string dkim_setting(std::string_view domain);

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
  std::filesystem::path spool;  // where a large held message spills, sealed
};

class DkimHold {
 public:
  static Result<std::unique_ptr<DkimHold>> start(const std::filesystem::path& spool);
  Result<void> write(std::string_view bytes);
  // Blocking. The DKIM-Signature fields, each ending in CRLF; empty when the
  // domain has no key or the message cannot be signed (logged). A key that
  // fails to sign is an error: the message is refused for now (4xx).
  Result<std::string> sign(DkimSigner& signer, const std::string& domain, std::uint64_t now);
  // The message as it came, to `sink`, in pieces.
  using Sink = std::function<Result<void>(std::string_view)>;
  Result<void> replay(const Sink& sink);
  // Blocking: sign(), then the fields and the message to `sink`.
  Result<void> sign_into(DkimSigner& signer, const std::string& domain, std::uint64_t now,
                         const Sink& sink);

 private:
  DkimHold(std::shared_ptr<const store::AccountKeys> keys, std::unique_ptr<store::BlobWriter> held);
  Result<void> end();  // no more writes

  std::shared_ptr<const store::AccountKeys> keys_;
  std::unique_ptr<store::BlobWriter> held_;
  dkim::MessageHasher hasher_;
};

}  // namespace appliance::smtpd
