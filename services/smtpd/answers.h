// NAME
//   answers.h - smtpd's answers to the session's questions: may this sender
//   be used, where does this recipient's mail go, are these credentials good.
//
// DESCRIPTION
//   Each is a blocking call into the account service (a store read, an Argon2
//   run), made on a worker thread; the result is a smtp::Verdict for the
//   session. One file per command, as in proto/smtp: mail.cpp, rcpt.cpp,
//   auth.cpp. A fault of the service is a 4xx ("try again later"), never a
//   refusal the client would take as final.
#pragma once

#include <string>
#include <vector>

#include "auth/directory.h"
#include "proto/smtp/session.h"
#include "store/store.h"

namespace appliance::smtpd {

// MAIL FROM: any sender on MX (SPF comes later); on submission the
// authenticated account must own it (auth::Directory::may_send_as).
smtp::Verdict check_sender(auth::Directory& directory, smtp::Mode mode,
                           const smtp::event::CheckSender& question);

struct RecipientAnswer {
  smtp::Verdict verdict;
  std::vector<auth::Recipient> accounts;  // when accepted: where the mail goes
  bool remote = false;  // accepted for another domain: the message is queued (outbound.h)
};

// The address to look up: "<postmaster>" (RFC 5321 4.5.1) is completed with
// our `domain`.
std::string recipient_address(const smtp::Mailbox& recipient, const std::string& domain);

// 451 4.3.0: the recipient cannot be looked up (or its store opened) now.
smtp::Verdict recipient_unavailable();

// RCPT TO: accounts, aliases and catch-alls of our domains. Other domains:
// relay denied on MX; on submission accepted as `remote`, for the queue.
RecipientAnswer check_recipient(auth::Directory& directory, smtp::Mode mode,
                                const std::string& address);

// The accounts of an accepted recipient that have used all of their quota
// are left out; when none is left: 552 5.2.2 (RFC 3463 "mailbox full").
RecipientAnswer within_quota(store::Store& store, RecipientAnswer answer);

struct LoginContext {
  std::string address;  // the client's IP address
  std::string helo;     // its EHLO name, for the login log
};

// AUTH: the account service checks the password or app password and records
// the attempt. Accepted: the verdict's detail is the account's address.
smtp::Verdict authenticate(auth::LoginService& logins, const smtp::Credentials& credentials,
                           const LoginContext& context);

}  // namespace appliance::smtpd
