// NAME
//   tenant.h - one tenant's store on PostgreSQL: the schema tenant_<id>.
//
// DESCRIPTION
//   Every connection of a tenant has its search_path set to tenant_<id> only,
//   so the shared SQL reaches that schema's tables and no other's.
//
//   Writes go through one GroupCommit on one writer connection: the leader
//   runs the whole batch in one transaction (one failing job does not fail
//   the others: the batch is then run again, each job in a SAVEPOINT), and
//   COMMIT returns once the WAL is
//   flushed (synchronous_commit on; on a cluster, once a quorum has it). A
//   message's blob and its row are in the same transaction, so there is no
//   window in which one exists without the other.
//
//   Reads use a small pool of connections. A connection that reports data
//   corruption marks the tenant damaged(); every call then refuses and
//   Store::tenant() opens it again.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "store/data_key.h"
#include "store/group_commit.h"
#include "store/postgres/pg.h"
#include "store/postgres/sql_rows.h"
#include "store/sql_mailbox_sync.h"
#include "store/sql_queue.h"
#include "store/store.h"

namespace appliance::store::postgres {

struct TenantOptions {
  std::string conninfo;
  Id id = 0;
  DataKeySource* keys = nullptr;
  std::filesystem::path spool_dir;
  bool group_commit = true;  // false: one transaction and commit per write
  bool create = false;
};

// A row of the message columns (tenant_messages.cpp) and of the mailbox columns (tenant.cpp).
Message message_row(const Rows& r, int row);
Mailbox mailbox_row(const Rows& r, int row);

class PgTenant final : public SqlMailboxSync<PgTenant, Connection, Bytes> {
 public:
  static Result<std::shared_ptr<PgTenant>> open(const TenantOptions& options);
  static std::string schema(Id id) { return "tenant_" + std::to_string(id); }

  Id id() const override { return options_.id; }
  Result<void> damaged() const;
  const GroupCommit& committer() const { return *commit_; }

  Result<Account> create_account(std::string_view address) override;
  Result<Account> find_account(std::string_view address) override;
  Result<std::vector<Account>> accounts() override;
  Result<void> destroy_account(Id account) override;
  Result<Mailbox> create_mailbox(Id account, std::string_view name) override;
  Result<std::vector<Mailbox>> mailboxes(Id account) override;
  Result<std::optional<Mailbox>> mailbox_named(Id account, std::string_view name) override;

  Result<std::unique_ptr<BlobWriter>> new_blob(Id account) override;
  Result<Message> append(std::unique_ptr<BlobWriter> blob, const NewMessage& m) override;
  Result<Appended> append_all(std::vector<std::unique_ptr<BlobWriter>> blobs,
                              const std::vector<NewMessage>& messages) override;
  Result<Message> message(Id account, Id message) override;
  Result<std::vector<Message>> messages(Id account, Id mailbox) override;
  Result<void> read(Id account, Id message, const Sink& sink) override;
  Result<std::string> summary(Id account, Id message) override;
  Result<std::uint32_t> set_flags(Id account, Id message, std::uint32_t add,
                                  std::uint32_t remove) override;
  Result<std::uint64_t> expunge(Id account, Id mailbox) override;
  Result<std::uint64_t> remove(Id account, Id mailbox,
                               const std::vector<std::uint32_t>& uids) override;

  Result<Mailbox> rename_mailbox(Id account, Id mailbox, std::string_view name) override;
  Result<void> delete_mailbox(Id account, Id mailbox) override;
  Result<void> subscribe(Id account, std::string_view name, bool subscribed) override;
  Result<std::vector<std::string>> subscriptions(Id account) override;
  Result<std::vector<Message>> messages(Id account, Id mailbox,
                                        const std::vector<UidRange>& uids) override;
  Result<MailboxCounts> counts(Id account, Id mailbox) override;
  Result<std::vector<Message>> store_flags(Id account, Id mailbox,
                                           const std::vector<UidRange>& uids, std::uint32_t add,
                                           std::uint32_t remove) override;
  Result<std::vector<Message>> store_keywords(Id account, Id mailbox,
                                              const std::vector<UidRange>& uids,
                                              const std::vector<std::string>& add,
                                              const std::vector<std::string>& remove,
                                              bool replace) override;
  Result<Copied> copy_messages(Id account, Id from, const std::vector<UidRange>& uids, Id to,
                               bool move) override;
  Result<std::vector<std::uint32_t>> expunge_messages(Id account, Id mailbox,
                                                      const std::vector<UidRange>& uids) override;

  Result<CheckReport> check(bool open_every_blob) override;
  Result<std::uint64_t> collect_garbage(std::chrono::seconds min_age) override;
  TenantQueue& queue() override { return queue_; }

  // For the sign-in data (sql_accounts.h, tenant_accounts.cpp): fn on a read
  // connection; fn as one durable write job.
  Result<void> look(const std::function<Result<void>(Connection&)>& fn);
  Result<void> change(const std::function<Result<void>(Connection&)>& fn);
  // For the queue (sql_queue.h): the blob and fn in one durable write job.
  Result<void> change_with_blob(const BlobWriter& blob,
                                const std::function<Result<void>(Connection&)>& fn);
  Result<void> read_blob(Id account, std::string_view address, const Sink& sink) override;
  // For appends (sql_mailbox_sync.h): the summary sealed for the message's row.
  Result<std::string> sealed_summary(const BlobWriter& blob, const NewMessage& m);

 private:
  struct WriteJob : GroupCommit::Job {
    std::function<Result<void>(Connection&)> run;
    // Set when the job is one statement that fails on the server whenever it
    // cannot succeed: a batch of such jobs is sent as one pipeline.
    const Statement* statement = nullptr;
    std::function<Result<void>(const Rows&)> receive;
  };
  // A read connection, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(PgTenant& t, std::unique_ptr<Connection> c) : t_(t), c_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Connection& operator*() { return *c_; }
    Connection* operator->() { return c_.get(); }

   private:
    PgTenant& t_;
    std::unique_ptr<Connection> c_;
  };

  explicit PgTenant(TenantOptions options) : options_(std::move(options)) {}
  Result<std::unique_ptr<Connection>> connect();
  Result<Lease> reader();
  Result<void> write(WriteJob& job);
  // Queues fn as one job of the next batch; its value once the batch is
  // durable. With `one`, the job may instead be sent as that statement and
  // its value read from the statement's rows by `parse`.
  template <class T>
  Result<T> write(const std::function<Result<T>(Connection&)>& fn, const Statement* one = nullptr,
                  const std::function<Result<T>(const Rows&)>& parse = {}) {
    T out{};
    auto keep = [&out](Result<T> r) -> Result<void> {
      if (!r) return r.error();
      out = std::move(*r);
      return {};
    };
    WriteJob job;
    job.run = [&](Connection& c) { return keep(fn(c)); };
    if (one) job.statement = one, job.receive = [&](const Rows& rows) { return keep(parse(rows)); };
    if (auto r = write(job); !r) return r.error();
    return out;
  }
  template <class T>
  Result<T> write(const Statement& s, const std::function<Result<T>(const Rows&)>& parse) {
    auto fn = [&](Connection& c) -> Result<T> {
      auto rows = c.run(s);
      if (!rows) return rows.error();
      return parse(*rows);
    };
    return write<T>(fn, &s, parse);
  }
  void run_batch(std::span<GroupCommit::Job* const> batch);
  Result<void> run_in_order(std::span<GroupCommit::Job* const> batch, bool& job_failed);
  Result<void> run_pipelined(std::span<GroupCommit::Job* const> batch, bool& job_failed);
  Result<void> run_each_in_savepoint(std::span<GroupCommit::Job* const> batch);
  Result<std::shared_ptr<const AccountKeys>> keys_for(Id account);
  Result<std::shared_ptr<const AccountKeys>> unwrap_key(Connection& c, Id account);
  Result<void> open_blob(Connection& c, Id account, std::string_view address, const Sink& sink);
  Result<void> shred(Id account);
  void check_counts(Connection& c, CheckReport& report);
  void check_links(Connection& c, CheckReport& report);
  void check_keys(Connection& c, CheckReport& report, bool open_every_blob);

  TenantOptions options_;
  std::unique_ptr<Connection> writer_;  // used by the commit leader and exclusive() only
  std::atomic<bool> damaged_{false};    // a reader saw damaged data
  std::unique_ptr<GroupCommit> commit_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Connection>> pool_;
  std::mutex keys_mutex_;
  std::map<Id, std::shared_ptr<const AccountKeys>> keys_;
  SqlQueue<PgTenant, Connection, Bytes> queue_{*this};
};

}  // namespace appliance::store::postgres
