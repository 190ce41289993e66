// NAME
//   tenant_mailboxes.cpp - mailbox access on PostgreSQL: rename, delete,
//   subscriptions, counts, flags, copy/move and expunge by UID range.
//
// DESCRIPTION
//   The SQL is shared with SQLite (store/mailbox_sql.h); here each change is
//   one job of the group commit, each read one query on a pooled connection.
#include <fmt/format.h>

#include <algorithm>

#include "store/mailbox_sql.h"
#include "store/postgres/tenant.h"

namespace appliance::store::postgres {
namespace {

Error no_mailbox(Id account, Id mailbox) {
  return make_error(fmt::format("account {} has no mailbox {}", account, mailbox));
}

// The mailbox's next modseq, which also proves the mailbox is the account's.
Result<std::int64_t> next_modseq(Connection& c, Id account, Id mailbox) {
  auto q = c.query(sql::kNextModseq, account, mailbox);
  if (!q) return q.error();
  if (q->empty()) return no_mailbox(account, mailbox);
  return q->int64(0, 0);
}

std::vector<Message> sorted_messages(const Rows& rows) {
  std::vector<Message> out;
  for (int i = 0; i < rows.size(); ++i) out.push_back(message_row(rows, i));
  std::sort(out.begin(), out.end(),
            [](const Message& a, const Message& b) { return a.uid < b.uid; });
  return out;
}

}  // namespace

Result<Mailbox> PgTenant::rename_mailbox(Id account, Id mailbox, std::string_view name) {
  return write<Mailbox>([&](Connection& c) -> Result<Mailbox> {
    auto q = c.query(sql::kRenameMailbox, account, mailbox, name);
    if (!q) return q.error();
    if (q->empty()) return no_mailbox(account, mailbox);
    return mailbox_row(*q, 0);
  });
}

Result<void> PgTenant::delete_mailbox(Id account, Id mailbox) {
  auto r = write<bool>([&](Connection& c) -> Result<bool> {
    if (auto m = c.query(sql::kDeleteMailboxMessages, account, mailbox); !m) return m.error();
    auto q = c.query(sql::kDeleteMailbox, account, mailbox);
    if (!q) return q.error();
    if (q->empty()) return no_mailbox(account, mailbox);
    return true;
  });
  if (!r) return r.error();
  return {};
}

Result<void> PgTenant::subscribe(Id account, std::string_view name, bool subscribed) {
  auto r = write<bool>([&](Connection& c) -> Result<bool> {
    auto q = c.query(subscribed ? sql::kSubscribe : sql::kUnsubscribe, account, name);
    if (!q) return q.error();
    return true;
  });
  if (!r) return r.error();
  return {};
}

Result<std::vector<std::string>> PgTenant::subscriptions(Id account) {
  auto c = reader();
  if (!c) return c.error();
  auto q = (*c)->query(sql::kSubscriptions, account);
  if (!q) return q.error();
  std::vector<std::string> out;
  for (int i = 0; i < q->size(); ++i) out.push_back(q->text(i, 0));
  return out;
}

Result<std::vector<Message>> PgTenant::messages(Id account, Id mailbox,
                                                const std::vector<UidRange>& uids) {
  auto c = reader();
  if (!c) return c.error();
  auto q = (*c)->query(sql::messages_in(uids), account, mailbox);
  if (!q) return q.error();
  return sorted_messages(*q);
}

Result<MailboxCounts> PgTenant::counts(Id account, Id mailbox) {
  auto c = reader();
  if (!c) return c.error();
  auto q = (*c)->query(sql::kCounts, account, mailbox);
  if (!q) return q.error();
  auto n = [&](int col) { return static_cast<std::uint64_t>(q->int64(0, col)); };
  return MailboxCounts{n(0), n(1), n(2), n(3)};
}

Result<std::vector<Message>> PgTenant::store_flags(Id account, Id mailbox,
                                                   const std::vector<UidRange>& uids,
                                                   std::uint32_t add, std::uint32_t remove) {
  return write<std::vector<Message>>([&](Connection& c) -> Result<std::vector<Message>> {
    auto modseq = next_modseq(c, account, mailbox);
    if (!modseq) return modseq.error();
    auto q = c.query(sql::store_flags(uids), account, mailbox, add, remove, *modseq);
    if (!q) return q.error();
    return sorted_messages(*q);
  });
}

Result<std::vector<Message>> PgTenant::store_keywords(Id account, Id mailbox,
                                                      const std::vector<UidRange>& uids,
                                                      const std::vector<std::string>& add,
                                                      const std::vector<std::string>& remove,
                                                      bool replace) {
  return write<std::vector<Message>>([&](Connection& c) -> Result<std::vector<Message>> {
    auto modseq = next_modseq(c, account, mailbox);
    if (!modseq) return modseq.error();
    auto q = c.query(sql::keywords_in(uids), account, mailbox);
    if (!q) return q.error();
    for (int i = 0; i < q->size(); ++i) {
      std::string now = q->text(i, 1), next = sql::merge_keywords(now, add, remove, replace);
      if (next == now) continue;
      if (auto u = c.query(sql::kSetKeywords, q->int64(i, 0), next, *modseq); !u) return u.error();
    }
    auto all = c.query(sql::messages_in(uids), account, mailbox);
    if (!all) return all.error();
    return sorted_messages(*all);
  });
}

Result<Copied> PgTenant::copy_messages(Id account, Id from, const std::vector<UidRange>& uids,
                                       Id to, bool move) {
  bool refused = false;
  auto copied = write<Copied>([&](Connection& c) -> Result<Copied> {
    refused = false;
    auto source = c.query(sql::uids_in(uids), account, from);
    if (!source) return source.error();
    Copied out;
    for (int i = 0; i < source->size(); ++i)
      out.messages.push_back({static_cast<std::uint32_t>(source->int64(i, 0)), 0});
    if (out.messages.empty()) return out;
    auto take = c.query(sql::kTakeUids, account, to, std::int64_t(out.messages.size()));
    if (!take) return take.error();
    if (take->empty()) return no_mailbox(account, to);
    std::int64_t first = take->int64(0, 0), modseq = take->int64(0, 1);
    for (std::size_t i = 0; i < out.messages.size(); ++i)
      out.messages[i].uid = static_cast<std::uint32_t>(first + static_cast<std::int64_t>(i));
    if (auto q = c.query(sql::copy(uids), account, from, to, first, modseq); !q) return q.error();
    if (!move) {
      if (auto q = within_quota(c, account, refused); !q) return q.error();
      return out;
    }
    if (auto m = next_modseq(c, account, from); !m) return m.error();
    if (auto q = c.query(sql::remove(uids), account, from); !q) return q.error();
    return out;
  });
  if (!copied && refused) return Copied{{}, true};
  return copied;
}

Result<std::vector<std::uint32_t>> PgTenant::expunge_messages(Id account, Id mailbox,
                                                              const std::vector<UidRange>& uids) {
  using Uids = std::vector<std::uint32_t>;
  return write<Uids>([&](Connection& c) -> Result<Uids> {
    auto modseq = next_modseq(c, account, mailbox);
    if (!modseq) return modseq.error();
    auto q = c.query(sql::expunge(uids), account, mailbox, std::uint32_t{kDeleted});
    if (!q) return q.error();
    Uids out;
    for (int i = 0; i < q->size(); ++i) out.push_back(static_cast<std::uint32_t>(q->int64(i, 0)));
    std::sort(out.begin(), out.end());
    return out;
  });
}

}  // namespace appliance::store::postgres
