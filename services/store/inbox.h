// NAME
//   inbox.h - a message the appliance itself puts into an account's INBOX.
//
// DESCRIPTION
//   find_inbox() finds the account's INBOX among its mailboxes,
//   find_mailbox() another (smtpd files spam into Junk).
//   append_to_inbox() stores a whole message there as a delivered message:
//   a blob sealed under the account's key, the MIME summary IMAP reads
//   (proto/mime; a message that does not parse is stored without one, with
//   a warning in the log), durable on return. For the mail the appliance
//   writes itself: deliverd's bounces, the sign-in notice, `appliancectl
//   mail import`. smtpd streams its messages into blobs and only needs
//   find_inbox().
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "store/store.h"

namespace appliance::store {

Result<Mailbox> find_inbox(TenantStore& tenant, Id account);
// The account's mailbox of that name; made first when missing and `create`
// (two deliveries making it at once both find the one made).
Result<Mailbox> find_mailbox(TenantStore& tenant, Id account, std::string_view name, bool create);

Result<Message> append_to_inbox(TenantStore& tenant, Id account, std::string_view message,
                                std::int64_t internal_date);

}  // namespace appliance::store
