// NAME
//   postgres_store.cpp - the system schema and the map of open tenants.
//
// DESCRIPTION
//   System writes are rare (tenants, domains, settings): one connection under
//   a mutex, each statement its own durable transaction. A tenant is created
//   in two steps, the row as 'creating', then its schema, then 'active', so a
//   crash in between is finished on the next open instead of leaving a
//   tenant without a schema.
#include "store/postgres/postgres_store.h"

#include <ctime>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "common/log.h"
#include "store/domains.h"
#include "store/postgres/migrate.h"
#include "store/postgres/sql_rows.h"
#include "store/postgres/tenant.h"
#include "store/web_sql.h"

namespace appliance::store::postgres {
namespace {

constexpr std::string_view kSystemSchema = "appliance";

class PgStore final : public Store, public DomainStore {
 public:
  PgStore(Options options, std::unique_ptr<Connection> c, std::unique_ptr<SystemLogs> logs,
          std::unique_ptr<WebStore> web)
      : options_(std::move(options)), c_(std::move(c)), logs_(std::move(logs)), web_(std::move(web)) {}

  Result<Tenant> create_tenant(std::string_view name) override;
  Result<std::vector<Tenant>> tenants() override;
  Result<Domain> add_domain(Id tenant, std::string_view name) override;
  Result<Domain> find_domain(std::string_view name) override;
  Result<std::vector<Domain>> domains() override;
  Result<bool> remove_domain(std::string_view name) override;
  Result<bool> remove_tenant(Id id) override;
  Result<std::shared_ptr<TenantStore>> tenant(Id id) override;
  Result<void> set_setting(std::string_view key, std::string_view value) override;
  Result<std::optional<std::string>> setting(std::string_view key) override;
  SystemLogs& logs() override { return *logs_; }
  WebStore& web() override { return *web_; }

 private:
  Result<std::shared_ptr<PgTenant>> open_tenant(Id id, const std::string& state);

  Options options_;
  std::mutex mutex_;  // guards c_ and open_
  std::unique_ptr<Connection> c_;
  std::map<Id, std::shared_ptr<PgTenant>> open_;
  std::unique_ptr<SystemLogs> logs_;  // a connection of its own: logins write often
  std::unique_ptr<WebStore> web_;     // and one for web sessions, read on every request
};

Result<Tenant> PgStore::create_tenant(std::string_view name) {
  Id id = 0;
  {
    std::lock_guard lock(mutex_);
    auto q = c_->query("INSERT INTO tenants (name, created) VALUES ($1, $2) RETURNING id", name,
                       static_cast<std::int64_t>(std::time(nullptr)));
    if (!q) return q.error();
    id = q->int64(0, 0);
  }
  auto t = tenant(id);  // makes the schema and marks it active
  if (!t) return t.error();
  return Tenant{id, std::string(name)};
}

Result<std::vector<Tenant>> PgStore::tenants() {
  std::lock_guard lock(mutex_);
  auto q = c_->query("SELECT id, name FROM tenants ORDER BY id");
  if (!q) return q.error();
  std::vector<Tenant> out;
  for (int i = 0; i < q->size(); ++i) out.push_back({q->int64(i, 0), q->text(i, 1)});
  return out;
}

Result<Domain> PgStore::add_domain(Id tenant, std::string_view name) {
  std::lock_guard lock(mutex_);
  auto q = c_->query(
      "INSERT INTO domains (tenant, name) SELECT id, $2 FROM tenants WHERE id = $1 "
      "RETURNING id, tenant, name",
      tenant, name);
  if (!q) return q.error();
  if (q->empty()) return make_error(fmt::format("no tenant {}", tenant));
  return Domain{q->int64(0, 0), q->int64(0, 1), q->text(0, 2)};
}

Result<Domain> PgStore::find_domain(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto q = c_->query("SELECT id, tenant, name FROM domains WHERE name = $1", name);
  if (!q) return q.error();
  if (q->empty()) return make_error(fmt::format("no domain {}", name));
  return Domain{q->int64(0, 0), q->int64(0, 1), q->text(0, 2)};
}

Result<std::vector<Domain>> PgStore::domains() {
  std::lock_guard lock(mutex_);
  auto q = c_->query("SELECT id, tenant, name FROM domains ORDER BY name");
  if (!q) return q.error();
  std::vector<Domain> out;
  for (int i = 0; i < q->size(); ++i) out.push_back({q->int64(i, 0), q->int64(i, 1), q->text(i, 2)});
  return out;
}

Result<bool> PgStore::remove_domain(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto q = c_->query("DELETE FROM domains WHERE name = $1 RETURNING id", name);
  if (!q) return q.error();
  return !q->empty();
}

Result<bool> PgStore::remove_tenant(Id id) {
  std::lock_guard lock(mutex_);
  auto q = c_->query(
      "DELETE FROM tenants WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM domains WHERE tenant = $1) "
      "RETURNING id",
      id);
  if (!q) return q.error();
  if (q->empty()) return false;
  open_.erase(id);
  if (auto r = c_->exec(fmt::format("DROP SCHEMA IF EXISTS \"{}\" CASCADE", PgTenant::schema(id)));
      !r)
    return r.error();
  return true;
}

Result<std::shared_ptr<TenantStore>> PgStore::tenant(Id id) {
  std::lock_guard lock(mutex_);
  if (auto it = open_.find(id); it != open_.end()) {
    if (it->second->damaged()) return std::shared_ptr<TenantStore>(it->second);
    open_.erase(it);  // damaged at run time: open it again
  }
  auto q = c_->query("SELECT state FROM tenants WHERE id = $1", id);
  if (!q) return q.error();
  if (q->empty()) return make_error(fmt::format("no tenant {}", id));
  auto t = open_tenant(id, q->text(0, 0));
  if (!t) {
    log::error("tenant refused", {{"tenant", id}, {"reason", t.message()}});
    return make_error(fmt::format("tenant {} refused: {}", id, t.message()));
  }
  open_[id] = *t;
  return std::shared_ptr<TenantStore>(*t);
}

Result<std::shared_ptr<PgTenant>> PgStore::open_tenant(Id id, const std::string& state) {
  bool create = state == "creating";
  auto t =
      PgTenant::open({options_.conninfo, id, options_.keys,
                      options_.spool_dir / PgTenant::schema(id), options_.group_commit, create});
  if (!t || !create) return t;
  auto q = c_->query("UPDATE tenants SET state = 'active' WHERE id = $1", id);
  if (!q) return q.error();
  return t;
}

Result<void> PgStore::set_setting(std::string_view key, std::string_view value) {
  std::lock_guard lock(mutex_);
  auto q = c_->query(
      "INSERT INTO settings (key, value) VALUES ($1, $2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key, value);
  if (!q) return q.error();
  return {};
}

Result<std::optional<std::string>> PgStore::setting(std::string_view key) {
  std::lock_guard lock(mutex_);
  auto q = c_->query("SELECT value FROM settings WHERE key = $1", key);
  if (!q) return q.error();
  if (q->empty()) return std::optional<std::string>();
  return std::optional<std::string>(q->text(0, 0));
}

}  // namespace

Result<std::unique_ptr<Store>> open_store(const Options& options) {
  if (!options.keys) return make_error("the store needs a data key source");
  if (options.spool_dir.empty()) return make_error("the store needs a spool directory");
  auto c =
      Connection::open(options.conninfo, kSystemSchema, fmt::format("schema {}", kSystemSchema));
  if (!c) return c.error();
  if (auto r = migrate(**c, kSystemSchema, system_schema(), true); !r) return r.error();
  auto log_c =
      Connection::open(options.conninfo, kSystemSchema, fmt::format("schema {}", kSystemSchema));
  if (!log_c) return log_c.error();
  auto logs = std::make_unique<SqlSystemLogs<Connection, Bytes>>(std::move(*log_c));
  auto web_c =
      Connection::open(options.conninfo, kSystemSchema, fmt::format("schema {}", kSystemSchema));
  if (!web_c) return web_c.error();
  auto web = std::make_unique<SqlWebStore<Connection, Bytes>>(std::move(*web_c));
  return std::unique_ptr<Store>(
      new PgStore(options, std::move(*c), std::move(logs), std::move(web)));
}

}  // namespace appliance::store::postgres
