// NAME
//   bounce.h - a DSN for failed recipients, a delay notice for those still
//   being retried, or a relay notice for those handed to a host without
//   DSN, into the sender's INBOX.
//
// DESCRIPTION
//   Only submissions are queued, so the sender is a local account: the
//   entry's own account. The DSN (proto/dsn/dsn.h) quotes the original headers, read
//   from the queued blob (the whole message for a failure when the
//   submission asked RET=FULL, up to kFullReturnLimit), and is appended like
//   any delivered message, sealed under the sender's key. Only the
//   recipients whose NOTIFY asks for that kind of notice are reported
//   (proto/dsn/dsn.h, notify_wants()). No DSN for a null sender.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "dkim/keyd_signer.h"
#include "proto/dsn/dsn.h"
#include "store/store.h"

namespace appliance::deliverd {

// A message larger than this is returned by its headers even with RET=FULL.
inline constexpr std::size_t kFullReturnLimit = 10 * 1024 * 1024;

// `recipients` are those of this kind; the ones whose NOTIFY declines it are
// left out, and nothing is sent when none is left. `retry_until` is the end
// of the lifetime, for a delay notice. With a signer the notice is
// DKIM-signed for the sender's domain (dkim/keyd_signer.h); when keyd fails
// to sign it is stored unsigned (logged): it stays in the INBOX here.
Result<void> deliver_notice(store::TenantStore& tenant, const store::QueueEntry& entry,
                            dsn::Action action,
                            const std::vector<store::QueuedRecipient>& recipients,
                            const std::string& hostname, std::int64_t now,
                            std::int64_t retry_until = 0, dkim::KeydSigner* signer = nullptr);

}  // namespace appliance::deliverd
