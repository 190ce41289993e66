// NAME
//   account_service.h - changes to accounts' sign-in data: passwords, app
//   passwords, state, aliases and catch-alls, each recorded as a security
//   event.
//
// DESCRIPTION
//   AccountService joins the store (who exists, what is stored), keyd through
//   SecretKeys (the peppers), the password policy and the security log.
//   appliancectl uses it for administration; the login service and the
//   directory (login_service.h, directory_service.h) use locate() to find
//   an address's tenant and account.
//
//   Addresses are compared in lower case. An alias or catch-all leads only to
//   accounts of the tenant that owns its domain.
//
// SECURITY
//   A new password is checked by the policy before it is hashed; neither it
//   nor an app password's text is stored or logged. Every change drops the
//   account's entries in this process's credential cache; other processes
//   notice on their next login, which compares what it cached with the
//   stored row.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/clock.h"
#include "auth/credential_cache.h"
#include "auth/password.h"
#include "auth/policy.h"
#include "auth/secret_keys.h"
#include "auth/security_log.h"
#include "auth/tokens.h"
#include "dkim/keyd_signer.h"
#include "store/store.h"

namespace appliance::auth {

struct AccountParts {
  store::Store& store;
  SecretKeys& keys;
  const Clock& clock;
  const PasswordPolicy& policy;
  Argon2Params argon2 = {};
  CredentialCache* cache = nullptr;  // this process's, if it keeps one
  dkim::KeydSigner* dkim = nullptr;  // signs mail to contact addresses; none: unsigned
};

// Where an address lives: its domain's tenant, and the account if there is one.
struct Located {
  store::Domain domain;
  std::shared_ptr<store::TenantStore> tenant;
  std::optional<store::AccountSecurity> account;
};

// Where a change came from, for the notices: the client's address and user
// agent; an empty source is appliancectl.
struct Origin {
  std::string source;
  std::string client;
};

struct NewAppPassword {
  Secret text;  // shown once
  store::AppPassword stored;
};

std::string lower(std::string_view text);

class AccountService {
 public:
  explicit AccountService(const AccountParts& parts);

  // Empty when the address is not in one of our domains; an error only when the store fails.
  Result<std::optional<Located>> find(std::string_view address);
  // An error when the domain is not one of ours or the store fails; no
  // account is not an error (Located::account is empty).
  Result<Located> locate(std::string_view address);
  // The account, or an error naming the address.
  Result<Located> existing(std::string_view address);

  // action: the security event, "password.change" or "password.reset".
  Result<void> set_password(std::string_view address, const Secret& password,
                            std::string_view actor, std::string_view action = "password.change");
  // Tells the account that its password changed: a notice into its INBOX and
  // to its contact address. Best effort: a failure is logged.
  void notify_password_change(std::string_view address, const Origin& origin, bool reset);
  // The address as a contact address may be (lower case), or why not: a
  // mailbox outside the appliance's domains.
  Result<std::string> check_contact_email(std::string_view contact);
  // "" removes it. Event email.change; a notice into the account's INBOX.
  Result<void> set_contact_email(std::string_view address, std::string_view contact,
                                 std::string_view actor, const Origin& origin = {});
  // Stores a fresh hash of a password just verified against an older cost or pepper.
  Result<void> rehash(const Located& where, const Secret& password);
  Result<NewAppPassword> add_app_password(std::string_view address, std::string_view name,
                                          const Scope& scope, std::string_view actor);
  Result<std::vector<store::AppPassword>> app_passwords(std::string_view address);
  Result<void> revoke_app_password(std::string_view address, std::string_view id,
                                   std::string_view actor);
  Result<void> set_state(std::string_view address, store::AccountState state,
                         std::string_view actor);
  Result<void> set_role(std::string_view address, store::Role role, std::string_view actor);
  // 0: no limit.
  Result<void> set_quota(std::string_view address, std::uint64_t bytes, std::string_view actor);

  // Destroys (crypto-shredding) every account closed at least `days` days ago;
  // the addresses destroyed.
  Result<std::vector<std::string>> purge_closed(int days, std::string_view actor);

  Result<void> add_alias(std::string_view alias, std::string_view account, std::string_view actor);
  // account empty: every account the alias leads to.
  Result<void> remove_alias(std::string_view alias, std::string_view account,
                            std::string_view actor);
  Result<void> set_catch_all(std::string_view domain, std::string_view account,
                             std::string_view actor);
  Result<void> clear_catch_all(std::string_view domain, std::string_view actor);

  SecurityLog& events() { return events_; }
  PasswordHasher& hasher() { return hasher_; }
  const AccountParts& parts() const { return parts_; }

 private:
  void forget(const std::string& address);
  Result<void> note(std::string_view actor, std::string action, std::string target,
                    std::string details = "{}");

  AccountParts parts_;
  PasswordHasher hasher_;
  SecurityLog events_;
};

}  // namespace appliance::auth
