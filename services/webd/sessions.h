// NAME
//   sessions.h - signed-in web sessions: opened at sign-in, found by the
//   cookie, renewed, expired, closed.
//
// DESCRIPTION
//   A session id is 256 random bits, written base64url (43 characters), and
//   sent only in the cookie `__Host-session` (Secure, HttpOnly,
//   SameSite=Strict, Path=/, no Domain). The store keeps only its HMAC
//   under `secret/api-pepper`, with the account, the times, the client's
//   address and user agent, and the CSRF token of the session.
//
//   A session opened by a password whose account has two-factor on is not
//   full: it may only send the second factor, and lives 5 minutes. A full
//   session ends 30 minutes after its last request (idle) and 12 hours
//   after sign-in (absolute), whichever is first. renew() gives the same
//   session a new id and CSRF token (after the second factor), so an id
//   known before a privilege change is worthless after it.
//
// SECURITY
//   The cookie value is untrusted: session_cookie() accepts only the exact
//   shape of an id. A stolen database holds no usable session id.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "auth/clock.h"
#include "auth/directory.h"
#include "auth/secret_keys.h"
#include "store/web.h"

namespace appliance::webd {

struct SessionRules {
  std::chrono::seconds partial{5 * 60};
  std::chrono::seconds idle{30 * 60};
  std::chrono::seconds absolute{12 * 60 * 60};
  std::chrono::seconds sudo{10 * 60};
  std::chrono::seconds touch_every{60};  // last_seen is written at most this often
};

struct OpenedSession {
  std::string id;  // for the cookie only
  store::WebSession row;
};

class Sessions {
 public:
  Sessions(store::WebStore& web, auth::SecretKeys& keys, const auth::Clock& clock,
           SessionRules rules = {})
      : web_(web), keys_(keys), clock_(clock), rules_(rules) {}

  Result<OpenedSession> open(const auth::LoginOutcome& login, std::string source,
                             std::string agent);
  // The live session the id names; nothing when unknown or expired.
  Result<std::optional<store::WebSession>> find(std::string_view id);
  // The same session under a new id and CSRF token, full from now on.
  Result<OpenedSession> renew(const store::WebSession& row);
  Result<void> save(const store::WebSession& row) { return web_.update_session(row); }
  Result<void> close(const store::WebSession& row);
  bool in_sudo(const store::WebSession& row) const;
  void start_sudo(store::WebSession& row) const;
  const SessionRules& rules() const { return rules_; }

 private:
  Result<OpenedSession> add(store::WebSession row);
  std::int64_t expiry(const store::WebSession& row) const;

  store::WebStore& web_;
  auth::SecretKeys& keys_;
  const auth::Clock& clock_;
  SessionRules rules_;
};

// The session id in a Cookie header, or empty.
std::string session_cookie(std::string_view cookie_header);
std::string set_session_cookie(std::string_view id);
std::string clear_session_cookie();

}  // namespace appliance::webd
