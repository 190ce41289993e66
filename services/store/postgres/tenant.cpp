// NAME
//   tenant.cpp - opening a tenant, the commit leader, data keys, accounts and
//   mailboxes.
//
// DESCRIPTION
//   See tenant.h. Messages are in tenant_messages.cpp, integrity checks and
//   garbage collection in tenant_check.cpp.
#include "store/postgres/tenant.h"

#include <sys/stat.h>

#include <ctime>

#include <fmt/format.h>

#include "store/mailbox_sql.h"
#include "store/postgres/migrate.h"

namespace appliance::store::postgres {
namespace {

constexpr std::size_t kIdleReaders = 8;  // idle read connections kept per tenant

std::int64_t now() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

Result<Account> account_row(const Rows& r, int row) {
  if (row >= r.size()) return make_error("no such account");
  return Account{r.int64(row, 0), r.text(row, 1), r.text(row, 2)};
}


}  // namespace

Mailbox mailbox_row(const Rows& r, int row) {
  return sql::mailbox_of(RowView{r, row});
}

Result<std::shared_ptr<PgTenant>> PgTenant::open(const TenantOptions& options) {
  std::shared_ptr<PgTenant> t(new PgTenant(options));
  std::error_code ec;
  std::filesystem::create_directories(options.spool_dir, ec);
  if (ec) return make_error(fmt::format("{}: {}", options.spool_dir.string(), ec.message()));
  ::chmod(options.spool_dir.c_str(), 0700);
  auto c = t->connect();
  if (!c) return c.error();
  if (auto r = migrate(**c, schema(options.id), tenant_schema(), options.create); !r)
    return r.error();
  t->writer_ = std::move(*c);
  std::size_t max_batch = options.group_commit ? 4096 : 1;
  t->commit_ = std::make_unique<GroupCommit>(
      [raw = t.get()](std::span<GroupCommit::Job* const> b) { raw->run_batch(b); }, max_batch);
  return t;
}

Result<std::unique_ptr<Connection>> PgTenant::connect() {
  return Connection::open(options_.conninfo, schema(options_.id), "schema " + schema(options_.id));
}

Result<void> PgTenant::damaged() const {
  if (damaged_ || writer_->damaged())
    return make_error(
        fmt::format("tenant {} refused: schema {} is damaged", options_.id, schema(options_.id)));
  return {};
}

PgTenant::Lease::~Lease() {
  if (!c_) return;
  if (c_->damaged()) {  // the tenant is refused from now on; the connection is not reused
    t_.damaged_ = true;
    return;
  }
  std::lock_guard lock(t_.pool_mutex_);
  if (t_.pool_.size() < kIdleReaders) t_.pool_.push_back(std::move(c_));
}

Result<PgTenant::Lease> PgTenant::reader() {
  if (auto d = damaged(); !d) return d.error();
  {
    std::lock_guard lock(pool_mutex_);
    if (!pool_.empty()) {
      auto c = std::move(pool_.back());
      pool_.pop_back();
      return Lease(*this, std::move(c));
    }
  }
  auto c = connect();
  if (!c) return c.error();
  return Lease(*this, std::move(*c));
}

Result<void> PgTenant::write(WriteJob& job) {
  if (auto d = damaged(); !d) return d;
  return commit_->submit(job);
}

// One transaction for the whole batch. Jobs rarely fail (a mailbox of
// another account), so the batch first runs without savepoints, which would
// cost two round trips per job, and as one pipeline when every job is one
// statement (most are appends). If a job fails on the server, the batch is
// rolled back and run again with each job in its own SAVEPOINT, so only the
// failing job fails. A failed COMMIT is never retried: it may have committed.
void PgTenant::run_batch(std::span<GroupCommit::Job* const> batch) {
  bool job_failed = false, one_statement_each = true;
  for (auto* j : batch) one_statement_each &= static_cast<WriteJob*>(j)->statement != nullptr;
  auto r = one_statement_each ? run_pipelined(batch, job_failed) : run_in_order(batch, job_failed);
  if (job_failed) r = run_each_in_savepoint(batch);
  if (r) return;
  for (auto* j : batch)
    if (j->result) j->result = r.error();  // the commit itself failed: nothing of it holds
}

Result<void> PgTenant::run_in_order(std::span<GroupCommit::Job* const> batch, bool& job_failed) {
  return transaction(*writer_, [&]() -> Result<void> {
    for (auto* j : batch)
      if (!(j->result = static_cast<WriteJob*>(j)->run(*writer_))) {
        job_failed = true;
        return j->result;
      }
    return {};
  });
}

// A job whose statement succeeded but whose rows say it did nothing (no
// such account) fails alone; the batch's transaction still commits.
Result<void> PgTenant::run_pipelined(std::span<GroupCommit::Job* const> batch, bool& job_failed) {
  std::vector<const Statement*> statements;
  for (auto* j : batch) statements.push_back(static_cast<WriteJob*>(j)->statement);
  return writer_->pipeline(statements, [&](std::size_t i, Result<Rows> rows) {
    auto* job = static_cast<WriteJob*>(batch[i]);
    job_failed |= !rows;
    job->result = rows ? job->receive(*rows) : rows.error();
  });
}

Result<void> PgTenant::run_each_in_savepoint(std::span<GroupCommit::Job* const> batch) {
  Connection& c = *writer_;
  return transaction(c, [&]() -> Result<void> {
    for (auto* j : batch) {
      if (auto s = c.exec("SAVEPOINT job"); !s) return s;
      j->result = static_cast<WriteJob*>(j)->run(c);
      if (!j->result)
        if (auto s = c.exec("ROLLBACK TO SAVEPOINT job"); !s) return s;
      if (auto s = c.exec("RELEASE SAVEPOINT job"); !s) return s;
    }
    return {};
  });
}

Result<std::shared_ptr<const AccountKeys>> PgTenant::keys_for(Id account) {
  {
    std::lock_guard lock(keys_mutex_);
    if (auto it = keys_.find(account); it != keys_.end()) return it->second;
  }
  auto c = reader();
  if (!c) return c.error();
  return unwrap_key(**c, account);
}

Result<std::shared_ptr<const AccountKeys>> PgTenant::unwrap_key(Connection& c, Id account) {
  auto q = c.query("SELECT key_version, wrapped_key, key_id FROM accounts WHERE id = $1", account);
  if (!q) return q.error();
  if (q->empty())
    return make_error(fmt::format("account {} does not exist (or was destroyed)", account));
  auto raw = options_.keys->unwrap(q->text(0, 0), q->bytes(0, 1),
                                   data_key_context(options_.id, q->bytes(0, 2)));
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
Result<Account> PgTenant::create_account(std::string_view address) {
  auto key_id = crypto::random_bytes(16);
  if (!key_id) return key_id.error();
  auto key = options_.keys->create(data_key_context(options_.id, *key_id));
  if (!key) return make_error(fmt::format("a data key for {}: {}", address, key.message()));
  auto insert = statement(
      "INSERT INTO accounts (address, key_id, key_version, wrapped_key, created) "
      "VALUES ($1, $2, $3, $4, $5) RETURNING id, address, key_version",
      address, Bytes{*key_id}, key->key, Bytes{key->wrapped}, now());
  return write<Account>(insert, [](const Rows& rows) { return account_row(rows, 0); });
}

Result<Account> PgTenant::find_account(std::string_view address) {
  auto c = reader();
  if (!c) return c.error();
  auto q = (*c)->query("SELECT id, address, key_version FROM accounts WHERE address = $1", address);
  if (!q) return q.error();
  auto a = account_row(*q, 0);
  if (!a) return make_error(fmt::format("no account {}", address));
  return a;
}

Result<std::vector<Account>> PgTenant::accounts() {
  auto c = reader();
  if (!c) return c.error();
  auto q = (*c)->query("SELECT id, address, key_version FROM accounts ORDER BY id");
  if (!q) return q.error();
  std::vector<Account> out;
  for (int i = 0; i < q->size(); ++i) out.push_back(*account_row(*q, i));
  return out;
}

Result<void> PgTenant::destroy_account(Id account) {
  if (auto d = damaged(); !d) return d;
  Result<void> result;
  commit_->exclusive([&] { result = shred(account); });
  return result;
}

// Runs between batches. One transaction deletes the wrapped key, the rows
// and the blobs: the commit is the shredding point. PostgreSQL keeps deleted
// rows in place until VACUUM, and VACUUM frees their space without zeroing
// it, so the small accounts table is rewritten whole (VACUUM FULL): no page
// of its live file still holds the wrapped key. The others only hold sealed
// bytes and are vacuumed so their space is reused. What WAL and backups keep
// is in docs/store.md.
Result<void> PgTenant::shred(Id account) {
  Connection& c = *writer_;
  auto r = transaction(c, [&]() -> Result<void> {
    for (const char* sql :
         {"DELETE FROM messages WHERE account = $1", "DELETE FROM queue_recipients WHERE entry IN (SELECT id FROM queue WHERE account = $1)",
          "DELETE FROM queue WHERE account = $1",
          "DELETE FROM subscriptions WHERE account = $1",
          "DELETE FROM mailboxes WHERE account = $1", "DELETE FROM blobs WHERE account = $1",
          "DELETE FROM accounts WHERE id = $1"})
      if (auto q = c.query(sql, account); !q) return q.error();
    return {};
  });
  if (!r) return r;
  {
    std::lock_guard lock(keys_mutex_);
    keys_.erase(account);
  }
  if (auto v = c.exec("VACUUM (FULL) accounts"); !v) return v;
  return c.exec("VACUUM messages, mailboxes, queue, queue_recipients, blobs, chunks");
}

Result<Mailbox> PgTenant::create_mailbox(Id account, std::string_view name) {
  auto insert = statement(
      "INSERT INTO mailboxes (account, name, uidvalidity, modseq) "
      "SELECT id, $2, $3, 1 FROM accounts WHERE id = $1 "
      "RETURNING id, account, name, uidvalidity, uidnext, modseq",
      account, name, static_cast<std::int64_t>(now() & 0x7fffffff));
  return write<Mailbox>(insert, [&](const Rows& rows) -> Result<Mailbox> {
    if (rows.empty()) return make_error(fmt::format("account {} does not exist", account));
    return mailbox_row(rows, 0);
  });
}

Result<std::vector<Mailbox>> PgTenant::mailboxes(Id account) {
  auto c = reader();
  if (!c) return c.error();
  auto q = (*c)->query(
      "SELECT id, account, name, uidvalidity, uidnext, modseq FROM mailboxes "
      "WHERE account = $1 ORDER BY id",
      account);
  if (!q) return q.error();
  std::vector<Mailbox> out;
  for (int i = 0; i < q->size(); ++i) out.push_back(mailbox_row(*q, i));
  return out;
}

Result<std::optional<Mailbox>> PgTenant::mailbox_named(Id account, std::string_view name) {
  auto c = reader();
  if (!c) return c.error();
  auto q = (*c)->query(sql::kMailboxNamed, account, name);
  if (!q) return q.error();
  if (q->size() == 0) return std::optional<Mailbox>();
  return std::optional<Mailbox>(mailbox_row(*q, 0));
}

}  // namespace appliance::store::postgres
