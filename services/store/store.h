// NAME
//   store.h - the store interface every daemon uses.
//
// DESCRIPTION
//   Store is the system data (settings, tenants, domains, key metadata, login
//   log, security events); TenantStore is one tenant's data (accounts,
//   mailboxes, messages, flags, queue) and can reach no other tenant's. Two
//   backends implement both: SQLite (sqlite/, files per tenant) and PostgreSQL
//   (postgres/, one schema per tenant).
//
//   Every call that changes data returns only once the change is durable; the
//   backend lets concurrent writers share one transaction and one sync
//   (group_commit.h). Every message call names the account it acts for, and
//   the backend checks that the mailbox or message belongs to it, so a caller
//   cannot reach another account's mail by guessing an id.
//
//   Message bodies are blobs: written through a BlobWriter (sealed as they
//   stream in, blob_writer.h), then stored with their metadata by append().
//   A message's summary (envelope, subject) is sealed under the account's key
//   too; what stays in clear is listed in docs/store.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/accounts.h"
#include "store/blob_writer.h"
#include "store/queue.h"
#include "store/web.h"

namespace appliance::store {

using Id = std::int64_t;

struct Tenant {
  Id id = 0;
  std::string name;
};

struct Domain {
  Id id = 0;
  Id tenant = 0;
  std::string name;
};

struct Account {
  Id id = 0;
  std::string address;
  std::string key_version;  // the keyd key that wraps this account's data key
};

struct Mailbox {
  Id id = 0;
  Id account = 0;
  std::string name;
  std::uint32_t uidvalidity = 0;
  std::uint32_t uidnext = 1;
  std::uint64_t modseq = 0;
};

// IMAP system flags; keywords come later.
enum Flag : std::uint32_t { kSeen = 1, kAnswered = 2, kFlagged = 4, kDeleted = 8, kDraft = 16 };

struct Message {
  Id id = 0;
  Id account = 0;
  Id mailbox = 0;
  std::uint32_t uid = 0;
  std::string blob;  // content address, 32 bytes
  std::uint64_t size = 0;
  std::int64_t internal_date = 0;  // unix seconds
  std::uint32_t flags = 0;
  std::uint64_t modseq = 0;
  std::string keywords;  // IMAP keywords ($Junk, $Forwarded, ...): sorted, space-separated
};

struct NewMessage {
  Id account = 0;
  Id mailbox = 0;
  std::int64_t internal_date = 0;
  std::uint32_t flags = 0;
  std::string summary;                // sealed by the store; may be empty
  std::vector<std::string> keywords;  // IMAP keywords, any order and case
};

// Mailbox access (imapd, pop3d): a closed range of UIDs.
struct UidRange {
  std::uint32_t first = 0, last = 0;
};
struct MailboxCounts {
  std::uint64_t messages = 0, unseen = 0, deleted = 0, size = 0;
};
struct CopiedMessage {
  std::uint32_t from_uid = 0;  // in the source mailbox
  std::uint32_t uid = 0;       // in the destination
};

// What append_all and copy_messages did. A write that would take the account
// past its quota is refused whole, in its own transaction: nothing of it is
// stored, and two writers cannot both pass the check and together go over.
struct Appended {
  std::vector<Message> messages;  // one per message given, in order; none when refused
  bool over_quota = false;
};
struct Copied {
  std::vector<CopiedMessage> messages;  // in source UID order; none when refused
  bool over_quota = false;
};

// STORE (imapd): system flags and keywords of the messages in range, changed
// together in one transaction; only messages whose flags change take a new modseq.
struct FlagUpdate {
  std::uint32_t add = 0, remove = 0;  // system flags
  std::vector<std::string> add_keywords, remove_keywords;
  bool replace_keywords = false;  // keywords become exactly add_keywords
  // CONDSTORE (RFC 7162 3.1.3): a message whose modseq is above this is left alone.
  std::optional<std::uint64_t> unchangedsince;
};
struct FlagUpdateResult {
  std::vector<Message> messages;        // every message in range, as it is now, by UID
  std::vector<std::uint32_t> modified;  // UIDs left alone by unchangedsince
};
// QUOTA (RFC 9208): what an account's messages take, every copy counted,
// and its quota. smtpd's check at RCPT; imapd's early refusal of APPEND, COPY
// and MOVE (append_all and copy_messages check again in their transaction).
struct Usage {
  std::uint64_t messages = 0, bytes = 0;
  std::uint64_t quota = 0;  // bytes; 0: no limit
  // Whether `adding` more bytes keep the account within its quota.
  bool room_for(std::uint64_t adding) const { return !quota || bytes + adding <= quota; }
};

struct CheckReport {
  std::vector<std::string> errors;  // what is wrong, each naming file and object
  std::uint64_t accounts = 0, messages = 0, blobs = 0, orphaned_blobs = 0;
  bool ok() const { return errors.empty(); }
};

// Sign-in data (accounts.h) is part of every tenant.
class TenantStore : public TenantAccounts {
 public:
  virtual ~TenantStore() = default;
  virtual Id id() const = 0;

  virtual Result<Account> create_account(std::string_view address) = 0;
  virtual Result<Account> find_account(std::string_view address) = 0;
  virtual Result<std::vector<Account>> accounts() = 0;
  // Crypto-shredding: the wrapped data key, the account's rows and its blobs
  // are deleted, and the files are checkpointed so no old page keeps them.
  virtual Result<void> destroy_account(Id account) = 0;

  virtual Result<Mailbox> create_mailbox(Id account, std::string_view name) = 0;
  virtual Result<std::vector<Mailbox>> mailboxes(Id account) = 0;
  // One mailbox by its exact name; none when the account has no such mailbox.
  virtual Result<std::optional<Mailbox>> mailbox_named(Id account, std::string_view name) = 0;

  virtual Result<std::unique_ptr<BlobWriter>> new_blob(Id account) = 0;
  // Stores the blob (once per account and content) and the message; durable on return.
  // Delivery: the quota is not checked here (smtpd checks it at RCPT).
  virtual Result<Message> append(std::unique_ptr<BlobWriter> blob, const NewMessage& m) = 0;
  // A client's APPEND (MULTIAPPEND, RFC 3502): blobs[i] for messages[i], all
  // of them in one transaction, with consecutive UIDs, or none. Refused
  // (over_quota) when they would take the account past its quota. Durable on return.
  virtual Result<Appended> append_all(std::vector<std::unique_ptr<BlobWriter>> blobs,
                                      const std::vector<NewMessage>& messages) = 0;
  virtual Result<Message> message(Id account, Id message) = 0;
  virtual Result<std::vector<Message>> messages(Id account, Id mailbox) = 0;
  // Streams the plaintext to sink; the blob is verified against its address.
  virtual Result<void> read(Id account, Id message, const Sink& sink) = 0;
  // The same for a row already in hand, by its account and blob address: a
  // FETCH of many messages does not look each row up a second time.
  virtual Result<void> read_blob(Id account, std::string_view address, const Sink& sink) = 0;
  virtual Result<std::string> summary(Id account, Id message) = 0;
  // Returns the new flags.
  virtual Result<std::uint32_t> set_flags(Id account, Id message, std::uint32_t add,
                                          std::uint32_t remove) = 0;
  // Removes messages flagged \Deleted; returns how many.
  virtual Result<std::uint64_t> expunge(Id account, Id mailbox) = 0;
  // Removes the messages with these UIDs whatever their flags, in one
  // transaction (POP3's UPDATE state); UIDs no longer there are skipped.
  // Returns how many were removed.
  virtual Result<std::uint64_t> remove(Id account, Id mailbox,
                                       const std::vector<std::uint32_t>& uids) = 0;

  // Mailbox access (imapd, pop3d). Each change takes the mailbox's next
  // modseq; messages are selected by UID ranges within one mailbox.
  virtual Result<Mailbox> rename_mailbox(Id account, Id mailbox, std::string_view name) = 0;
  // Deletes the mailbox and its messages (their blobs go at the next garbage collection).
  virtual Result<void> delete_mailbox(Id account, Id mailbox) = 0;
  // Subscriptions are names: a client may subscribe to a mailbox that does not exist.
  virtual Result<void> subscribe(Id account, std::string_view name, bool subscribed) = 0;
  virtual Result<std::vector<std::string>> subscriptions(Id account) = 0;
  virtual Result<std::vector<Message>> messages(Id account, Id mailbox,
                                                const std::vector<UidRange>& uids) = 0;
  virtual Result<MailboxCounts> counts(Id account, Id mailbox) = 0;
  // Sets flags on every message in range; returns them, changed, in UID order.
  virtual Result<std::vector<Message>> store_flags(Id account, Id mailbox,
                                                   const std::vector<UidRange>& uids,
                                                   std::uint32_t add, std::uint32_t remove) = 0;
  // Adds or removes keywords (or, with `replace`, sets exactly `add`) on every
  // message in range; returns them, changed, in UID order.
  virtual Result<std::vector<Message>> store_keywords(Id account, Id mailbox,
                                                      const std::vector<UidRange>& uids,
                                                      const std::vector<std::string>& add,
                                                      const std::vector<std::string>& remove,
                                                      bool replace) = 0;
  // Copies (or moves) the messages in range, in UID order, to `to`: the same
  // blobs, new UIDs. A copy that would take the account past its quota is
  // refused (over_quota); a move takes no more room and is not.
  virtual Result<Copied> copy_messages(Id account, Id from, const std::vector<UidRange>& uids,
                                       Id to, bool move) = 0;
  // Removes the messages in range flagged \Deleted; returns their UIDs, ascending.
  virtual Result<std::vector<std::uint32_t>> expunge_messages(
      Id account, Id mailbox, const std::vector<UidRange>& uids) = 0;

  // STORE with CONDSTORE's UNCHANGEDSINCE; see FlagUpdate.
  virtual Result<FlagUpdateResult> update_flags(Id account, Id mailbox,
                                                const std::vector<UidRange>& uids,
                                                const FlagUpdate& update) = 0;
  // QRESYNC: the UIDs in range expunged from the mailbox at a modseq above
  // `since`, ascending. Every removal of a message leaves this record.
  virtual Result<std::vector<std::uint32_t>> vanished(Id account, Id mailbox, std::uint64_t since,
                                                      const std::vector<UidRange>& uids) = 0;
  // Kept as messages come and go: one row read, whatever the account holds.
  // An unknown account uses nothing and has no limit.
  virtual Result<Usage> usage(Id account) = 0;

  // The outbound queue (queue.h).
  virtual TenantQueue& queue() = 0;
  static constexpr std::chrono::seconds kGarbageMinAge{600};

  // Database integrity, missing and orphaned blobs, data keys that no longer unwrap.
  virtual Result<CheckReport> check(bool open_every_blob) = 0;
  // Deletes blobs no message refers to that were stored (or found again by
  // an append) at least min_age ago; returns how many. The age spares a blob
  // whose message another process is still committing (SQLite commits blobs
  // before their rows, and only this process's batches are excluded).
  virtual Result<std::uint64_t> collect_garbage(std::chrono::seconds min_age) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Result<Tenant> create_tenant(std::string_view name) = 0;
  virtual Result<std::vector<Tenant>> tenants() = 0;
  virtual Result<Domain> add_domain(Id tenant, std::string_view name) = 0;
  virtual Result<Domain> find_domain(std::string_view name) = 0;

  // One tenant's store; an error naming the file and the fault when its files
  // are damaged (that tenant is refused, the others keep working).
  virtual Result<std::shared_ptr<TenantStore>> tenant(Id id) = 0;

  virtual Result<void> set_setting(std::string_view key, std::string_view value) = 0;
  virtual Result<std::optional<std::string>> setting(std::string_view key) = 0;

  // The login log and the security events (accounts.h).
  virtual SystemLogs& logs() = 0;
  // Web sessions and API keys (web.h).
  virtual WebStore& web() = 0;
};

}  // namespace appliance::store
