// NAME
//   sql_queue.h - TenantQueue written once over the portable SQL of
//   queue_sql.h, for both backends.
//
// DESCRIPTION
//   A tenant supplies, besides look(fn) and change(fn) (sql_accounts.h):
//     change_with_blob(blob, fn)     one durable write job that stores the
//                                    blob (once per account and content) and
//                                    runs fn in the same commit;
//     read_blob(account, address, sink)  streams a blob, verified.
#pragma once

#include <fmt/format.h>

#include "store/queue.h"
#include "store/queue_sql.h"

namespace appliance::store {

template <class Tenant, class Db, class Bytes>
class SqlQueue final : public TenantQueue {
 public:
  explicit SqlQueue(Tenant& tenant) : tenant_(tenant) {}

  Result<QueueEntry> enqueue(std::unique_ptr<BlobWriter> blob, const NewQueueEntry& e) override {
    if (!blob || blob->account() != e.account)
      return make_error("the blob was written for another account");
    if (e.recipients.empty()) return make_error("a queue entry needs a recipient");
    if (!e.dsn.empty() && e.dsn.size() != e.recipients.size())
      return make_error("a queue entry's DSN options must be one per recipient");
    if (!blob->finished())
      if (auto r = blob->finish(); !r) return r.error();
    QueueEntry out;
    blob->release_intent();
    auto r = tenant_.change_with_blob(*blob, [&](Db& db) -> Result<void> {
      auto n = for_rows(
          db, [&](const auto& row) { out.id = row.int64(0); }, sql::kEnqueue, e.account,
          Bytes{blob->id()}, blob->size(), e.sender, e.created, std::int64_t{e.held ? 1 : 0}, e.ret,
          e.envid);
      if (!n) return n.error();
      if (!e.notice)
        if (auto c = count_sending(db, e); !c) return c;
      for (std::size_t i = 0; i < e.recipients.size(); ++i) {
        RecipientDsn dsn = e.dsn.empty() ? RecipientDsn{} : e.dsn[i];
        if (auto q = for_rows(db, none, sql::kEnqueueRecipient, out.id, std::uint64_t{i},
                              e.recipients[i], dsn.notify, dsn.orcpt);
            !q)
          return q.error();
      }
      return {};
    });
    if (!r) return r.error();
    auto stored = entry(out.id);
    if (!stored) return stored.error();
    if (!*stored) return make_error(fmt::format("queue entry {} vanished", out.id));
    return std::move(**stored);
  }

  // In the enqueue's transaction: the message and its recipients in the
  // account's hour; its first message of an hour drops its hours past keeping.
  static Result<void> count_sending(Db& db, const NewQueueEntry& e) {
    std::int64_t in_hour = 0;
    if (auto c = for_rows(
            db, [&](const auto& row) { in_hour = row.int64(0); }, sql::kCountSending, e.account,
            e.created / 3600, std::uint64_t{e.recipients.size()});
        !c)
      return c.error();
    if (in_hour == 1)
      if (auto f = for_rows(db, none, sql::kForgetSending, e.account,
                            e.created / 3600 - kSendingHoursKept);
          !f)
        return f.error();
    return {};
  }

  Result<std::vector<QueueEntry>> entries() override {
    return select(fmt::format("SELECT {} FROM queue ORDER BY id", sql::kQueueColumns));
  }
  Result<std::optional<QueueEntry>> entry(QueueId id) override {
    auto found = select(fmt::format("SELECT {} FROM queue WHERE id = $1", sql::kQueueColumns), id);
    if (!found) return found.error();
    if (found->empty()) return std::optional<QueueEntry>();
    return std::optional<QueueEntry>(std::move(found->front()));
  }
  Result<std::vector<QueueEntry>> due(std::int64_t now, std::size_t limit) override {
    return select(fmt::format("SELECT {} FROM queue WHERE held = 0 AND next_attempt <= $1 "
                              "ORDER BY next_attempt, id LIMIT $2",
                              sql::kQueueColumns),
                  now, std::uint64_t{limit});
  }
  Result<void> read(const QueueEntry& e, const Sink& sink) override {
    return tenant_.read_blob(e.account, e.blob, sink);
  }

  Result<void> record_attempt(QueueId id, const std::vector<QueuedRecipient>& results,
                              std::int64_t now, std::int64_t next_attempt) override {
    return tenant_.change([&](Db& db) -> Result<void> {
      auto n = for_rows(db, none, sql::kQueueAttempt, id, now, next_attempt);
      if (!n) return n.error();
      if (*n == 0) return make_error(fmt::format("no queue entry {}", id));
      for (const auto& q : results)
        if (auto r =
                for_rows(db, none, sql::kQueueRecipientResult, id, q.address, to_string(q.state),
                         q.reply, q.host, q.tls_policy, q.tls_version, now);
            !r)
          return r.error();
      return {};
    });
  }
  Result<bool> set_held(QueueId id, bool held) override {
    return changed(sql::kQueueHold, id, std::int64_t{held ? 1 : 0});
  }
  Result<std::vector<SendingHour>> sending(std::int64_t account, std::int64_t since_hour) override {
    std::vector<SendingHour> out;
    auto r = tenant_.look([&](Db& db) -> Result<void> {
      auto n = for_rows(
          db,
          [&](const auto& row) {
            out.push_back({row.int64(0), static_cast<std::uint64_t>(row.int64(1)),
                           static_cast<std::uint64_t>(row.int64(2))});
          },
          sql::kSending, account, since_hour);
      if (!n) return n.error();
      return {};
    });
    if (!r) return r.error();
    return out;
  }
  Result<bool> note_delay_notice(QueueId id) override {
    return changed(sql::kQueueDelayNotified, id);
  }
  Result<bool> reschedule(QueueId id, std::int64_t when) override {
    return changed(sql::kQueueReschedule, id, when);
  }
  Result<std::uint64_t> reschedule_all(std::int64_t when) override {
    std::uint64_t count = 0;
    auto r = tenant_.change([&](Db& db) -> Result<void> {
      auto n = for_rows(db, none, sql::kQueueRescheduleAll, when);
      if (!n) return n.error();
      count = *n;
      return {};
    });
    if (!r) return r.error();
    return count;
  }
  Result<bool> remove(QueueId id) override {
    bool found = false;
    auto r = tenant_.change([&](Db& db) -> Result<void> {
      if (auto d = for_rows(db, none, sql::kQueueDropRecipients, id); !d) return d.error();
      auto n = for_rows(db, none, sql::kQueueRemove, id);
      if (!n) return n.error();
      found = *n > 0;
      return {};
    });
    if (!r) return r.error();
    return found;
  }

 private:
  static constexpr auto none = [](const auto&) {};

  template <class... A>
  Result<std::vector<QueueEntry>> select(const std::string& statement, const A&... args) {
    std::vector<QueueEntry> out;
    auto r = tenant_.look([&](Db& db) -> Result<void> {
      auto n = for_rows(
          db, [&](const auto& row) { out.push_back(sql::queue_row(row)); }, statement, args...);
      if (!n) return n.error();
      for (auto& e : out) {
        auto m = for_rows(
            db, [&](const auto& row) { e.recipients.push_back(sql::queued_recipient_row(row)); },
            sql::kQueueRecipients, e.id);
        if (!m) return m.error();
      }
      return {};
    });
    if (!r) return r.error();
    return out;
  }
  template <class... A>
  Result<bool> changed(std::string_view statement, const A&... args) {
    bool any = false;
    auto r = tenant_.change([&](Db& db) -> Result<void> {
      auto n = for_rows(db, none, statement, args...);
      if (!n) return n.error();
      any = *n > 0;
      return {};
    });
    if (!r) return r.error();
    return any;
  }

  Tenant& tenant_;
};

}  // namespace appliance::store
