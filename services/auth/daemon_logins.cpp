// NAME
//   daemon_logins.cpp - the parts of a mail daemon's login service.
#include "auth/daemon_logins.h"

namespace appliance::auth {

DaemonLogins::DaemonLogins(store::Store& store, keyd::KeydClient& keyd,
                           const AccountSettings& settings)
    : keys_(keyd),
      accounts_({store, keys_, clock_, policy_, settings.argon2, &cache_}),
      logins_(accounts_, throttle_, settings.sign_in_notices) {}

}  // namespace appliance::auth
