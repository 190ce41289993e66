// NAME
//   web_sql.h - WebStore written once over portable SQL, for both backends.
//
// DESCRIPTION
//   The same contract as sql_accounts.h: a backend supplies for_rows() and
//   its Bytes type for its connection type Db. SqlWebStore owns one
//   connection of the system data, used by one thread at a time.
#pragma once

#include <memory>
#include <mutex>

#include "store/account_sql.h"
#include "store/web.h"

namespace appliance::store {
namespace sql {

#define APPLIANCE_SESSION_COLUMNS                                                         \
  "SELECT mac, tenant, account, address, full_session, csrf, created, last_seen, expires, " \
  "sudo_until, source, agent, totp_key, totp_pending FROM web_sessions "
inline constexpr std::string_view kSession = APPLIANCE_SESSION_COLUMNS "WHERE mac = $1";
#undef APPLIANCE_SESSION_COLUMNS
inline constexpr std::string_view kAddSession =
    "INSERT INTO web_sessions (mac, tenant, account, address, full_session, csrf, created, "
    "last_seen, expires, sudo_until, source, agent, totp_key, totp_pending) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
inline constexpr std::string_view kUpdateSession =
    "UPDATE web_sessions SET full_session = $2, csrf = $3, last_seen = $4, expires = $5, "
    "sudo_until = $6, totp_key = $7, totp_pending = $8 WHERE mac = $1";
inline constexpr std::string_view kRemoveSession =
    "DELETE FROM web_sessions WHERE mac = $1 RETURNING account";
inline constexpr std::string_view kRemoveSessions =
    "DELETE FROM web_sessions WHERE tenant = $1 AND account = $2 RETURNING account";
inline constexpr std::string_view kPurgeSessions =
    "DELETE FROM web_sessions WHERE expires < $1 RETURNING account";

#define APPLIANCE_API_KEY_COLUMNS                                                           \
  "SELECT id, tenant, account, address, name, key, mac, grants, expires, created, last_used, " \
  "revoked FROM api_keys "
inline constexpr std::string_view kApiKey = APPLIANCE_API_KEY_COLUMNS "WHERE id = $1";
inline constexpr std::string_view kApiKeys =
    APPLIANCE_API_KEY_COLUMNS "WHERE tenant = $1 AND account = $2 ORDER BY created, id";
#undef APPLIANCE_API_KEY_COLUMNS
inline constexpr std::string_view kAddApiKey =
    "INSERT INTO api_keys (id, tenant, account, address, name, key, mac, grants, expires, "
    "created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
inline constexpr std::string_view kRevokeApiKey =
    "UPDATE api_keys SET revoked = $4 WHERE tenant = $1 AND account = $2 AND id = $3 "
    "AND revoked = 0 RETURNING id";
inline constexpr std::string_view kApiKeyUsed = "UPDATE api_keys SET last_used = $2 WHERE id = $1";

inline constexpr std::string_view kEventsAbout =
    "SELECT seq, time, actor, action, target, details, prev_hash, hash FROM security_events "
    "WHERE target = $1 ORDER BY seq DESC LIMIT $2";

template <class Row>
WebSession session_row(const Row& r) {
  WebSession s;
  s.mac = std::string(r.bytes(0));
  s.tenant = r.int64(1);
  s.account = r.int64(2);
  s.address = r.text(3);
  s.full = r.int64(4) != 0;
  s.csrf = r.text(5);
  s.created = r.int64(6);
  s.last_seen = r.int64(7);
  s.expires = r.int64(8);
  s.sudo_until = r.int64(9);
  s.source = r.text(10);
  s.agent = r.text(11);
  s.totp_key = r.text(12);
  s.totp_pending = std::string(r.bytes(13));
  return s;
}

template <class Row>
ApiKey api_key_row(const Row& r) {
  ApiKey k;
  k.id = r.text(0);
  k.tenant = r.int64(1);
  k.account = r.int64(2);
  k.address = r.text(3);
  k.name = r.text(4);
  k.key = r.text(5);
  k.mac = std::string(r.bytes(6));
  k.grants = r.text(7);
  k.expires = unless_zero(r.int64(8));
  k.created = r.int64(9);
  k.last_used = unless_zero(r.int64(10));
  k.revoked = unless_zero(r.int64(11));
  return k;
}

}  // namespace sql

template <class Db, class Bytes>
class SqlWebStore final : public WebStore {
 public:
  explicit SqlWebStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  Result<void> add_session(const WebSession& s) override {
    return done(run(sql::kAddSession, Bytes{s.mac}, s.tenant, s.account, s.address,
                    std::int64_t{s.full}, s.csrf, s.created, s.last_seen, s.expires, s.sudo_until,
                    s.source, s.agent, s.totp_key, Bytes{s.totp_pending}));
  }
  Result<std::optional<WebSession>> session(std::string_view mac) override {
    return one<WebSession>(sql::kSession, Bytes{mac});
  }
  Result<void> update_session(const WebSession& s) override {
    return done(run(sql::kUpdateSession, Bytes{s.mac}, std::int64_t{s.full}, s.csrf, s.last_seen,
                    s.expires, s.sudo_until, s.totp_key, Bytes{s.totp_pending}));
  }
  Result<bool> remove_session(std::string_view mac) override {
    return any(run(sql::kRemoveSession, Bytes{mac}));
  }
  Result<std::uint64_t> remove_sessions(Id tenant, Id account) override {
    return run(sql::kRemoveSessions, tenant, account);
  }
  Result<std::uint64_t> purge_sessions(std::int64_t now) override {
    return run(sql::kPurgeSessions, now);
  }

  Result<void> add_api_key(const ApiKey& k) override {
    return done(run(sql::kAddApiKey, k.id, k.tenant, k.account, k.address, k.name, k.key,
                    Bytes{k.mac}, k.grants, k.expires.value_or(0), k.created));
  }
  Result<std::optional<ApiKey>> api_key(std::string_view id) override {
    return one<ApiKey>(sql::kApiKey, id);
  }
  Result<std::vector<ApiKey>> api_keys(Id tenant, Id account) override {
    return all<ApiKey>(sql::kApiKeys, tenant, account);
  }
  Result<bool> revoke_api_key(Id tenant, Id account, std::string_view id,
                              std::int64_t when) override {
    return any(run(sql::kRevokeApiKey, tenant, account, id, when));
  }
  Result<void> api_key_used(std::string_view id, std::int64_t when) override {
    return done(run(sql::kApiKeyUsed, id, when));
  }

  Result<std::vector<EventRow>> events_about(std::string_view target,
                                             std::size_t limit) override {
    return all<EventRow>(sql::kEventsAbout, target, static_cast<std::uint64_t>(limit));
  }

 private:
  static constexpr auto none = [](const auto&) {};
  static Result<void> done(const Result<std::uint64_t>& r) {
    if (!r) return r.error();
    return {};
  }
  static Result<bool> any(const Result<std::uint64_t>& r) {
    if (!r) return r.error();
    return *r > 0;
  }
  template <class... A>
  Result<std::uint64_t> run(std::string_view statement, const A&... args) {
    std::lock_guard lock(mutex_);
    return for_rows(*db_, none, statement, args...);
  }
  template <class T, class... A>
  Result<std::vector<T>> all(std::string_view statement, const A&... args) {
    std::lock_guard lock(mutex_);
    std::vector<T> out;
    auto n = for_rows(
        *db_, [&](const auto& row) { out.push_back(row_as<T>(row)); }, statement, args...);
    if (!n) return n.error();
    return out;
  }
  template <class T, class... A>
  Result<std::optional<T>> one(std::string_view statement, const A&... args) {
    auto rows = all<T>(statement, args...);
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<T>();
    return std::optional<T>(std::move(rows->front()));
  }
  template <class T, class Row>
  static T row_as(const Row& row) {
    if constexpr (std::is_same_v<T, WebSession>) return sql::session_row(row);
    if constexpr (std::is_same_v<T, ApiKey>) return sql::api_key_row(row);
    if constexpr (std::is_same_v<T, EventRow>) return sql::event_row(row);
  }

  std::mutex mutex_;
  std::unique_ptr<Db> db_;
};

}  // namespace appliance::store
