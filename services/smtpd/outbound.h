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
#include "smtpd/data.h"

namespace appliance::smtpd {

// The queued part, opened for `account` (the authenticated address) with the
// envelope sender `sender`. Blocking: call on a worker.
Result<Delivery::Parts> prepare_outbound(store::Store& store, auth::Directory& directory,
                                         const std::string& account, const std::string& sender);
bool has_outbound(const Delivery::Parts& parts);
// Adds a recipient to the queued part's envelope.
void add_outbound_recipient(Delivery::Parts& parts, const std::string& recipient);

}  // namespace appliance::smtpd
