// NAME
//   login_service.h - auth::LoginService over the store and keyd: passwords,
//   app passwords, two-factor rules, the throttle, the credential cache, the
//   login log and new-place events.
//
// DESCRIPTION
//   A presented secret that reads as an app password (apw_<id>_<secret>) is
//   checked on the HMAC path: its row is found by id, must belong to the
//   account, must not be revoked, and its scope must allow the protocol, the
//   source address and the time. Anything else is a password, checked on the
//   Argon2 path. An account with two-factor authentication on accepts only
//   app passwords here: a protocol login cannot carry a second factor. The
//   web (Protocol::web) is the exception: it takes passwords only, and with
//   two-factor on a right password answers ok with second_factor set; the
//   web session then asks for a code (two_factor.h).
//
//   Every attempt is written to the login log (protocol, source, client,
//   result and reason). A successful login from a source or with a client
//   the account has not signed in from before records a `login.new_place`
//   security event (from which the owner's notice is sent).
//
// SECURITY
//   An unknown user, an account without a password, a wrong password, a
//   locked or closed account, a credential refused by scope or by the
//   two-factor rule: each does the same keyd and Argon2 work as a right one
//   and gives the same outcome; only `reason` (the log's) differs. A cache
//   hit skips only the hashing: the account's row is read each time, and an
//   entry no longer matching the stored password or app password is ignored,
//   so a change made by another process takes effect at once.
#pragma once

#include "auth/account_service.h"
#include "auth/notice.h"
#include "auth/credential_cache.h"
#include "auth/directory.h"
#include "auth/throttle.h"

namespace appliance::auth {

class StoreLoginService final : public LoginService {
 public:
  // `accounts` and `throttle` outlive the service; the cache is accounts.parts().cache.
  // With `sign_in_notices`, a sign-in from a new place puts a notice into the
  // account's INBOX (auth/notice.h).
  StoreLoginService(AccountService& accounts, Throttle& throttle, bool sign_in_notices = true)
      : accounts_(accounts), throttle_(throttle), notices_(sign_in_notices) {}

  Result<LoginOutcome> login(const LoginAttempt& attempt) override;

 private:
  struct Check {
    bool ok = false;
    std::string reason;
    std::string app_password;  // the id, when one was used
    bool second_factor = false;
  };
  Result<Check> check(const LoginAttempt& attempt, const std::string& user,
                      const std::optional<Located>& where);
  Result<Check> check_password(const LoginAttempt& attempt, const std::string& user,
                               const Located* where);
  Result<Check> check_app_password(const LoginAttempt& attempt, const Token& token,
                                   const std::string& user, const Located* where);
  void remember(const std::string& user, const Secret& credential, std::string note,
                std::uint64_t generation);
  Result<void> log(const LoginAttempt& attempt, const std::string& user,
                   const LoginOutcome& outcome, std::string_view result);
  void note_new_place(const LoginAttempt& attempt, const Located& where);
  void send_notice(const SignInFacts& facts, const Located& where);

  AccountService& accounts_;
  Throttle& throttle_;
  bool notices_;
};

}  // namespace appliance::auth
