// NAME
//   account_mail.h - mail the appliance writes for an account: into its
//   INBOX, or out through the outbound queue to its contact address.
//
// DESCRIPTION
//   to_inbox() appends a message as a delivered one (store/inbox.h).
//   to_outside() queues it for deliverd like a submission of the account:
//   sealed under the account's key, the account's address as the envelope
//   sender, so a contact address that bounces comes back to the INBOX as a
//   DSN; DKIM-signed for the account's domain when a signer is given, as
//   smtpd signs a submission (dkim/keyd_signer.h: a key that fails to sign
//   fails the call, nothing is queued unsigned). message_id() makes a unique
//   id in the account's domain.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/account_service.h"

namespace appliance::auth {

std::string message_id(std::string_view kind, const Located& where, std::int64_t now);
Result<void> to_inbox(const Located& where, std::string_view message, std::int64_t now);
Result<void> to_outside(const Located& where, const std::string& recipient,
                        std::string_view message, std::int64_t now, dkim::KeydSigner* signer);

}  // namespace appliance::auth
