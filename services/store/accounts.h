// NAME
//   accounts.h - what the store keeps for signing in: per tenant the
//   accounts' credentials, state, role and two-factor data, app passwords,
//   aliases and catch-alls; for the whole appliance the login log and the
//   security events.
//
// DESCRIPTION
//   TenantAccounts is part of every TenantStore; SystemLogs is Store::logs().
//   The store keeps only what it is given: password hashes, MACs and sealed
//   seeds are made by the account service (services/auth) with keys that stay
//   in keyd. Nothing here is a secret in clear.
//
//   A lookup that finds nothing answers an empty optional, not an error: the
//   login path must tell "no such account" (do the same work, then refuse)
//   apart from "the store is down" (try again later).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::store {

using Id = std::int64_t;

enum class AccountState { active, locked, closed };
enum class Role { user, tenant_admin, appliance_admin, auditor };

std::string_view to_string(AccountState state);
std::string_view to_string(Role role);
Result<AccountState> parse_state(std::string_view text);
// "user", "tenant-admin", "appliance-admin", "auditor".
Result<Role> parse_role(std::string_view text);

struct AccountSecurity {
  Id id = 0;
  std::string address;
  std::string password;  // the stored hash text; empty: none set, no password works
  AccountState state = AccountState::active;
  std::int64_t closed = 0;  // Unix seconds, when closed
  std::uint64_t quota = 0;  // bytes; 0: no limit
  Role role = Role::user;
  std::string totp_key;        // the seal key version; empty when 2FA is off
  std::string totp_seed;       // sealed; empty when 2FA is off
  std::int64_t totp_step = 0;  // the last accepted TOTP step
  std::string contact_email;   // confirmed, outside the appliance; empty: none
  bool two_factor() const { return !totp_seed.empty(); }
};

// A code sent by mail (auth/email_tokens.h): only its MAC, bound to the
// account, the purpose and the address it went to.
struct EmailToken {
  Id account = 0;
  std::string purpose;  // "contact" or "reset"
  std::string address;  // where it was sent
  std::string key;      // pepper version
  std::string mac;
  std::int64_t expires = 0;  // Unix seconds
  bool used = false;
};

struct RecoveryCode {
  int slot = 0;
  std::string key;  // pepper version
  std::string mac;
  bool used = false;
};

struct AppPassword {
  std::string id;  // the token id: finds the row, may be shown
  Id account = 0;
  std::string name;  // the owner's label ("phone")
  std::string key;   // pepper version
  std::string mac;
  unsigned protocols = 0;  // auth::Protocol bits
  std::string networks;    // comma-separated CIDRs; empty: from anywhere
  std::optional<std::int64_t> expires;
  std::int64_t created = 0;
  std::optional<std::int64_t> last_used, revoked;
};

// An alias address and one account it leads to (an alias may lead to several).
struct Alias {
  std::string address;
  Id account = 0;
  std::string target;  // that account's address
};

struct CatchAll {
  std::string domain;
  Id account = 0;
  std::string target;
};

class TenantAccounts {
 public:
  virtual ~TenantAccounts() = default;

  virtual Result<std::optional<AccountSecurity>> security(std::string_view address) = 0;
  virtual Result<std::optional<AccountSecurity>> security(Id account) = 0;
  virtual Result<void> set_password(Id account, std::string_view stored) = 0;
  // `when` is kept as the closing time for `closed`, and cleared otherwise.
  virtual Result<void> set_state(Id account, AccountState state, std::int64_t when) = 0;
  virtual Result<void> set_quota(Id account, std::uint64_t bytes) = 0;
  virtual Result<void> set_role(Id account, Role role) = 0;
  // "" removes it.
  virtual Result<void> set_contact_email(Id account, std::string_view address) = 0;

  // Replaces the account's token of the same purpose.
  virtual Result<void> put_email_token(const EmailToken& token) = 0;
  virtual Result<std::optional<EmailToken>> email_token(Id account, std::string_view purpose) = 0;
  // Marks the token with this MAC used; false when it was used already or replaced.
  virtual Result<bool> use_email_token(Id account, std::string_view purpose,
                                       std::string_view mac) = 0;

  // An empty `sealed` turns 2FA off and drops the recovery codes.
  virtual Result<void> set_totp(Id account, std::string_view key, std::string_view sealed) = 0;
  // Moves the last accepted step forward; false when `step` is not after it (a replay).
  virtual Result<bool> advance_totp_step(Id account, std::int64_t step) = 0;
  // Replaces every code of the account.
  virtual Result<void> set_recovery_codes(Id account, const std::vector<RecoveryCode>& codes) = 0;
  virtual Result<std::vector<RecoveryCode>> recovery_codes(Id account) = 0;
  // False when the code was used already.
  virtual Result<bool> use_recovery_code(Id account, int slot) = 0;

  virtual Result<void> add_app_password(const AppPassword& password) = 0;
  virtual Result<std::optional<AppPassword>> app_password(std::string_view id) = 0;
  virtual Result<std::vector<AppPassword>> app_passwords(Id account) = 0;
  // False when the account has no such app password that is not revoked yet.
  virtual Result<bool> revoke_app_password(Id account, std::string_view id, std::int64_t when) = 0;
  virtual Result<void> app_password_used(std::string_view id, std::int64_t when) = 0;

  virtual Result<void> add_alias(std::string_view address, Id account) = 0;
  // Removes the alias (only its link to `account`, when given); how many links went.
  virtual Result<std::uint64_t> remove_alias(std::string_view address,
                                             std::optional<Id> account) = 0;
  virtual Result<std::vector<Alias>> alias(std::string_view address) = 0;
  virtual Result<std::vector<Alias>> aliases() = 0;

  virtual Result<void> set_catch_all(std::string_view domain, Id account) = 0;
  virtual Result<bool> clear_catch_all(std::string_view domain) = 0;
  virtual Result<std::optional<CatchAll>> catch_all(std::string_view domain) = 0;
  virtual Result<std::vector<CatchAll>> catch_alls() = 0;
};

struct LoginRecord {
  Id id = 0;
  std::int64_t time = 0;
  Id tenant = 0;         // 0: no account matched
  std::string account;   // the account's address, or the name the client gave
  std::string protocol;  // imap, pop3, smtp, api, web
  std::string source;    // the client's address
  std::string client;    // user agent, IMAP ID, EHLO name
  std::string result;    // ok, failed, throttled
  std::string reason;    // for the operator: which rule refused
};

// Whether an account signed in successfully before from this source, with
// this client, and at all.
struct LoginHistory {
  bool source = false;
  bool client = false;
  bool any = false;
};

// A security event as stored; the hashes are made by auth/event_chain.h.
struct EventRow {
  std::uint64_t seq = 0;
  std::int64_t time = 0;
  std::string actor, action, target, details;
  std::string prev_hash, hash;
};

class SystemLogs {
 public:
  virtual ~SystemLogs() = default;

  virtual Result<void> log_login(const LoginRecord& record) = 0;
  // Newest first; `account` empty: every account's.
  virtual Result<std::vector<LoginRecord>> logins(std::string_view account, std::size_t limit) = 0;
  virtual Result<LoginHistory> history(std::string_view account, std::string_view source,
                                       std::string_view client) = 0;
  // Deletes the entries older than `before` (Unix seconds); how many went.
  virtual Result<std::uint64_t> purge_logins(std::int64_t before) = 0;

  // `make` is called with the last event (none: the chain is empty) while
  // appends are held off, and returns the next one to store.
  using MakeEvent = std::function<Result<EventRow>(const std::optional<EventRow>& last)>;
  virtual Result<EventRow> append_event(const MakeEvent& make) = 0;
  // Oldest first, those with seq > after.
  virtual Result<std::vector<EventRow>> events(std::uint64_t after, std::size_t limit) = 0;
};

}  // namespace appliance::store
