// NAME
//   daemon_logins.cpp - the parts of a mail daemon's login service.
#include "auth/daemon_logins.h"

namespace appliance::auth {

DaemonLogins::DaemonLogins(store::Store& store, keyd::KeydClient& keyd)
    : keys_(keyd), accounts_({store, keys_, clock_, policy_, {}, &cache_}) {}

}  // namespace appliance::auth
