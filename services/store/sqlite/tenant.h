// NAME
//   tenant.h - one tenant's store on SQLite: meta.db, blobs.db, tmp/.
//
// DESCRIPTION
//   <root>/tenants/<id>/meta.db holds accounts, mailboxes, messages, flags and
//   the queue; blobs.db beside it holds the sealed blob chunks; tmp/ holds
//   unnamed spool files of large blobs being written.
//
//   Writes go through one GroupCommit. A batch commits in two phases: first
//   blobs.db (every job's blob, one transaction, one sync), then meta.db (every
//   job's rows, one transaction, one sync). A crash between them leaves blobs
//   no message refers to (collected by collect_garbage), never a message
//   without its blob. Each job runs inside a SAVEPOINT, so one failing job does
//   not fail the others of its batch. The phases run as a pipeline: one
//   batch syncs blobs.db while the one before it syncs meta.db.
//
//   Reads use a small pool of connections on meta.db with blobs.db attached
//   as `b`; WAL lets them run beside the writer.
//
//   A connection that reports corruption marks the tenant damaged(); every
//   call then refuses, naming the file, and Store::tenant() reopens it, which
//   re-checks the files.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "store/data_key.h"
#include "store/group_commit.h"
#include "store/sql_mailbox_sync.h"
#include "store/sql_queue.h"
#include "store/sqlite/db.h"
#include "store/sqlite/sql_rows.h"
#include "store/store.h"

namespace appliance::store::sqlite {

struct TenantOptions {
  std::filesystem::path dir;
  Id id = 0;
  DataKeySource* keys = nullptr;
  bool group_commit = true;    // false: one transaction and sync per write
  bool verify_on_open = true;  // PRAGMA quick_check of both files at open
  bool create = false;
};

// A row of kMessageColumns (tenant_messages.cpp).
Message message_row(const Statement& q);

class SqliteTenant final : public SqlMailboxSync<SqliteTenant, Database, Bytes> {
 public:
  static Result<std::shared_ptr<SqliteTenant>> open(const TenantOptions& options);

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

  TenantQueue& queue() override { return queue_; }

  Result<CheckReport> check(bool open_every_blob) override;
  Result<std::uint64_t> collect_garbage(std::chrono::seconds min_age) override;

  // For the sign-in data (sql_accounts.h, tenant_accounts.cpp): fn on a read
  // connection; fn as one durable write job.
  Result<void> look(const std::function<Result<void>(Database&)>& fn);
  Result<void> change(const std::function<Result<void>(Database&)>& fn);
  // For the queue (sql_queue.h): the blob and fn in one durable write job.
  Result<void> change_with_blob(const BlobWriter& blob,
                                const std::function<Result<void>(Database&)>& fn);
  Result<void> read_blob(Id account, std::string_view address, const Sink& sink) override;
  // For appends (sql_mailbox_sync.h): the summary sealed for the message's row.
  Result<std::string> sealed_summary(const BlobWriter& blob, const NewMessage& m);

 private:
  struct WriteJob : GroupCommit::Job {
    std::function<Result<void>(Database&)> blobs;  // phase 1, may be empty
    std::function<Result<void>(Database&)> meta;   // phase 2
  };
  // A read connection, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(SqliteTenant& t, std::unique_ptr<Database> db) : t_(t), db_(std::move(db)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Database& operator*() { return *db_; }
    Database* operator->() { return db_.get(); }

   private:
    SqliteTenant& t_;
    std::unique_ptr<Database> db_;
  };

  explicit SqliteTenant(TenantOptions options) : options_(std::move(options)) {}
  Result<void> open_files();
  Result<Lease> reader();
  Result<void> write(WriteJob& job);
  void run_phase(Database& db, std::span<GroupCommit::Job* const> batch,
                 std::function<Result<void>(Database&)> WriteJob::*phase);
  Result<std::shared_ptr<const AccountKeys>> keys_for(Database& db, Id account);
  Result<void> open_blob(Database& db, Id account, std::string_view address, const Sink& sink);
  Result<Appended> append_messages(std::vector<std::unique_ptr<BlobWriter>> blobs,
                                   const std::vector<NewMessage>& messages, bool check_quota);
  Result<void> shred(Id account);
  void check_counts(Database& db, CheckReport& report);
  void check_links(Database& db, CheckReport& report);
  void check_keys(Database& db, CheckReport& report, bool open_every_blob);

  TenantOptions options_;
  std::unique_ptr<Database> meta_w_, blobs_w_;  // each used by the batch in its phase only
  std::unique_ptr<GroupCommit> commit_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Database>> pool_;
  std::mutex keys_mutex_;
  std::map<Id, std::shared_ptr<const AccountKeys>> keys_;
  SqlQueue<SqliteTenant, Database, Bytes> queue_{*this};
};

}  // namespace appliance::store::sqlite
