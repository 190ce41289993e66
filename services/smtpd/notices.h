// NAME
//   notices.h - "delivered" notices for mail that arrives on the MX port
//   (RFC 3461 NOTIFY=SUCCESS).
//
// DESCRIPTION
//   smtpd offers DSN. When a recipient of MX mail asked at RCPT for
//   NOTIFY=SUCCESS and the message is in its mailbox here, its sender gets a
//   report with Action: delivered (proto/dsn), queued for deliverd as the
//   appliance's own mail: null envelope sender, From MAILER-DAEMON of this
//   host, DKIM-signed for the recipient's domain, owned (sealed) by the
//   recipient's account and not counted as its sending. One report per
//   account, naming the recipients that deliver to it.
//
// SECURITY
//   A report goes to the envelope sender, which on the MX port anyone may
//   claim: it is sent only when SPF passed for that sender (the client is one
//   of the hosts its domain sends from), never for a null sender, and never
//   for mail the content filter filed as junk, so that the appliance does not
//   send reports to forged senders (backscatter). It quotes the message's
//   header section as it came, not its body.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "smtpd/dkim_sign.h"
#include "store/store.h"

namespace appliance::smtpd {

// A local recipient that asked for NOTIFY=SUCCESS.
struct SuccessRequest {
  std::string address;  // as given at RCPT
  std::string orcpt;    // "rfc822;bob@b.test", or empty
  std::shared_ptr<store::TenantStore> tenant;
  store::Id account = 0;  // the account it delivers to (the first, for an alias)
};

struct DeliveredMessage {
  std::string hostname;  // this host: Reporting-MTA, MAILER-DAEMON's domain
  std::string sender;    // the envelope sender, to whom the report goes
  std::string queue_id;
  std::string envid;   // ENVID of MAIL, or empty
  std::string header;  // the message's header section as it came
  std::int64_t arrival = 0;
};

// Blocking (store, keyd): call on a worker, once the message is stored.
// Returns how many reports were queued; failures are logged, not returned:
// the message is delivered whatever becomes of its report.
std::size_t queue_delivered_notices(const std::vector<SuccessRequest>& requests,
                                    const DeliveredMessage& message, DkimSigner* signer);

}  // namespace appliance::smtpd
