// NAME
//   sql_mailbox_sync.h - conditional STORE, expunge records, quota usage and
//   the rows of an append, written once over the portable SQL for both
//   backends.
//
// DESCRIPTION
//   What CONDSTORE, QRESYNC and QUOTA need of a tenant (store.h:
//   update_flags, vanished, usage). A backend's tenant derives from
//   SqlMailboxSync<itself, Db, Bytes> instead of SqlTenantAccounts and
//   supplies, as for that one, for_rows(db, f, sql, args...), look(fn) and
//   change(fn), and sealed_summary(blob, message) for its appends, which
//   share ready() before the write job and insert_messages() in it.
//
//   update_flags reads the messages in range, works out each one's new
//   flags and keywords, leaves alone those changed after `unchangedsince`,
//   and writes only those that change, under one new modseq of the mailbox:
//   a STORE that changes nothing moves no modseq. Expunged UIDs are recorded
//   by a trigger of the schema (table `expunged`, tenant step 5), so every
//   way a message leaves a mailbox is remembered with the modseq it left at.
//   An account's usage is kept the same way, in its row (tenant step 7),
//   so a write can check the quota in its own transaction (within_quota).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/mailbox_sql.h"
#include "store/sql_accounts.h"

namespace appliance::store {

namespace sql {

// $1 account, $2 mailbox, $3 modseq.
inline std::string vanished_in(const std::vector<UidRange>& uids) {
  return "SELECT uid FROM expunged WHERE mailbox = $2 AND modseq > $3 AND " + uid_condition(uids) +
         " AND mailbox IN (SELECT id FROM mailboxes WHERE account = $1) ORDER BY uid";
}
// $1 account: the usage kept by the triggers of tenant step 7, and the quota.
inline constexpr std::string_view kUsage =
    "SELECT used_messages, used_bytes, quota FROM accounts WHERE id = $1";
// $1 account: a row when the account is past its quota (0 is no limit).
inline constexpr std::string_view kPastQuota =
    "SELECT 1 FROM accounts WHERE id = $1 AND quota > 0 AND used_bytes > quota";
// $1 id, $2 flags, $3 keywords, $4 modseq.
inline constexpr std::string_view kSetFlags =
    "UPDATE messages SET flags = $2, keywords = $3, modseq = $4 WHERE id = $1";

template <class Row>
Message message_of(const Row& r) {
  return Message{r.int64(0),
                 r.int64(1),
                 r.int64(2),
                 static_cast<std::uint32_t>(r.int64(3)),
                 std::string(r.bytes(4)),
                 static_cast<std::uint64_t>(r.int64(5)),
                 r.int64(6),
                 static_cast<std::uint32_t>(r.int64(7)),
                 static_cast<std::uint64_t>(r.int64(8)),
                 r.text(9)};
}

// The message after the update; false when nothing of it changes.
inline bool apply(Message& m, const FlagUpdate& u) {
  std::uint32_t flags = (m.flags | u.add) & ~u.remove;
  std::string keywords =
      merge_keywords(m.keywords, u.add_keywords, u.remove_keywords, u.replace_keywords);
  if (flags == m.flags && keywords == m.keywords) return false;
  m.flags = flags;
  m.keywords = std::move(keywords);
  return true;
}

}  // namespace sql

template <class Self, class Db, class Bytes>
class SqlMailboxSync : public SqlTenantAccounts<Self, Db, Bytes> {
 public:
  Result<FlagUpdateResult> update_flags(Id account, Id mailbox, const std::vector<UidRange>& uids,
                                        const FlagUpdate& update) override {
    FlagUpdateResult out;
    auto r = self().change([&](Db& db) -> Result<void> {
      out = {};
      auto n = for_rows(
          db, [&](const auto& row) { out.messages.push_back(sql::message_of(row)); },
          sql::messages_in(uids), account, mailbox);
      if (!n) return n.error();
      return write_changes(db, account, mailbox, update, out);
    });
    if (!r) return r.error();
    return out;
  }

  Result<std::vector<std::uint32_t>> vanished(Id account, Id mailbox, std::uint64_t since,
                                              const std::vector<UidRange>& uids) override {
    std::vector<std::uint32_t> out;
    auto r = self().look([&](Db& db) -> Result<void> {
      auto n = for_rows(
          db, [&](const auto& row) { out.push_back(static_cast<std::uint32_t>(row.int64(0))); },
          sql::vanished_in(uids), account, mailbox, static_cast<std::int64_t>(since));
      if (!n) return n.error();
      return {};
    });
    if (!r) return r.error();
    return out;
  }

  Result<Usage> usage(Id account) override {
    Usage out;
    auto r = self().look([&](Db& db) -> Result<void> {
      auto n = for_rows(
          db,
          [&](const auto& row) {
            out = {static_cast<std::uint64_t>(row.int64(0)),
                   static_cast<std::uint64_t>(row.int64(1)),
                   static_cast<std::uint64_t>(row.int64(2))};
          },
          sql::kUsage, account);
      if (!n) return n.error();
      return {};
    });
    if (!r) return r.error();
    return out;
  }

 protected:
  // Before an append's write job: every blob finished and written for its
  // message's account, all messages into one mailbox; the summaries sealed.
  Result<std::vector<std::string>> ready(const std::vector<std::unique_ptr<BlobWriter>>& blobs,
                                         const std::vector<NewMessage>& messages) {
    if (blobs.empty() || blobs.size() != messages.size())
      return make_error("an append needs one blob per message");
    std::vector<std::string> sealed;
    for (std::size_t i = 0; i < blobs.size(); ++i) {
      const NewMessage& m = messages[i];
      if (m.account != messages[0].account || m.mailbox != messages[0].mailbox)
        return make_error("an append stores into one mailbox");
      if (!blobs[i] || blobs[i]->account() != m.account)
        return make_error("the blob was written for another account");
      if (!blobs[i]->finished())
        if (auto r = blobs[i]->finish(); !r) return r.error();
      auto summary = self().sealed_summary(*blobs[i], m);
      if (!summary) return summary.error();
      sealed.push_back(std::move(*summary));
    }
    return sealed;
  }

  // In the write job, after the blobs: the messages' rows, with consecutive
  // UIDs of their mailbox and one new modseq; the mailbox must be the account's.
  static Result<std::vector<Message>> insert_messages(
      Db& db, std::span<const std::unique_ptr<BlobWriter>> blobs,
      std::span<const NewMessage> messages, std::span<const std::string> summaries) {
    Id account = messages.front().account, mailbox = messages.front().mailbox;
    std::optional<std::pair<std::int64_t, std::int64_t>> first;  // uid, modseq
    auto n = for_rows(
        db,
        [&](const auto& row) {
          first = {row.int64(0), row.int64(1)};
        },
        sql::kTakeUids, account, mailbox, static_cast<std::int64_t>(messages.size()));
    if (!n) return n.error();
    if (!first) return make_error(fmt::format("account {} has no mailbox {}", account, mailbox));
    std::vector<Message> out;
    for (std::size_t i = 0; i < messages.size(); ++i) {
      const NewMessage& m = messages[i];
      auto row = for_rows(
          db, [&](const auto& r) { out.push_back(sql::message_of(r)); }, sql::insert_message(),
          account, mailbox, first->first + static_cast<std::int64_t>(i), Bytes{blobs[i]->id()},
          blobs[i]->size(), m.internal_date, m.flags, first->second,
          summaries[i].empty() ? Bytes{} : Bytes{summaries[i]},
          sql::merge_keywords("", m.keywords, {}, false));
      if (!row) return row.error();
    }
    return out;
  }

  // In a write's transaction, once its messages are in (and counted by the
  // triggers of tenant step 7): fails the write, which is then rolled back,
  // when the account is now past its quota, and says so in `refused`. Two
  // writers cannot both pass: SQLite has one writer at a time, and on
  // PostgreSQL the counting UPDATE locks the account's row until the commit.
  static Result<void> within_quota(Db& db, Id account, bool& refused) {
    auto n = for_rows(
        db, [](const auto&) {}, sql::kPastQuota, account);
    if (!n) return n.error();
    refused = *n > 0;
    if (refused) return make_error(fmt::format("account {} would pass its quota", account));
    return {};
  }

 private:
  Self& self() { return static_cast<Self&>(*this); }

  // In the transaction: the changed messages under one new modseq.
  static Result<void> write_changes(Db& db, Id account, Id mailbox, const FlagUpdate& update,
                                    FlagUpdateResult& out) {
    std::vector<Message*> changed;
    for (Message& m : out.messages) {
      if (update.unchangedsince && m.modseq > *update.unchangedsince)
        out.modified.push_back(m.uid);
      else if (sql::apply(m, update))
        changed.push_back(&m);
    }
    if (changed.empty()) return {};
    std::optional<std::int64_t> modseq;
    auto n = for_rows(
        db, [&](const auto& row) { modseq = row.int64(0); }, sql::kNextModseq, account, mailbox);
    if (!n) return n.error();
    if (!modseq) return make_error(fmt::format("account {} has no mailbox {}", account, mailbox));
    for (Message* m : changed) {
      m->modseq = static_cast<std::uint64_t>(*modseq);
      auto u = for_rows(
          db, [](const auto&) {}, sql::kSetFlags, m->id, m->flags, m->keywords, *modseq);
      if (!u) return u.error();
    }
    return {};
  }
};

}  // namespace appliance::store
