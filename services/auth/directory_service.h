// NAME
//   directory_service.h - auth::Directory over the store: where mail for an
//   address goes, and which senders an account may use.
//
// DESCRIPTION
//   resolve() looks for, in order: an account with the address, an alias
//   with it, the same two for the address without its "+tag" (alice+lists@
//   reaches alice@), then the domain's catch-all. A closed account receives
//   nothing (its address is unknown); a locked one still receives mail.
//
//   may_send_as() allows an account its own address and every alias that
//   leads to it; a catch-all gives no right to send.
#pragma once

#include "auth/account_service.h"
#include "auth/directory.h"

namespace appliance::auth {

class StoreDirectory final : public Directory {
 public:
  explicit StoreDirectory(AccountService& accounts) : accounts_(accounts) {}

  Result<Resolution> resolve(std::string_view address) override;
  Result<bool> may_send_as(std::string_view account, std::string_view sender) override;

 private:
  // Accounts and aliases with exactly this address; `account`: its account, as read.
  Result<std::vector<Recipient>> exact(const Located& where, const std::string& address,
                                       const std::optional<store::AccountSecurity>& account);

  AccountService& accounts_;
};

}  // namespace appliance::auth
