// NAME
//   notice.h - the mail that tells an account of a sign-in from a new place.
//
// DESCRIPTION
//   When an account that signed in before signs in from a source address or
//   with a client it never used, the login service puts a notice into the
//   account's INBOX: when, over which protocol, from where, with which
//   client, and what to do if it was not the owner. The first sign-in of an
//   account sends none (there is nothing to compare with); `[accounts]
//   sign_in_notices = no` sends none at all.
//
// SECURITY
//   The notice never contains a link and never asks for a password: a
//   phishing mail that imitates it then stands out. The client's name is the
//   client's own words (IMAP ID, user agent), so it is reduced to letters,
//   digits and a few marks: no URL, no address and no line break can be
//   smuggled in through it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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

}  // namespace appliance::auth
