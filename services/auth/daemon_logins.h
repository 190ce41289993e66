// NAME
//   daemon_logins.h - the account service as a mail daemon keeps it.
//
// DESCRIPTION
//   smtpd, imapd and pop3d check logins the same way: StoreLoginService
//   over an AccountService whose peppers and MACs are keyd's, with this
//   process's credential cache and throttle, at the password cost of the
//   configuration's [accounts] section. DaemonLogins owns those parts
//   for the daemon's life; service() and directory() (where mail for an
//   address goes: smtpd) are called on worker threads. No
//   password policy applies here (a login changes no password), so no
//   breached-password list is read.
#pragma once

#include <memory>

#include "auth/directory_service.h"
#include "auth/login_service.h"
#include "auth/settings.h"
#include "keyd/client.h"
#include "store/store.h"

namespace appliance::auth {

class DaemonLogins {
 public:
  // `settings`: the [accounts] section, read in the daemon's configuration step.
  DaemonLogins(store::Store& store, keyd::KeydClient& keyd, const AccountSettings& settings);
  LoginService& service() { return logins_; }
  Directory& directory() { return directory_; }

 private:
  KeydSecretKeys keys_;
  SystemClock clock_;
  PasswordPolicy policy_{nullptr};
  CredentialCache cache_{clock_};
  AccountService accounts_;
  Throttle throttle_{clock_};
  StoreLoginService logins_;
  StoreDirectory directory_{accounts_};
};

}  // namespace appliance::auth
