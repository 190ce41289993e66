// NAME
//   account_sql.h - the portable SQL of accounts' security data and the
//   system logs, and how their rows read, shared by both backends.
//
// DESCRIPTION
//   Each backend sends these statements through its own connection type; a
//   row is read through any type with int64(col), text(col), bytes(col) and
//   null(col) (SQLite's Statement, or a PostgreSQL row adapter). Absent
//   times and limits are stored as 0, so no statement needs a NULL parameter.
#pragma once

#include <string_view>

#include "store/accounts.h"

namespace appliance::store::sql {

inline constexpr std::string_view kSecurityByAddress =
    "SELECT id, address, password, state, closed, quota, role, totp_key, totp_seed, totp_step, "
    "contact_email FROM accounts WHERE address = $1";
inline constexpr std::string_view kSecurityById =
    "SELECT id, address, password, state, closed, quota, role, totp_key, totp_seed, totp_step, "
    "contact_email FROM accounts WHERE id = $1";
inline constexpr std::string_view kSetPassword =
    "UPDATE accounts SET password = $2 WHERE id = $1 RETURNING id";
inline constexpr std::string_view kSetState =
    "UPDATE accounts SET state = $2, closed = $3 WHERE id = $1 RETURNING id";
inline constexpr std::string_view kSetQuota =
    "UPDATE accounts SET quota = $2 WHERE id = $1 RETURNING id";
inline constexpr std::string_view kSetRole =
    "UPDATE accounts SET role = $2 WHERE id = $1 RETURNING id";
inline constexpr std::string_view kSetContactEmail =
    "UPDATE accounts SET contact_email = $2 WHERE id = $1 RETURNING id";
inline constexpr std::string_view kPutEmailToken =
    "INSERT INTO email_tokens (account, purpose, address, key, mac, expires, used) "
    "SELECT id, $2, $3, $4, $5, $6, 0 FROM accounts WHERE id = $1 "
    "ON CONFLICT (account, purpose) DO UPDATE SET address = excluded.address, key = excluded.key, "
    "mac = excluded.mac, expires = excluded.expires, used = 0 RETURNING account";
inline constexpr std::string_view kEmailToken =
    "SELECT account, purpose, address, key, mac, expires, used FROM email_tokens "
    "WHERE account = $1 AND purpose = $2";
inline constexpr std::string_view kUseEmailToken =
    "UPDATE email_tokens SET used = 1 WHERE account = $1 AND purpose = $2 AND mac = $3 "
    "AND used = 0 RETURNING account";
inline constexpr std::string_view kSetTotp =
    "UPDATE accounts SET totp_key = $2, totp_seed = $3, totp_step = 0 WHERE id = $1 RETURNING id";
inline constexpr std::string_view kAdvanceStep =
    "UPDATE accounts SET totp_step = $2 WHERE id = $1 AND totp_step < $2 RETURNING id";

inline constexpr std::string_view kDropRecovery = "DELETE FROM recovery_codes WHERE account = $1";
inline constexpr std::string_view kAddRecovery =
    "INSERT INTO recovery_codes (account, slot, key, mac, used) VALUES ($1, $2, $3, $4, 0)";
inline constexpr std::string_view kRecovery =
    "SELECT slot, key, mac, used FROM recovery_codes WHERE account = $1 ORDER BY slot";
inline constexpr std::string_view kUseRecovery =
    "UPDATE recovery_codes SET used = 1 WHERE account = $1 AND slot = $2 AND used = 0 "
    "RETURNING slot";

inline constexpr std::string_view kAddAppPassword =
    "INSERT INTO app_passwords (id, account, name, key, mac, protocols, networks, expires, "
    "created) SELECT $1, id, $3, $4, $5, $6, $7, $8, $9 FROM accounts WHERE id = $2 RETURNING id";
#define APPLIANCE_APP_PASSWORD_COLUMNS \
  "SELECT id, account, name, key, mac, protocols, networks, expires, created, last_used, revoked "
inline constexpr std::string_view kAppPassword =
    APPLIANCE_APP_PASSWORD_COLUMNS "FROM app_passwords WHERE id = $1";
inline constexpr std::string_view kAppPasswords =
    APPLIANCE_APP_PASSWORD_COLUMNS "FROM app_passwords WHERE account = $1 ORDER BY created, id";
#undef APPLIANCE_APP_PASSWORD_COLUMNS
inline constexpr std::string_view kRevokeAppPassword =
    "UPDATE app_passwords SET revoked = $3 WHERE account = $1 AND id = $2 AND revoked = 0 "
    "RETURNING id";
inline constexpr std::string_view kAppPasswordUsed =
    "UPDATE app_passwords SET last_used = $2 WHERE id = $1";

inline constexpr std::string_view kAddAlias =
    "INSERT INTO aliases (address, account) SELECT $1, id FROM accounts WHERE id = $2 "
    "RETURNING account";
inline constexpr std::string_view kRemoveAlias =
    "DELETE FROM aliases WHERE address = $1 RETURNING account";
inline constexpr std::string_view kRemoveAliasOf =
    "DELETE FROM aliases WHERE address = $1 AND account = $2 RETURNING account";
inline constexpr std::string_view kAlias =
    "SELECT a.address, a.account, c.address FROM aliases a JOIN accounts c ON c.id = a.account "
    "WHERE a.address = $1 ORDER BY a.account";
inline constexpr std::string_view kAliases =
    "SELECT a.address, a.account, c.address FROM aliases a JOIN accounts c ON c.id = a.account "
    "ORDER BY a.address, a.account";

inline constexpr std::string_view kSetCatchAll =
    "INSERT INTO catch_alls (domain, account) SELECT $1, id FROM accounts WHERE id = $2 "
    "ON CONFLICT (domain) DO UPDATE SET account = excluded.account RETURNING account";
inline constexpr std::string_view kClearCatchAll =
    "DELETE FROM catch_alls WHERE domain = $1 RETURNING account";
inline constexpr std::string_view kCatchAll =
    "SELECT d.domain, d.account, c.address FROM catch_alls d JOIN accounts c ON c.id = d.account "
    "WHERE d.domain = $1";
inline constexpr std::string_view kCatchAlls =
    "SELECT d.domain, d.account, c.address FROM catch_alls d JOIN accounts c ON c.id = d.account "
    "ORDER BY d.domain";

inline constexpr std::string_view kLogLogin =
    "INSERT INTO login_log (time, tenant, account, protocol, address, agent, result, reason) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
inline constexpr std::string_view kLogins =
    "SELECT id, time, tenant, account, protocol, address, agent, result, reason FROM login_log "
    "WHERE ($1 = '' OR account = $1) ORDER BY time DESC, id DESC LIMIT $2";
// Whether the account signed in before from this address ($2), with this
// client ($3), at all: one statement, run at every successful login.
inline constexpr std::string_view kLoginHistory =
    "SELECT "
    "CASE WHEN EXISTS (SELECT 1 FROM login_log WHERE account = $1 AND result = 'ok' "
    "AND address = $2) THEN 1 ELSE 0 END, "
    "CASE WHEN EXISTS (SELECT 1 FROM login_log WHERE account = $1 AND result = 'ok' "
    "AND agent = $3) THEN 1 ELSE 0 END, "
    "CASE WHEN EXISTS (SELECT 1 FROM login_log WHERE account = $1 AND result = 'ok') "
    "THEN 1 ELSE 0 END";
inline constexpr std::string_view kPurgeLogins =
    "DELETE FROM login_log WHERE time < $1 RETURNING id";

#define APPLIANCE_EVENT_COLUMNS \
  "SELECT seq, time, actor, action, target, details, prev_hash, hash FROM security_events "
inline constexpr std::string_view kLastEvent = APPLIANCE_EVENT_COLUMNS "ORDER BY seq DESC LIMIT 1";
inline constexpr std::string_view kEvents =
    APPLIANCE_EVENT_COLUMNS "WHERE seq > $1 ORDER BY seq LIMIT $2";
#undef APPLIANCE_EVENT_COLUMNS
inline constexpr std::string_view kAddEvent =
    "INSERT INTO security_events (seq, time, actor, action, target, details, prev_hash, hash) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

template <class Row>
AccountSecurity security_row(const Row& r) {
  AccountSecurity s;
  s.id = r.int64(0);
  s.address = r.text(1);
  s.password = r.text(2);
  s.state = parse_state(r.text(3)).ok() ? *parse_state(r.text(3)) : AccountState::locked;
  s.closed = r.int64(4);
  s.quota = static_cast<std::uint64_t>(r.int64(5));
  s.role = parse_role(r.text(6)).ok() ? *parse_role(r.text(6)) : Role::user;
  s.totp_key = r.text(7);
  s.totp_seed = std::string(r.bytes(8));
  s.totp_step = r.int64(9);
  s.contact_email = r.text(10);
  return s;
}

template <class Row>
EmailToken email_token_row(const Row& r) {
  return {r.int64(0), r.text(1),      r.text(2), r.text(3), std::string(r.bytes(4)),
          r.int64(5), r.int64(6) != 0};
}

template <class Row>
RecoveryCode recovery_row(const Row& r) {
  return {static_cast<int>(r.int64(0)), r.text(1), std::string(r.bytes(2)), r.int64(3) != 0};
}

inline std::optional<std::int64_t> unless_zero(std::int64_t v) {
  return v ? std::optional<std::int64_t>(v) : std::nullopt;
}

template <class Row>
AppPassword app_password_row(const Row& r) {
  AppPassword p;
  p.id = r.text(0);
  p.account = r.int64(1);
  p.name = r.text(2);
  p.key = r.text(3);
  p.mac = std::string(r.bytes(4));
  p.protocols = static_cast<unsigned>(r.int64(5));
  p.networks = r.text(6);
  p.expires = unless_zero(r.int64(7));
  p.created = r.int64(8);
  p.last_used = unless_zero(r.int64(9));
  p.revoked = unless_zero(r.int64(10));
  return p;
}

template <class Row>
Alias alias_row(const Row& r) {
  return {r.text(0), r.int64(1), r.text(2)};
}

template <class Row>
CatchAll catch_all_row(const Row& r) {
  return {r.text(0), r.int64(1), r.text(2)};
}

template <class Row>
LoginRecord login_row(const Row& r) {
  return {r.int64(0), r.int64(1), r.int64(2), r.text(3), r.text(4),
          r.text(5),  r.text(6),  r.text(7),  r.text(8)};
}

template <class Row>
EventRow event_row(const Row& r) {
  return {static_cast<std::uint64_t>(r.int64(0)),
          r.int64(1),
          r.text(2),
          r.text(3),
          r.text(4),
          r.text(5),
          std::string(r.bytes(6)),
          std::string(r.bytes(7))};
}

}  // namespace appliance::store::sql
