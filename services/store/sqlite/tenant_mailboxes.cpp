// NAME
//   tenant_mailboxes.cpp - mailbox access on SQLite: rename, delete,
//   subscriptions, counts, flags, copy/move and expunge by UID range.
//
// DESCRIPTION
//   The SQL is shared with PostgreSQL (store/mailbox_sql.h); here it runs
//   through the group commit (writes) or a pooled reader.
#include <fmt/format.h>

#include <algorithm>

#include "store/mailbox_sql.h"
#include "store/sqlite/tenant.h"

namespace appliance::store::sqlite {
namespace {

// Steps q to its end, calling each(q) for every row.
template <class F>
Result<void> rows(Result<Statement>& q, F each) {
  if (!q) return q.error();
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return {};
    each(*q);
  }
}

Error no_mailbox(Id account, Id mailbox) {
  return make_error(fmt::format("account {} has no mailbox {}", account, mailbox));
}

// The mailbox's next modseq, which also proves the mailbox is the account's.
Result<std::int64_t> next_modseq(Database& db, Id account, Id mailbox) {
  auto q = db.query(sql::kNextModseq, account, mailbox);
  std::optional<std::int64_t> modseq;
  if (auto r = rows(q, [&](const Statement& s) { modseq = s.int64(0); }); !r) return r.error();
  if (!modseq) return no_mailbox(account, mailbox);
  return *modseq;
}

}  // namespace

Result<Mailbox> SqliteTenant::rename_mailbox(Id account, Id mailbox, std::string_view name) {
  std::optional<Mailbox> out;
  WriteJob job;
  job.meta = [&](Database& db) -> Result<void> {
    auto q = db.query(sql::kRenameMailbox, account, mailbox, name);
    return rows(q, [&](const Statement& s) {
      out = sql::mailbox_of(s);
    });
  };
  if (auto r = write(job); !r) return r.error();
  if (!out) return no_mailbox(account, mailbox);
  return *out;
}

Result<void> SqliteTenant::delete_mailbox(Id account, Id mailbox) {
  bool found = false;
  WriteJob job;
  job.meta = [&](Database& db) -> Result<void> {
    auto m = db.query(sql::kDeleteMailboxMessages, account, mailbox);
    if (auto r = rows(m, [](const Statement&) {}); !r) return r;
    auto q = db.query(sql::kDeleteMailbox, account, mailbox);
    return rows(q, [&](const Statement&) { found = true; });
  };
  if (auto r = write(job); !r) return r;
  if (!found) return no_mailbox(account, mailbox);
  return {};
}

Result<void> SqliteTenant::subscribe(Id account, std::string_view name, bool subscribed) {
  WriteJob job;
  job.meta = [&](Database& db) -> Result<void> {
    auto q = db.query(subscribed ? sql::kSubscribe : sql::kUnsubscribe, account, name);
    return rows(q, [](const Statement&) {});
  };
  return write(job);
}

Result<std::vector<std::string>> SqliteTenant::subscriptions(Id account) {
  auto db = reader();
  if (!db) return db.error();
  std::vector<std::string> out;
  auto q = (*db)->query(sql::kSubscriptions, account);
  if (auto r = rows(q, [&](const Statement& s) { out.push_back(s.text(0)); }); !r) return r.error();
  return out;
}

Result<std::vector<Message>> SqliteTenant::messages(Id account, Id mailbox,
                                                    const std::vector<UidRange>& uids) {
  auto db = reader();
  if (!db) return db.error();
  std::vector<Message> out;
  auto q = (*db)->query(sql::messages_in(uids), account, mailbox);
  if (auto r = rows(q, [&](const Statement& s) { out.push_back(message_row(s)); }); !r)
    return r.error();
  return out;
}

Result<MailboxCounts> SqliteTenant::counts(Id account, Id mailbox) {
  auto db = reader();
  if (!db) return db.error();
  MailboxCounts out;
  auto q = (*db)->query(sql::kCounts, account, mailbox);
  auto r = rows(q, [&](const Statement& s) {
    out = {static_cast<std::uint64_t>(s.int64(0)), static_cast<std::uint64_t>(s.int64(1)),
           static_cast<std::uint64_t>(s.int64(2)), static_cast<std::uint64_t>(s.int64(3))};
  });
  if (!r) return r.error();
  return out;
}

Result<std::vector<Message>> SqliteTenant::store_flags(Id account, Id mailbox,
                                                       const std::vector<UidRange>& uids,
                                                       std::uint32_t add, std::uint32_t remove) {
  std::vector<Message> out;
  WriteJob job;
  job.meta = [&](Database& db) -> Result<void> {
    out.clear();
    auto modseq = next_modseq(db, account, mailbox);
    if (!modseq) return modseq.error();
    auto q = db.query(sql::store_flags(uids), account, mailbox, add, remove, *modseq);
    return rows(q, [&](const Statement& s) { out.push_back(message_row(s)); });
  };
  if (auto r = write(job); !r) return r.error();
  std::sort(out.begin(), out.end(),
            [](const Message& a, const Message& b) { return a.uid < b.uid; });
  return out;
}

Result<std::vector<Message>> SqliteTenant::store_keywords(Id account, Id mailbox,
                                                          const std::vector<UidRange>& uids,
                                                          const std::vector<std::string>& add,
                                                          const std::vector<std::string>& remove,
                                                          bool replace) {
  std::vector<Message> out;
  WriteJob job;
  job.meta = [&](Database& db) -> Result<void> {
    out.clear();
    auto modseq = next_modseq(db, account, mailbox);
    if (!modseq) return modseq.error();
    std::vector<std::pair<Id, std::string>> changed;
    auto q = db.query(sql::keywords_in(uids), account, mailbox);
    auto r = rows(q, [&](const Statement& s) {
      std::string now = s.text(1), next = sql::merge_keywords(now, add, remove, replace);
      if (next != now) changed.emplace_back(s.int64(0), std::move(next));
    });
    if (!r) return r;
    for (const auto& [id, keywords] : changed) {
      auto u = db.query(sql::kSetKeywords, id, keywords, *modseq);
      if (r = rows(u, [](const Statement&) {}); !r) return r;
    }
    auto all = db.query(sql::messages_in(uids), account, mailbox);
    return rows(all, [&](const Statement& s) { out.push_back(message_row(s)); });
  };
  if (auto r = write(job); !r) return r.error();
  return out;
}

Result<Copied> SqliteTenant::copy_messages(Id account, Id from, const std::vector<UidRange>& uids,
                                           Id to, bool move) {
  Copied out;
  WriteJob job;
  job.meta = [&](Database& db) -> Result<void> {
    out = {};
    auto source = db.query(sql::uids_in(uids), account, from);
    auto r = rows(source, [&](const Statement& s) {
      out.messages.push_back({static_cast<std::uint32_t>(s.int64(0)), 0});
    });
    if (!r || out.messages.empty()) return r;
    auto take = db.query(sql::kTakeUids, account, to, std::int64_t(out.messages.size()));
    std::optional<std::pair<std::int64_t, std::int64_t>> first;
    r = rows(take, [&](const Statement& s) { first = {s.int64(0), s.int64(1)}; });
    if (!r) return r;
    if (!first) return no_mailbox(account, to);
    for (std::size_t i = 0; i < out.messages.size(); ++i)
      out.messages[i].uid = static_cast<std::uint32_t>(first->first + static_cast<std::int64_t>(i));
    auto copy = db.query(sql::copy(uids), account, from, to, first->first, first->second);
    if (r = rows(copy, [](const Statement&) {}); !r) return r;
    if (!move) return within_quota(db, account, out.over_quota);
    auto modseq = next_modseq(db, account, from);
    if (!modseq) return modseq.error();
    auto gone = db.query(sql::remove(uids), account, from);
    return rows(gone, [](const Statement&) {});
  };
  auto r = write(job);
  if (!r && out.over_quota) return Copied{{}, true};
  if (!r) return r.error();
  return out;
}

Result<std::vector<std::uint32_t>> SqliteTenant::expunge_messages(
    Id account, Id mailbox, const std::vector<UidRange>& uids) {
  std::vector<std::uint32_t> out;
  WriteJob job;
  job.meta = [&](Database& db) -> Result<void> {
    out.clear();
    auto modseq = next_modseq(db, account, mailbox);
    if (!modseq) return modseq.error();
    auto q = db.query(sql::expunge(uids), account, mailbox, std::uint32_t{kDeleted});
    return rows(q,
                [&](const Statement& s) { out.push_back(static_cast<std::uint32_t>(s.int64(0))); });
  };
  if (auto r = write(job); !r) return r.error();
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace appliance::store::sqlite
