// NAME
//   web_accounts.h - the account service as webd keeps it: logins, two
//   factors, API keys and sessions, over the store and keyd.
//
// DESCRIPTION
//   One of each for the daemon's life, like auth/daemon_logins.h for the
//   mail daemons, plus what only the web does: the password policy (with
//   the breached-password list installed beside the programs, when it
//   opens), TOTP enrolment, API keys and sessions. parts() is what the API
//   handlers get; it is used on worker threads.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "auth/api_keys.h"
#include "auth/email_confirm.h"
#include "auth/login_service.h"
#include "auth/policy.h"
#include "auth/two_factor.h"
#include "keyd/client.h"
#include "store/store.h"
#include "webd/api.h"

namespace appliance::webd {

class WebAccounts {
 public:
  // issuer: the name authenticator apps show beside the account.
  WebAccounts(store::Store& store, keyd::KeydClient& keyd, std::string issuer,
              std::optional<auth::BreachedList> breached);
  WebParts& parts() { return parts_; }

 private:
  auth::KeydSecretKeys keys_;
  auth::SystemClock clock_;
  std::optional<auth::BreachedList> breached_;
  auth::PasswordPolicy policy_;
  auth::CredentialCache cache_{clock_};
  dkim::KeydKeys dkim_keys_;
  dkim::KeydSigner dkim_;  // signs the mail sent to contact addresses
  auth::AccountService accounts_;
  auth::Throttle throttle_{clock_};
  auth::StoreLoginService logins_{accounts_, throttle_};
  auth::TwoFactor two_factor_;
  auth::ApiKeys api_keys_{accounts_};
  auth::EmailConfirmations confirmations_{accounts_, throttle_, two_factor_};
  Sessions sessions_;
  WebParts parts_;
};

// The breached-password list beside the programs (bin/../share/appliance).
std::string breached_list_path();

}  // namespace appliance::webd
