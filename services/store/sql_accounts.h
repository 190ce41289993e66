// NAME
//   sql_accounts.h - TenantAccounts and SystemLogs written once over the
//   portable SQL of account_sql.h, for both backends.
//
// DESCRIPTION
//   A backend supplies, for its connection type Db (found by argument-
//   dependent lookup in its namespace):
//     for_rows(db, f, sql, args...)  runs a statement, calls f(row) for each
//                                    row, answers how many there were;
//     transaction(db, fn)            BEGIN ... COMMIT around fn;
//     lock_events(db)                holds off other writers of the event chain
//                                    until the transaction ends.
//   A tenant class derives from SqlTenantAccounts<itself, Db, Bytes> and
//   offers look(fn) (a read connection) and change(fn) (one durable write job).
#pragma once

#include <fmt/format.h>

#include <memory>
#include <mutex>

#include "store/account_sql.h"
#include "store/store.h"

namespace appliance::store {

template <class Self, class Db, class Bytes>
class SqlTenantAccounts : public TenantStore {
 public:
  Result<std::optional<AccountSecurity>> security(std::string_view address) override {
    return select_one<AccountSecurity>(sql::kSecurityByAddress, address);
  }
  Result<std::optional<AccountSecurity>> security(Id account) override {
    return select_one<AccountSecurity>(sql::kSecurityById, account);
  }
  Result<void> set_password(Id account, std::string_view stored) override {
    return update_account(account, sql::kSetPassword, account, stored);
  }
  Result<void> set_state(Id account, AccountState state, std::int64_t when) override {
    std::int64_t closed = state == AccountState::closed ? when : 0;
    return update_account(account, sql::kSetState, account, to_string(state), closed);
  }
  Result<void> set_quota(Id account, std::uint64_t bytes) override {
    return update_account(account, sql::kSetQuota, account, bytes);
  }
  Result<void> set_role(Id account, Role role) override {
    return update_account(account, sql::kSetRole, account, to_string(role));
  }

  Result<void> set_contact_email(Id account, std::string_view address) override {
    return update_account(account, sql::kSetContactEmail, account, address);
  }
  Result<void> put_email_token(const EmailToken& t) override {
    return update_account(t.account, sql::kPutEmailToken, t.account, t.purpose, t.address, t.key,
                          Bytes{t.mac}, t.expires);
  }
  Result<std::optional<EmailToken>> email_token(Id account, std::string_view purpose) override {
    return select_one<EmailToken>(sql::kEmailToken, account, purpose);
  }
  Result<bool> use_email_token(Id account, std::string_view purpose,
                               std::string_view mac) override {
    return any_changed(sql::kUseEmailToken, account, purpose, Bytes{mac});
  }

  Result<void> set_totp(Id account, std::string_view key, std::string_view sealed) override {
    return must_change(account, [&](Db& db) -> Result<std::uint64_t> {
      if (sealed.empty())
        if (auto r = for_rows(db, none, sql::kDropRecovery, account); !r) return r;
      return for_rows(db, none, sql::kSetTotp, account, key, Bytes{sealed});
    });
  }
  Result<bool> advance_totp_step(Id account, std::int64_t step) override {
    return any_changed(sql::kAdvanceStep, account, step);
  }
  Result<void> set_recovery_codes(Id account, const std::vector<RecoveryCode>& codes) override {
    return must_change(account, [&](Db& db) -> Result<std::uint64_t> {
      auto exists = for_rows(db, none, sql::kSecurityById, account);
      if (!exists || !*exists) return exists;
      if (auto r = for_rows(db, none, sql::kDropRecovery, account); !r) return r;
      for (const RecoveryCode& c : codes)
        if (auto r = for_rows(db, none, sql::kAddRecovery, account, c.slot, c.key, Bytes{c.mac});
            !r)
          return r;
      return exists;
    });
  }
  Result<std::vector<RecoveryCode>> recovery_codes(Id account) override {
    return select_all<RecoveryCode>(sql::kRecovery, account);
  }
  Result<bool> use_recovery_code(Id account, int slot) override {
    return any_changed(sql::kUseRecovery, account, slot);
  }

  Result<void> add_app_password(const AppPassword& p) override {
    return update_account(p.account, sql::kAddAppPassword, p.id, p.account, p.name, p.key,
                          Bytes{p.mac}, p.protocols, p.networks, p.expires.value_or(0), p.created);
  }
  Result<std::optional<AppPassword>> app_password(std::string_view id) override {
    return select_one<AppPassword>(sql::kAppPassword, id);
  }
  Result<std::vector<AppPassword>> app_passwords(Id account) override {
    return select_all<AppPassword>(sql::kAppPasswords, account);
  }
  Result<bool> revoke_app_password(Id account, std::string_view id, std::int64_t when) override {
    return any_changed(sql::kRevokeAppPassword, account, id, when);
  }
  Result<void> app_password_used(std::string_view id, std::int64_t when) override {
    auto r = any_changed(sql::kAppPasswordUsed, id, when);
    if (!r) return r.error();
    return {};
  }

  Result<void> add_alias(std::string_view address, Id account) override {
    return update_account(account, sql::kAddAlias, address, account);
  }
  Result<std::uint64_t> remove_alias(std::string_view address, std::optional<Id> account) override {
    return count_changes([&](Db& db) {
      return account ? for_rows(db, none, sql::kRemoveAliasOf, address, *account)
                     : for_rows(db, none, sql::kRemoveAlias, address);
    });
  }
  Result<std::vector<Alias>> alias(std::string_view address) override {
    return select_all<Alias>(sql::kAlias, address);
  }
  Result<std::vector<Alias>> aliases() override { return select_all<Alias>(sql::kAliases); }

  Result<void> set_catch_all(std::string_view domain, Id account) override {
    return update_account(account, sql::kSetCatchAll, domain, account);
  }
  Result<bool> clear_catch_all(std::string_view domain) override {
    return any_changed(sql::kClearCatchAll, domain);
  }
  Result<std::optional<CatchAll>> catch_all(std::string_view domain) override {
    return select_one<CatchAll>(sql::kCatchAll, domain);
  }
  Result<std::vector<CatchAll>> catch_alls() override {
    return select_all<CatchAll>(sql::kCatchAlls);
  }

 private:
  static constexpr auto none = [](const auto&) {};

  Self& self() { return static_cast<Self&>(*this); }

  template <class T, class... A>
  Result<std::vector<T>> select_all(std::string_view statement, const A&... args) {
    std::vector<T> out;
    auto r = self().look([&](Db& db) -> Result<void> {
      auto n = for_rows(
          db, [&](const auto& row) { out.push_back(row_as<T>(row)); }, statement, args...);
      if (!n) return n.error();
      return {};
    });
    if (!r) return r.error();
    return out;
  }
  template <class T, class... A>
  Result<std::optional<T>> select_one(std::string_view statement, const A&... args) {
    auto rows = select_all<T>(statement, args...);
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<T>();
    return std::optional<T>(std::move(rows->front()));
  }
  Result<std::uint64_t> count_changes(const std::function<Result<std::uint64_t>(Db&)>& fn) {
    std::uint64_t n = 0;
    auto r = self().change([&](Db& db) -> Result<void> {
      auto got = fn(db);
      if (!got) return got.error();
      n = *got;
      return {};
    });
    if (!r) return r.error();
    return n;
  }
  template <class... A>
  Result<bool> any_changed(std::string_view statement, const A&... args) {
    auto n = count_changes([&](Db& db) { return for_rows(db, none, statement, args...); });
    if (!n) return n.error();
    return *n > 0;
  }
  Result<void> must_change(Id account, const std::function<Result<std::uint64_t>(Db&)>& fn) {
    auto n = count_changes(fn);
    if (!n) return n.error();
    if (*n == 0) return make_error(fmt::format("no account {}", account));
    return {};
  }
  template <class... A>
  Result<void> update_account(Id account, std::string_view statement, const A&... args) {
    return must_change(account, [&](Db& db) { return for_rows(db, none, statement, args...); });
  }

  template <class T, class Row>
  static T row_as(const Row& row) {
    if constexpr (std::is_same_v<T, AccountSecurity>) return sql::security_row(row);
    if constexpr (std::is_same_v<T, RecoveryCode>) return sql::recovery_row(row);
    if constexpr (std::is_same_v<T, AppPassword>) return sql::app_password_row(row);
    if constexpr (std::is_same_v<T, Alias>) return sql::alias_row(row);
    if constexpr (std::is_same_v<T, CatchAll>) return sql::catch_all_row(row);
    if constexpr (std::is_same_v<T, EmailToken>) return sql::email_token_row(row);
  }
};

// The login log and the security events, on one connection of the system data.
template <class Db, class Bytes>
class SqlSystemLogs final : public SystemLogs {
 public:
  explicit SqlSystemLogs(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  Result<void> log_login(const LoginRecord& l) override {
    std::lock_guard lock(mutex_);
    return done(for_rows(*db_, none, sql::kLogLogin, l.time, l.tenant, l.account, l.protocol,
                         l.source, l.client, l.result, l.reason));
  }
  Result<std::vector<LoginRecord>> logins(std::string_view account, std::size_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<LoginRecord> out;
    auto n = for_rows(
        *db_, [&](const auto& row) { out.push_back(sql::login_row(row)); }, sql::kLogins, account,
        static_cast<std::uint64_t>(limit));
    if (!n) return n.error();
    return out;
  }
  Result<LoginHistory> history(std::string_view account, std::string_view source,
                               std::string_view client) override {
    std::lock_guard lock(mutex_);
    LoginHistory h;
    auto r = for_rows(
        *db_,
        [&](const auto& row) {
          h.source = row.int64(0) > 0;
          h.client = row.int64(1) > 0;
          h.any = row.int64(2) > 0;
        },
        sql::kLoginHistory, account, source, client);
    if (!r) return r.error();
    return h;
  }
  Result<std::uint64_t> purge_logins(std::int64_t before) override {
    std::lock_guard lock(mutex_);
    return for_rows(*db_, none, sql::kPurgeLogins, before);
  }

  Result<EventRow> append_event(const MakeEvent& make) override {
    std::lock_guard lock(mutex_);
    EventRow added;
    auto r = transaction(*db_, [&]() -> Result<void> {
      if (auto l = lock_events(*db_); !l) return l;
      std::optional<EventRow> last;
      auto n = for_rows(
          *db_, [&](const auto& row) { last = sql::event_row(row); }, sql::kLastEvent);
      if (!n) return n.error();
      auto next = make(last);
      if (!next) return next.error();
      added = std::move(*next);
      return done(for_rows(*db_, none, sql::kAddEvent, added.seq, added.time, added.actor,
                           added.action, added.target, added.details, Bytes{added.prev_hash},
                           Bytes{added.hash}));
    });
    if (!r) return r.error();
    return added;
  }
  Result<std::vector<EventRow>> events(std::uint64_t after, std::size_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<EventRow> out;
    auto n = for_rows(
        *db_, [&](const auto& row) { out.push_back(sql::event_row(row)); }, sql::kEvents, after,
        static_cast<std::uint64_t>(limit));
    if (!n) return n.error();
    return out;
  }

 private:
  static constexpr auto none = [](const auto&) {};
  static Result<void> done(const Result<std::uint64_t>& r) {
    if (!r) return r.error();
    return {};
  }

  std::mutex mutex_;
  std::unique_ptr<Db> db_;
};

}  // namespace appliance::store
