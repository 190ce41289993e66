// NAME
//   directory.h - what the mail daemons ask about accounts: who may log in,
//   where mail for an address goes, which senders an account may use.
//
// DESCRIPTION
//   The seam between the protocol daemons (smtpd, imapd, pop3d, webd) and the
//   account service. The daemons hold only these interfaces; the account
//   service implements them over the store and keyd (passwords, app
//   passwords, aliases, catch-alls, the login log, the throttle), and tests
//   may implement them in memory.
//
//   login() is blocking and may cost an Argon2 run (tens of milliseconds):
//   call it from a worker thread, never from an I/O loop. It records the
//   attempt in the login log itself, whatever the outcome.
//
// SECURITY
//   An unknown user, a wrong password, a locked account and a credential not
//   allowed on this protocol all give the client the same answer: `ok` false.
//   `reason` says which it was, for the login log and the operator only; a
//   daemon never sends it to the client. The only other thing a client may
//   learn is `retry_after` (throttled: try again later).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/cidr.h"
#include "auth/tokens.h"
#include "common/result.h"
#include "common/secret.h"
#include "store/store.h"

namespace appliance::auth {

struct LoginAttempt {
  std::string user;  // as the client sent it
  Secret password;   // a password or an app password
  Protocol protocol = Protocol::imap;
  IpAddress source;
  std::string client;  // user agent, IMAP ID, or EHLO name: for the login log
};

struct LoginOutcome {
  bool ok = false;
  std::string address;  // the account's address when ok (lowercase)
  store::Id tenant = 0;
  store::Id account = 0;
  bool second_factor = false;           // web: the password checked out, a TOTP code is due
  std::chrono::seconds retry_after{0};  // > 0: refused by the throttle
  std::string reason;                   // for the log only, never for the client
};

class LoginService {
 public:
  virtual ~LoginService() = default;
  // An error only for a fault of the service (store or keyd down): the
  // daemon then answers "try again later", not "wrong password".
  virtual Result<LoginOutcome> login(const LoginAttempt& attempt) = 0;
};

struct Recipient {
  store::Id tenant = 0;
  store::Id account = 0;
  std::string address;  // the account's own address
};

struct Resolution {
  bool local_domain = false;         // the domain is one of ours
  std::vector<Recipient> recipients;  // empty for a local domain: no such user
};

class Directory {
 public:
  virtual ~Directory() = default;
  // Accounts first, then aliases, then the domain's catch-all. An alias may
  // name several accounts; each appears once.
  virtual Result<Resolution> resolve(std::string_view address) = 0;
  // Whether `account` (an address returned by login()) may use `sender` as
  // its envelope sender: its own address or an alias that leads to it.
  virtual Result<bool> may_send_as(std::string_view account, std::string_view sender) = 0;
};

}  // namespace appliance::auth
