// NAME
//   bounce.h - a DSN for failed recipients, or a delay notice for those
//   still being retried, into the sender's INBOX.
//
// DESCRIPTION
//   Only submissions are queued, so the sender is a local account: the
//   entry's own account. The DSN (dsn.h) quotes the original headers, read
//   from the queued blob, and is appended like any delivered message, sealed
//   under the sender's key. No DSN for a null sender.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/store.h"

namespace appliance::deliverd {

Result<void> deliver_bounce(store::TenantStore& tenant, const store::QueueEntry& entry,
                            const std::vector<store::QueuedRecipient>& bounced,
                            const std::string& hostname, std::int64_t now);
// Action: delayed for `pending`, which are tried until `retry_until`.
Result<void> deliver_delay_notice(store::TenantStore& tenant, const store::QueueEntry& entry,
                                  const std::vector<store::QueuedRecipient>& pending,
                                  const std::string& hostname, std::int64_t now,
                                  std::int64_t retry_until);

}  // namespace appliance::deliverd
