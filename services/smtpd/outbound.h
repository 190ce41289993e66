// NAME
//   outbound.h - submitted mail for other domains: the copy for the queue.
//
// DESCRIPTION
//   On submission a recipient outside our domains is accepted, and the
//   message gets one more Delivery part: a blob sealed under the sending
//   account's key, with the envelope of the remote recipients. At the end of
//   the body it is enqueued (store/queue.h) beside the appends of the local
//   copies, each a durable job of the group commit, and "250" waits for all of
//   them. deliverd takes it from there (docs/delivery.md).
#pragma once

#include <string>

#include "auth/directory.h"
#include "proto/smtp/command.h"
#include "smtpd/data.h"

namespace appliance::smtpd {

// The queued part, opened for `account` (the authenticated address) with the
// envelope sender `sender`, with the account's sending state (sending.h):
// queued on hold in a burst, the first held message of a burst recorded as
// the security event `sending.burst_hold`. Blocking: call on a worker.
Result<Delivery::Parts> prepare_outbound(store::Store& store, auth::Directory& directory,
                                         const std::string& account, const std::string& sender,
                                         const SendingLimits& limits, std::int64_t now);
// The refusal of one more remote recipient under the sending limits, the
// queued part being in `prepared` or, for the first remote recipient, in `fresh`.
std::optional<smtp::Reply> sending_refusal(const Delivery::Parts& prepared,
                                           const Delivery::Parts& fresh,
                                           const SendingLimits& limits);
bool has_outbound(const Delivery::Parts& parts);
// Adds a recipient to the queued part's envelope, with the DSN options of
// the transaction (RFC 3461: RET and ENVID of MAIL, NOTIFY and ORCPT of RCPT).
void add_outbound_recipient(Delivery::Parts& parts, const std::string& recipient,
                            const smtp::MailParams& mail, const smtp::RcptParams& rcpt);

}  // namespace appliance::smtpd
