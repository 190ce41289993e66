// NAME
//   tenant.cpp - opening a tenant, the commit leader, data keys, accounts and
//   mailboxes.
//
// DESCRIPTION
//   See tenant.h. Messages are in tenant_messages.cpp, integrity checks and
//   garbage collection in tenant_check.cpp.
#include "store/sqlite/tenant.h"

#include "store/sqlite/permissions.h"

#include <sys/stat.h>

#include <ctime>

#include <fmt/format.h>

#include "store/mailbox_sql.h"
#include "store/sqlite/migrate.h"

namespace appliance::store::sqlite {
namespace {

std::int64_t now() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

Result<Account> account_row(Statement& q) {
  auto row = q.step();
  if (!row) return row.error();
  if (!*row) return make_error("no such account");
  return Account{q.int64(0), q.text(1), q.text(2)};
}

}  // namespace

Result<std::shared_ptr<SqliteTenant>> SqliteTenant::open(const TenantOptions& options) {
  std::shared_ptr<SqliteTenant> t(new SqliteTenant(options));
  if (auto r = t->open_files(); !r) return r.error();
  std::size_t max_batch = options.group_commit ? 4096 : 1;
  // Two phases, blobs.db then meta.db: while one batch syncs its rows, the
  // next syncs its blobs (group_commit.h). The baseline of one commit per
  // write runs both in one phase, one write at a time.
  auto* raw = t.get();
  auto blobs = [raw](auto b) { raw->run_phase(*raw->blobs_w_, b, &WriteJob::blobs); };
  auto meta = [raw](auto b) { raw->run_phase(*raw->meta_w_, b, &WriteJob::meta); };
  std::vector<GroupCommit::RunBatch> phases{blobs, meta};
  if (!options.group_commit) {
    phases = {[=](auto b) {
      blobs(b);
      meta(b);
    }};
  }
  t->commit_ = std::make_unique<GroupCommit>(std::move(phases), max_batch);
  return t;
}

Result<void> SqliteTenant::open_files() {
  const auto& dir = options_.dir;
  if (options_.create) {
    std::error_code ec;
    std::filesystem::create_directories(dir / "tmp", ec);
    if (ec) return make_error(fmt::format("{}: cannot create: {}", dir.string(), ec.message()));
    share_directory(dir);
    share_directory(dir / "tmp");
  }
  auto meta = Database::open(dir / "meta.db", options_.create);
  if (!meta) return meta.error();
  auto blobs = Database::open(dir / "blobs.db", options_.create);
  if (!blobs) return blobs.error();
  for (Database* db : {&*meta, &*blobs}) {
    if (!options_.verify_on_open) continue;
    auto q = db->query("PRAGMA quick_check");
    if (!q) return q.error();
    auto row = q->step();
    if (!row) return row.error();
    if (*row && q->text(0) != "ok")
      return make_error(
          fmt::format("{}: integrity check failed: {}", db->path().string(), q->text(0)));
  }
  if (auto r = migrate(*meta, tenant_schema()); !r) return r;
  if (auto r = migrate(*blobs, blob_schema()); !r) return r;
  meta_w_ = std::make_unique<Database>(std::move(*meta));
  blobs_w_ = std::make_unique<Database>(std::move(*blobs));
  return {};
}

Result<void> SqliteTenant::damaged() const {
  for (const Database* db : {meta_w_.get(), blobs_w_.get()})
    if (db->corrupt())
      return make_error(
          fmt::format("tenant {} refused: {} is damaged", options_.id, db->path().string()));
  return {};
}

SqliteTenant::Lease::~Lease() {
  if (!db_ || db_->corrupt()) return;  // a damaged connection is not reused
  std::lock_guard lock(t_.pool_mutex_);
  t_.pool_.push_back(std::move(db_));
}

Result<SqliteTenant::Lease> SqliteTenant::reader() {
  if (auto d = damaged(); !d) return d.error();
  {
    std::lock_guard lock(pool_mutex_);
    if (!pool_.empty()) {
      auto db = std::move(pool_.back());
      pool_.pop_back();
      return Lease(*this, std::move(db));
    }
  }
  auto db = Database::open(options_.dir / "meta.db", false);
  if (!db) return db.error();
  auto attach = db->query("ATTACH DATABASE $1 AS b", (options_.dir / "blobs.db").string());
  if (!attach) return attach.error();
  if (auto r = attach->run(); !r) return r.error();
  return Lease(*this, std::make_unique<Database>(std::move(*db)));
}

Result<void> SqliteTenant::write(WriteJob& job) {
  if (auto d = damaged(); !d) return d;
  return commit_->submit(job);
}

void SqliteTenant::run_phase(Database& db, std::span<GroupCommit::Job* const> batch,
                             std::function<Result<void>(Database&)> WriteJob::*phase) {
  std::vector<WriteJob*> jobs;
  for (auto* j : batch) {
    auto* w = static_cast<WriteJob*>(j);
    if (w->result && w->*phase) jobs.push_back(w);
  }
  if (jobs.empty()) return;
  auto r = transaction(db, [&]() -> Result<void> {
    for (auto* j : jobs) {
      if (auto s = db.run("SAVEPOINT job"); !s) return s;
      j->result = (j->*phase)(db);
      if (!j->result) (void)db.run("ROLLBACK TO job");
      if (auto s = db.run("RELEASE job"); !s) return s;
    }
    return {};
  });
  if (r) return;
  for (auto* j : jobs)
    if (j->result) j->result = r.error();  // the commit itself failed: nothing of it holds
}

Result<std::shared_ptr<const AccountKeys>> SqliteTenant::keys_for(Database& db, Id account) {
  {
    std::lock_guard lock(keys_mutex_);
    if (auto it = keys_.find(account); it != keys_.end()) return it->second;
  }
  auto q = db.query("SELECT key_version, wrapped_key, key_id FROM accounts WHERE id = $1", account);
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (!*row)
    return make_error(fmt::format("account {} does not exist (or was destroyed)", account));
  auto raw =
      options_.keys->unwrap(q->text(0), q->bytes(1), data_key_context(options_.id, q->bytes(2)));
  if (!raw) return make_error(fmt::format("account {}: data key: {}", account, raw.message()));
  auto derived = AccountKeys::derive(*raw);
  if (!derived) return derived.error();
  auto keys = std::make_shared<const AccountKeys>(std::move(*derived));
  std::lock_guard lock(keys_mutex_);
  keys_[account] = keys;
  return keys;
}

// The data key is made before the write is queued, so a slow keyd never
// holds up the commit leader; a random key id binds it to its account row.
Result<Account> SqliteTenant::create_account(std::string_view address) {
  auto key_id = crypto::random_bytes(16);
  if (!key_id) return key_id.error();
  auto key = options_.keys->create(data_key_context(options_.id, *key_id));
  if (!key) return make_error(fmt::format("a data key for {}: {}", address, key.message()));
  Account out;
  WriteJob job;
  job.meta = [&](Database& db) -> Result<void> {
    auto q = db.query(
        "INSERT INTO accounts (address, key_id, key_version, wrapped_key, created) "
        "VALUES ($1, $2, $3, $4, $5) RETURNING id, address, key_version",
        address, Bytes{*key_id}, key->key, Bytes{key->wrapped}, now());
    if (!q) return q.error();
    auto a = account_row(*q);
    if (!a) return a.error();
    out = *a;
    return {};
  };
  if (auto r = write(job); !r) return r.error();
  return out;
}

Result<Account> SqliteTenant::find_account(std::string_view address) {
  auto db = reader();
  if (!db) return db.error();
  auto q =
      (*db)->query("SELECT id, address, key_version FROM accounts WHERE address = $1", address);
  if (!q) return q.error();
  auto a = account_row(*q);
  if (!a) return make_error(fmt::format("no account {}", address));
  return a;
}

Result<std::vector<Account>> SqliteTenant::accounts() {
  auto db = reader();
  if (!db) return db.error();
  auto q = (*db)->query("SELECT id, address, key_version FROM accounts ORDER BY id");
  if (!q) return q.error();
  std::vector<Account> out;
  for (;;) {
    auto a = account_row(*q);
    if (!a) break;
    out.push_back(std::move(*a));
  }
  return out;
}

Result<void> SqliteTenant::destroy_account(Id account) {
  if (auto d = damaged(); !d) return d;
  Result<void> result;
  commit_->exclusive([&] { result = shred(account); });
  return result;
}

// Runs between batches: the wrapped key and rows go first (the key is the
// shredding point), then the blobs; then both WALs are checkpointed and
// truncated so that no old page still holds the wrapped key.
Result<void> SqliteTenant::shred(Id account) {
  auto r = transaction(*meta_w_, [&]() -> Result<void> {
    for (const char* sql :
         {"DELETE FROM messages WHERE account = $1", "DELETE FROM queue_recipients WHERE entry IN (SELECT id FROM queue WHERE account = $1)",
          "DELETE FROM queue WHERE account = $1",
          "DELETE FROM subscriptions WHERE account = $1",
          "DELETE FROM mailboxes WHERE account = $1", "DELETE FROM accounts WHERE id = $1"}) {
      auto q = meta_w_->query(sql, account);
      if (!q) return q.error();
      if (auto e = q->run(); !e) return e;
    }
    return {};
  });
  if (!r) return r;
  {
    std::lock_guard lock(keys_mutex_);
    keys_.erase(account);
  }
  r = transaction(*blobs_w_, [&]() -> Result<void> {
    auto q = blobs_w_->query("DELETE FROM blobs WHERE account = $1", account);
    if (!q) return q.error();
    return q->run();
  });
  if (!r) return r;
  for (Database* db : {meta_w_.get(), blobs_w_.get()})
    if (auto c = db->exec("PRAGMA main.wal_checkpoint(TRUNCATE)"); !c) return c;
  return {};
}

Result<Mailbox> SqliteTenant::create_mailbox(Id account, std::string_view name) {
  Mailbox out;
  WriteJob job;
  job.meta = [&](Database& db) -> Result<void> {
    auto q = db.query(
        "INSERT INTO mailboxes (account, name, uidvalidity, modseq) "
        "SELECT id, $2, $3, 1 FROM accounts WHERE id = $1 "
        "RETURNING id, account, name, uidvalidity, uidnext, modseq",
        account, name, static_cast<std::int64_t>(now() & 0x7fffffff));
    if (!q) return q.error();
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return make_error(fmt::format("account {} does not exist", account));
    out = sql::mailbox_of(*q);
    return {};
  };
  if (auto r = write(job); !r) return r.error();
  return out;
}

Result<std::vector<Mailbox>> SqliteTenant::mailboxes(Id account) {
  auto db = reader();
  if (!db) return db.error();
  auto q = (*db)->query(
      "SELECT id, account, name, uidvalidity, uidnext, modseq FROM mailboxes "
      "WHERE account = $1 ORDER BY id",
      account);
  if (!q) return q.error();
  std::vector<Mailbox> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(sql::mailbox_of(*q));
  }
  return out;
}

Result<std::optional<Mailbox>> SqliteTenant::mailbox_named(Id account, std::string_view name) {
  auto db = reader();
  if (!db) return db.error();
  auto q = (*db)->query(sql::kMailboxNamed, account, name);
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return std::optional<Mailbox>();
  return std::optional<Mailbox>(sql::mailbox_of(*q));
}

}  // namespace appliance::store::sqlite
