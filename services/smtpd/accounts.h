// NAME
//   accounts.h - the account service as smtpd opens it.
//
// DESCRIPTION
//   open_accounts() gives the Directory (where mail for an address goes,
//   which senders an account may use) and the LoginService (AUTH) over the
//   store and keyd. Both are called on worker threads.
#pragma once

#include <memory>

#include "auth/directory.h"
#include "keyd/client.h"
#include "store/store.h"

namespace appliance::smtpd {

class Accounts {
 public:
  virtual ~Accounts() = default;
  virtual auth::Directory& directory() = 0;
  virtual auth::LoginService& logins() = 0;
};

Result<std::unique_ptr<Accounts>> open_accounts(store::Store& store, keyd::KeydClient& keyd);

}  // namespace appliance::smtpd
