// NAME
//   sqlite_store.cpp - system.db and the map of open tenants.
//
// DESCRIPTION
//   System writes are rare (tenants, domains, settings): one connection under
//   a mutex, each write its own durable transaction. A tenant is created in
//   two steps, the row as 'creating', then its files, then 'active', so a
//   crash in between is finished on the next open instead of leaving a
//   tenant without files.
#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/permissions.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "common/log.h"
#include "store/domains.h"
#include "store/sql_accounts.h"
#include "store/sqlite/migrate.h"
#include "store/sqlite/sql_rows.h"
#include "store/sqlite/tenant.h"
#include "store/web_sql.h"

namespace appliance::store::sqlite {
namespace {

namespace {

// Held while system.db, or a tenant still being created, is opened and
// migrated. Processes start together on a new store, or open a tenant that
// appliancectl is creating: one creates the files and their schema while the
// others wait, instead of finding an empty file they would rightly call
// truncated.
class CreationLock {
 public:
  static Result<CreationLock> take(const std::filesystem::path& root) {
    std::filesystem::path path = root / "open.lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0660);
    if (fd < 0) return make_error(fmt::format("{}: {}", path.string(), std::strerror(errno)));
    share_file(path);
    while (::flock(fd, LOCK_EX) != 0)
      if (errno != EINTR) {
        ::close(fd);
        return make_error(fmt::format("{}: lock: {}", path.string(), std::strerror(errno)));
      }
    return CreationLock(fd);
  }
  CreationLock(CreationLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  ~CreationLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }

 private:
  explicit CreationLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace

class SqliteStore final : public Store, public DomainStore {
 public:
  SqliteStore(Options options, Database db, std::unique_ptr<SystemLogs> logs,
              std::unique_ptr<WebStore> web)
      : options_(std::move(options)),
        db_(std::move(db)),
        logs_(std::move(logs)),
        web_(std::move(web)) {}

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
  Result<std::string> tenant_state(Id id);
  Result<std::shared_ptr<SqliteTenant>> open_tenant(Id id, const std::string& state);
  std::filesystem::path dir(Id id) const { return options_.root / "tenants" / std::to_string(id); }
  Result<void> run(std::string_view sql, auto... args) {
    auto q = db_.query(sql, args...);
    if (!q) return q.error();
    return q->run();
  }

  Options options_;
  std::mutex mutex_;  // guards db_ and open_
  Database db_;
  std::map<Id, std::shared_ptr<SqliteTenant>> open_;
  std::unique_ptr<SystemLogs> logs_;  // a connection of its own: logins write often
  std::unique_ptr<WebStore> web_;     // and one for web sessions, read on every request
};

Result<Tenant> SqliteStore::create_tenant(std::string_view name) {
  Id id = 0;
  {
    std::lock_guard lock(mutex_);
    auto q = db_.query("INSERT INTO tenants (name, created) VALUES ($1, $2) RETURNING id", name,
                       static_cast<std::int64_t>(std::time(nullptr)));
    if (!q) return q.error();
    auto row = q->step();
    if (!row) return row.error();
    id = q->int64(0);
    if (auto r = q->run(); !r) return r.error();
  }
  auto t = tenant(id);  // makes the files and marks it active
  if (!t) return t.error();
  return Tenant{id, std::string(name)};
}

Result<std::vector<Tenant>> SqliteStore::tenants() {
  std::lock_guard lock(mutex_);
  auto q = db_.query("SELECT id, name FROM tenants ORDER BY id");
  if (!q) return q.error();
  std::vector<Tenant> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back({q->int64(0), q->text(1)});
  }
}

Result<Domain> SqliteStore::add_domain(Id tenant, std::string_view name) {
  std::lock_guard lock(mutex_);
  auto q = db_.query(
      "INSERT INTO domains (tenant, name) SELECT id, $2 FROM tenants WHERE id = $1 "
      "RETURNING id, tenant, name",
      tenant, name);
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return make_error(fmt::format("no tenant {}", tenant));
  Domain d{q->int64(0), q->int64(1), q->text(2)};
  if (auto r = q->run(); !r) return r.error();
  return d;
}

Result<Domain> SqliteStore::find_domain(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto q = db_.query("SELECT id, tenant, name FROM domains WHERE name = $1", name);
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return make_error(fmt::format("no domain {}", name));
  return Domain{q->int64(0), q->int64(1), q->text(2)};
}

Result<std::vector<Domain>> SqliteStore::domains() {
  std::lock_guard lock(mutex_);
  auto q = db_.query("SELECT id, tenant, name FROM domains ORDER BY name");
  if (!q) return q.error();
  std::vector<Domain> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back({q->int64(0), q->int64(1), q->text(2)});
  }
}

Result<bool> SqliteStore::remove_domain(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto q = db_.query("DELETE FROM domains WHERE name = $1 RETURNING id", name);
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  bool removed = *row;
  if (auto r = q->run(); !r) return r.error();
  return removed;
}

Result<bool> SqliteStore::remove_tenant(Id id) {
  std::lock_guard lock(mutex_);
  auto q = db_.query(
      "DELETE FROM tenants WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM domains WHERE tenant = $1) "
      "RETURNING id",
      id);
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  bool removed = *row;
  if (auto r = q->run(); !r) return r.error();
  if (!removed) return false;
  open_.erase(id);
  std::error_code ec;
  std::filesystem::remove_all(dir(id), ec);
  if (ec) log::warning("tenant removed, its files not", {{"tenant", id}, {"reason", ec.message()}});
  return true;
}

Result<std::shared_ptr<TenantStore>> SqliteStore::tenant(Id id) {
  std::lock_guard lock(mutex_);
  if (auto it = open_.find(id); it != open_.end()) {
    if (it->second->damaged()) return std::shared_ptr<TenantStore>(it->second);
    open_.erase(it);  // damaged at run time: check its files again
  }
  auto state = tenant_state(id);
  if (!state) return state.error();
  auto t = open_tenant(id, *state);
  if (!t) {
    log::error("tenant refused", {{"tenant", id}, {"reason", t.message()}});
    return make_error(fmt::format("tenant {} refused: {}", id, t.message()));
  }
  open_[id] = *t;
  return std::shared_ptr<TenantStore>(*t);
}

// The statement ends here: a read still open on this connection would make
// the UPDATE of a tenant being created fail at once ("database is locked")
// when another process wrote since, instead of waiting for its lock.
Result<std::string> SqliteStore::tenant_state(Id id) {
  auto q = db_.query("SELECT state FROM tenants WHERE id = $1", id);
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return make_error(fmt::format("no tenant {}", id));
  return q->text(0);
}

Result<std::shared_ptr<SqliteTenant>> SqliteStore::open_tenant(Id id, const std::string& state) {
  bool create = state == "creating";
  std::optional<CreationLock> lock;
  if (create) {
    auto taken = CreationLock::take(options_.root);
    if (!taken) return taken.error();
    lock.emplace(std::move(*taken));
  }
  auto t = SqliteTenant::open(
      {dir(id), id, options_.keys, options_.group_commit, options_.verify_on_open, create});
  if (!t || !create) return t;
  if (auto r = run("UPDATE tenants SET state = 'active' WHERE id = $1", id); !r) return r.error();
  return t;
}

Result<void> SqliteStore::set_setting(std::string_view key, std::string_view value) {
  std::lock_guard lock(mutex_);
  return run(
      "INSERT INTO settings (key, value) VALUES ($1, $2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key, value);
}

Result<std::optional<std::string>> SqliteStore::setting(std::string_view key) {
  std::lock_guard lock(mutex_);
  auto q = db_.query("SELECT value FROM settings WHERE key = $1", key);
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(q->text(0));
}

}  // namespace


Result<std::unique_ptr<Store>> open_store(const Options& options) {
  if (!options.keys) return make_error("the store needs a data key source");
  std::error_code ec;
  std::filesystem::create_directories(options.root / "tenants", ec);
  if (ec) return make_error(fmt::format("{}: {}", options.root.string(), ec.message()));
  share_directory(options.root);
  share_directory(options.root / "tenants");
  auto lock = CreationLock::take(options.root);
  if (!lock) return lock.error();
  auto db = Database::open(options.root / "system.db", true);
  if (!db) return db.error();
  if (auto r = migrate(*db, system_schema()); !r) return r.error();
  auto log_db = Database::open(options.root / "system.db", false);
  if (!log_db) return log_db.error();
  auto logs = std::make_unique<SqlSystemLogs<Database, Bytes>>(
      std::make_unique<Database>(std::move(*log_db)));
  auto web_db = Database::open(options.root / "system.db", false);
  if (!web_db) return web_db.error();
  auto web = std::make_unique<SqlWebStore<Database, Bytes>>(
      std::make_unique<Database>(std::move(*web_db)));
  return std::unique_ptr<Store>(
      new SqliteStore(options, std::move(*db), std::move(logs), std::move(web)));
}

}  // namespace appliance::store::sqlite
