// NAME
//   dkim_sign.h - DKIM signing of submitted mail with the domain's token keys.
//
// DESCRIPTION
//   DkimKeys says which keys sign for a domain (dkim/keyd_signer.h: the key
//   names `appliancectl dkim generate` recorded in the store, each looked up
//   in keyd, cached for a minute).
//
//   DkimHold takes a submitted message as it streams in: proto/dkim's
//   MessageHasher keeps the header section and hashes the body on the way,
//   and the bytes themselves wait in a HeldBytes (hold.h). above() has keyd
//   sign once per key (dkim::signature_fields()) and returns the
//   DKIM-Signature fields; replay() then passes the message on, unchanged.
//
//   The domain that signs is the From address's, so that the signature
//   aligns with From for DMARC (RFC 7489 3.1.1), when that differs from the
//   envelope sender's, has keys, and the account may send as the From
//   address (one of its aliases in another domain); otherwise the envelope
//   sender's.
//
// SECURITY
//   A domain signs only for an address the authenticated account owns: the
//   envelope sender, which the session has checked, or a From address that
//   may_send_as says is the account's. So an account cannot have mail signed
//   for a domain it does not belong to. The private keys stay in keyd.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "dkim/keyd_signer.h"
#include "proto/dkim/sign.h"
#include "smtpd/hold.h"

namespace appliance::smtpd {

// The keys of each domain and keyd to sign with them: shared with deliverd
// and auth, which sign the mail the appliance writes (dkim/keyd_signer.h).
using DkimKeys = dkim::KeydKeys;
using DkimSigner = dkim::KeydSigner;

class DkimHold final : public MessageHold {
 public:
  // Whether the authenticated account may send as an address (blocking).
  using MaySendAs = std::function<bool(const std::string& address)>;

  // `domain`: the envelope sender's.
  static Result<std::unique_ptr<DkimHold>> start(const std::filesystem::path& spool,
                                                 DkimSigner& signer, std::string domain,
                                                 MaySendAs may_send_as = {});
  Result<void> write(std::string_view bytes) override;
  // The DKIM-Signature fields; empty when the domain has no key or the
  // message cannot be signed (logged). A key that fails to sign is an error:
  // the message is refused for now (4xx).
  Result<std::string> above(std::uint64_t now) override;
  Result<void> replay(const Sink& sink) override { return held_.replay(sink); }

 private:
  DkimHold(DkimSigner& signer, std::string domain, MaySendAs may_send_as, HeldBytes held)
      : signer_(signer),
        domain_(std::move(domain)),
        may_send_as_(std::move(may_send_as)),
        held_(std::move(held)) {}
  std::string signing_domain();

  DkimSigner& signer_;
  std::string domain_;
  MaySendAs may_send_as_;
  HeldBytes held_;
  dkim::MessageHasher hasher_;
};

}  // namespace appliance::smtpd
