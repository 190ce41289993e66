// NAME
//   logins.h - the account service as imapd opens it: LoginService over the
//   store and keyd (passwords, app passwords, the throttle, the login log).
#pragma once

#include <memory>

#include "auth/directory.h"
#include "keyd/client.h"
#include "store/store.h"

namespace appliance::imapd {

class Logins {
 public:
  virtual ~Logins() = default;
  // Called on worker threads.
  virtual auth::LoginService& service() = 0;
};

Result<std::unique_ptr<Logins>> open_logins(store::Store& store, keyd::KeydClient& keyd);

}  // namespace appliance::imapd
