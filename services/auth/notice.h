// NAME
//   notice.h - the mail the appliance writes to an account: a sign-in from a
//   new place, a changed password or contact address, and the codes that
//   confirm a contact address or reset a password.
//
// DESCRIPTION
//   When an account that signed in before signs in from a source address or
//   with a client it never used, the login service puts a notice into the
//   account's INBOX: when, over which protocol, from where, with which
//   client, and what to do if it was not the owner. The first sign-in of an
//   account sends none (there is nothing to compare with); `[accounts]
//   sign_in_notices = no` sends none at all.
//
//   password_changed_notice() and contact_changed_notice() say what changed,
//   when and from where; email_code_mail() carries a code (email_tokens.h)
//   and says what it is for, until when it works, and what to do if the
//   owner did not ask for it.
//
// SECURITY
//   The notice never contains a link and never asks for a password: a
//   phishing mail that imitates it then stands out; none of them does. A
//   code mail holds the code and plain words, nothing else. The client's name is the
//   client's own words (IMAP ID, user agent), so it is reduced to letters,
//   digits and a few marks: no URL, no address and no line break can be
//   smuggled in through it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/email_tokens.h"

namespace appliance::auth {

struct SignInFacts {
  std::string address;   // the account
  std::int64_t time = 0;  // Unix seconds
  std::string protocol;  // imap, pop3, smtp, web
  std::string source;    // the client's address
  std::string client;    // as the client named itself
  bool new_source = false, new_client = false;
};

// The client's name as a notice may show it.
std::string defanged_client(std::string_view client);

// The whole message, CRLF line ends, ready to store.
std::string sign_in_notice(const SignInFacts& facts, std::string_view message_id);

// Who made a change, as webd saw it.
struct ChangeFacts {
  std::string address;    // the account
  std::int64_t time = 0;  // Unix seconds
  std::string source;     // the client's address; empty: appliancectl
  std::string client;     // user agent
};

// To the INBOX and the contact address; `reset`: through a code sent by mail.
std::string password_changed_notice(const ChangeFacts& facts, bool reset, std::string_view to,
                                    std::string_view message_id);
// To the INBOX; `contact` empty: the contact address was removed.
std::string contact_changed_notice(const ChangeFacts& facts, std::string_view contact,
                                   std::string_view message_id);
// To `to` (the new contact address, or the confirmed one for a reset).
std::string email_code_mail(EmailPurpose purpose, std::string_view account, std::string_view to,
                            const Secret& code, std::int64_t time, std::int64_t expires,
                            std::string_view message_id);

}  // namespace appliance::auth
