// NAME
//   inbound.h - DKIM, SPF and DMARC of mail arriving on the MX port, recorded
//   in an Authentication-Results field (RFC 8601).
//
// DESCRIPTION
//   InboundCheck takes the message as the client sent it: the header section
//   is kept (up to 256 KiB) and, once it is complete, each DKIM-Signature in
//   it (at most kMaxSignatures) gets a body hash computed as the body
//   streams past, with that signature's canonicalization and l=. results()
//   then, at the end, looks up each signature's key record, runs SPF's
//   check_host() for the MAIL FROM domain (the HELO name for the null
//   sender), evaluates DMARC for the From domain and writes the field:
//
//     Authentication-Results: mail.example.test;
//     	dkim=pass header.d=example.com header.s=s1 header.a=rsa-sha256 header.b=AbCdEfGh;
//     	spf=pass smtp.mailfrom=alice@example.com;
//     	dmarc=pass (p=reject) header.from=example.com
//
//   InboundHold holds the message meanwhile (hold.h), so the field goes on
//   top, and drops the Authentication-Results fields that arrived claiming
//   this host's authserv-id (RFC 8601 5), so that a reader can trust every
//   field naming this host. The lookups block: results() runs on a worker.
//   With `[smtpd] dmarc_policy = enforce` (the default) a message that fails
//   DMARC gets what its From domain's policy asks (dmarc_filtering(), RFC
//   7489 6.6.4 and 6.7): p=reject 550 5.7.26, nothing stored; p=quarantine
//   filed in the recipient's Junk mailbox; pct= below 100 applies the policy
//   to that share of failing messages and the next milder one to the rest.
//   `record` only records the result. With a content filter (filter.h),
//   above() then has the message scanned, unless DMARC refused it, and adds
//   the filter's fields; the stricter of the two verdicts holds, and
//   filtering() says whether to store it.
//
// SECURITY
//   Everything here is the sender's: signatures, records and header fields
//   are parsed by the fuzzed parsers of proto/dkim, proto/spf and
//   proto/dmarc; values put into the field are checked to be plain tokens.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dns/resolver.h"
#include "proto/dkim/canon.h"
#include "proto/dkim/crypto.h"
#include "proto/dkim/header.h"
#include "proto/dkim/signature.h"
#include "proto/dmarc/record.h"
#include "smtpd/filter.h"
#include "smtpd/hold.h"

namespace appliance::smtpd {

constexpr std::size_t kMaxSignatures = 5;

enum class DmarcPolicy { enforce, record };  // [smtpd] dmarc_policy

// What a DMARC evaluation of a message from `from` asks for it; `roll` is a
// number from 0 to 99, drawn per message, that pct= is compared with. Pure.
Filtering dmarc_filtering(const dmarc::Evaluation& e, std::string_view from, int roll);

class InboundCheck {
 public:
  InboundCheck();
  ~InboundCheck();
  InboundCheck(const InboundCheck&) = delete;
  InboundCheck& operator=(const InboundCheck&) = delete;
  void write(std::string_view bytes);
  // Blocking (DNS). The Authentication-Results field, ending in CRLF.
  std::string results(dns::Resolver& resolver, const Envelope& envelope,
                      const std::string& authserv_id, std::uint64_t now);
  // The header section as it came, and without the Authentication-Results
  // fields that claim `authserv_id` (RFC 8601 5: forged, or from before)
  // and, when `spam_fields`, without the X-Spam fields the filter sets.
  const std::string& header() const { return collector_.header(); }
  std::string header_without_ours(const std::string& authserv_id, bool spam_fields) const;
  // After results(): SPF passed for a sender that is not null.
  bool sender_verified() const { return sender_verified_; }
  // After results(): the DMARC evaluation and the From domain, when the
  // header section named one.
  const dmarc::Evaluation& dmarc() const { return dmarc_; }
  const std::string& from_domain() const { return from_domain_; }

 private:
  struct Sig;
  void start_body();
  std::string dkim_results(dns::Resolver& resolver, std::uint64_t now,
                           std::vector<std::string>& passed);

  dkim::HeaderCollector collector_;
  std::vector<std::unique_ptr<Sig>> sigs_;
  bool body_started_ = false;
  bool sender_verified_ = false;
  dmarc::Evaluation dmarc_;
  std::string from_domain_;
};

class InboundHold final : public MessageHold {
 public:
  static Result<std::unique_ptr<InboundHold>> start(const std::filesystem::path& spool,
                                                    dns::Resolver& resolver, Envelope envelope,
                                                    std::string authserv_id,
                                                    ContentFilter* filter = nullptr,
                                                    DmarcPolicy dmarc = DmarcPolicy::enforce);
  Result<void> write(std::string_view bytes) override;
  Result<std::string> above(std::uint64_t now) override;
  // The message, less the Authentication-Results fields claiming this host
  // (and the X-Spam fields, when a filter sets them).
  Result<void> replay(const Sink& sink) override;
  Filtering filtering() const override { return filtering_; }
  bool sender_verified() const override { return check_.sender_verified(); }
  std::string header() const override { return check_.header(); }

 private:
  InboundHold(HeldBytes held, dns::Resolver& resolver, Envelope envelope, std::string id,
              ContentFilter* filter, DmarcPolicy dmarc)
      : held_(std::move(held)),
        resolver_(resolver),
        envelope_(std::move(envelope)),
        authserv_id_(std::move(id)),
        filter_(filter),
        dmarc_(dmarc) {}
  Filtering scan();

  HeldBytes held_;
  dns::Resolver& resolver_;
  Envelope envelope_;
  std::string authserv_id_;
  ContentFilter* filter_;
  DmarcPolicy dmarc_;
  InboundCheck check_;
  std::uint64_t size_ = 0;
  Filtering filtering_;
};

}  // namespace appliance::smtpd
