// NAME
//   tenant_messages.cpp - appending, reading and flagging messages.
//
// DESCRIPTION
//   append() is the durable write path: one WriteJob, in the batch's
//   transaction, that stores the blob (once per account and content address)
//   and the message row with the mailbox's next UID; append_all() stores
//   several in one job, all or none. A blob held in memory
//   (most mail) goes in the same statement as its message; a spilled one is
//   copied from its spool file one chunk per INSERT, never whole. read() fetches one chunk per
//   query inside one REPEATABLE READ transaction (a stable snapshot, never the whole blob in
//   memory) and streams it through BlobOpener, which checks every chunk and, at the end, the
//   content against its address.
#include <ctime>

#include <fmt/format.h>

#include "store/mailbox_sql.h"
#include "store/postgres/tenant.h"

namespace appliance::store::postgres {
namespace {

using sql::kMessageColumns;

// Before messages leave a mailbox: their expunge records take the new modseq.
Result<void> bump_modseq(Connection& c, Id account, Id mailbox) {
  auto mb = c.query("UPDATE mailboxes SET modseq = modseq + 1 WHERE id = $1 AND account = $2",
                    mailbox, account);
  if (!mb) return mb.error();
  return {};
}

// The blob's row and chunks, unless this account has it already. Then its
// row is made young again, and locked until the commit: a gc in another
// process deletes only old orphans, and waits for the lock, then sees the
// new age. A blob such a gc removed between the two statements is stored
// afresh (each statement sees what committed before it).
Result<void> store_blob(Connection& c, const BlobWriter& blob) {
  auto now = static_cast<std::int64_t>(std::time(nullptr));
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto q = c.query(
        "INSERT INTO blobs (account, address, header, size, stored, chunks, created) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT (account, address) DO NOTHING RETURNING ref",
        blob.account(), Bytes{blob.id()}, Bytes{blob.header()}, blob.size(), blob.stored_size(),
        blob.chunks(), now);
    if (!q) return q.error();
    if (q->empty()) {  // the same content is stored already
      auto touched = c.query(
          "UPDATE blobs SET created = $3 WHERE account = $1 AND address = $2 RETURNING ref",
          blob.account(), Bytes{blob.id()}, now);
      if (!touched) return touched.error();
      if (!touched->empty()) return {};
      continue;
    }
    Id ref = q->int64(0, 0);
    return blob.for_each_chunk([&](std::uint64_t seq, std::string_view sealed) -> Result<void> {
      auto one = c.query("INSERT INTO chunks (blob, seq, data) VALUES ($1, $2, $3)", ref, seq,
                         Bytes{sealed});
      if (!one) return one.error();
      return {};
    });
  }
  return make_error("a stored blob was removed while its content was stored again");
}

// The common case, a blob whose sealed chunks are in memory (up to 1 MiB):
// blob, chunks, next UID and message row in one statement, so that a batch
// of them is one pipeline. PostgreSQL runs every data-modifying WITH part,
// read or not. A mailbox that is not the account's leaves `mb` empty, uid
// NULL, and the statement fails (NOT NULL) rather than store a lone blob.
// Content stored already is made young again as store_blob() does (`t`);
// when its row is in neither `b` nor `t` (a gc removed it, or another
// writer's copy committed after this statement began), `held` is empty, the
// blob NULL, and the statement fails: the batch runs again in order.
Result<Statement> append_in_one(const BlobWriter& blob, const NewMessage& m,
                                const std::string& summary) {
  BytesArray chunks;
  auto all = blob.for_each_chunk([&](std::uint64_t, std::string_view sealed) -> Result<void> {
    chunks.items.push_back(sealed);  // views into the writer's memory, copied into the statement
    return {};
  });
  if (!all) return all.error();
  return statement(
      fmt::format(
          "WITH b AS (INSERT INTO blobs (account, address, header, size, stored, chunks, created) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7) "
          "ON CONFLICT (account, address) DO NOTHING RETURNING ref), "
          "t AS (UPDATE blobs SET created = $7 WHERE account = $1 AND address = $2 "
          "AND NOT EXISTS (SELECT 1 FROM b) RETURNING ref), "
          "held AS (SELECT $2::bytea AS address "
          "WHERE EXISTS (SELECT 1 FROM b) OR EXISTS (SELECT 1 FROM t)), "
          "c AS (INSERT INTO chunks (blob, seq, data) SELECT b.ref, u.n - 1, u.data "
          "FROM b, unnest($8::bytea[]) WITH ORDINALITY AS u(data, n)), "
          "mb AS (UPDATE mailboxes SET uidnext = uidnext + 1, modseq = modseq + 1 "
          "WHERE id = $9 AND account = $1 RETURNING uidnext - 1 AS uid, modseq) "
          "INSERT INTO messages (account, mailbox, uid, blob, size, internal_date, flags, "
          "modseq, summary, keywords) SELECT $1, $9, mb.uid, held.address, $4, $10, $11, "
          "mb.modseq, $12, $13 FROM (SELECT 1) one LEFT JOIN mb ON true LEFT JOIN held ON true "
          "RETURNING {}",
          kMessageColumns),
      blob.account(), Bytes{blob.id()}, Bytes{blob.header()}, blob.size(), blob.stored_size(),
      blob.chunks(), static_cast<std::int64_t>(std::time(nullptr)), chunks, m.mailbox,
      m.internal_date, m.flags, summary.empty() ? Bytes{} : Bytes{summary},
      sql::merge_keywords("", m.keywords, {}, false));
}

}  // namespace

Message message_row(const Rows& r, int row) {
  return sql::message_of(RowView{r, row});
}

Result<std::unique_ptr<BlobWriter>> PgTenant::new_blob(Id account) {
  if (auto d = damaged(); !d) return d.error();
  auto keys = keys_for(account);
  if (!keys) return keys.error();
  auto writer = BlobWriter::start(account, *keys, options_.spool_dir);
  if (writer) (*writer)->hold(commit_->intend());  // a leader waits for it (group_commit.h)
  return writer;
}

// The summary sealed under the account's key, bound to the blob; empty stays empty.
Result<std::string> PgTenant::sealed_summary(const BlobWriter& blob, const NewMessage& m) {
  if (m.summary.empty()) return std::string();
  auto keys = keys_for(m.account);
  if (!keys) return keys.error();
  return seal_value(**keys, m.summary, summary_aad(m.account, blob.id()));
}

Result<Message> PgTenant::append(std::unique_ptr<BlobWriter> blob, const NewMessage& m) {
  std::vector<std::unique_ptr<BlobWriter>> blobs;
  blobs.push_back(std::move(blob));
  auto summaries = ready(blobs, {m});
  if (!summaries) return summaries.error();
  const std::string& summary = summaries->front();
  // In order (and when a batch is retried): blob, then message, each
  // naming its own fault. In a pipeline: one statement, if it is in memory.
  auto in_order = [&](Connection& c) -> Result<Message> {
    if (auto r = store_blob(c, *blobs[0]); !r) return r.error();
    auto rows = insert_messages(c, blobs, {&m, 1}, *summaries);
    if (!rows) return rows.error();
    return std::move(rows->front());
  };
  if (blobs[0]->spilled()) {
    blobs[0]->release_intent();
    return write<Message>(in_order);
  }
  auto one = append_in_one(*blobs[0], m, summary);
  if (!one) return one.error();
  blobs[0]->release_intent();
  return write<Message>(in_order, &*one,
                        [](const Rows& rows) -> Result<Message> { return message_row(rows, 0); });
}

// Every blob, then every row, then the quota, in one write job: a failure
// anywhere rolls all of it back.
Result<Appended> PgTenant::append_all(std::vector<std::unique_ptr<BlobWriter>> blobs,
                                      const std::vector<NewMessage>& messages) {
  auto summaries = ready(blobs, messages);
  if (!summaries) return summaries.error();
  for (auto& b : blobs) b->release_intent();
  bool refused = false;
  using Stored = std::vector<Message>;
  auto stored = write<Stored>([&](Connection& c) -> Result<Stored> {
    refused = false;
    for (const auto& b : blobs)
      if (auto r = store_blob(c, *b); !r) return r.error();
    auto rows = insert_messages(c, blobs, messages, *summaries);
    if (!rows) return rows.error();
    if (auto q = within_quota(c, messages.front().account, refused); !q) return q.error();
    return rows;
  });
  if (!stored && refused) return Appended{{}, true};
  if (!stored) return stored.error();
  return Appended{std::move(*stored), false};
}

Result<Message> PgTenant::message(Id account, Id message) {
  auto c = reader();
  if (!c) return c.error();
  auto q = (*c)->query(
      fmt::format("SELECT {} FROM messages WHERE id = $1 AND account = $2", kMessageColumns),
      message, account);
  if (!q) return q.error();
  if (q->empty()) return make_error(fmt::format("account {} has no message {}", account, message));
  return message_row(*q, 0);
}

Result<std::vector<Message>> PgTenant::messages(Id account, Id mailbox) {
  auto c = reader();
  if (!c) return c.error();
  auto q = (*c)->query(fmt::format("SELECT {} FROM messages WHERE account = $1 AND mailbox = $2 "
                                   "ORDER BY uid",
                                   kMessageColumns),
                       account, mailbox);
  if (!q) return q.error();
  std::vector<Message> out;
  for (int i = 0; i < q->size(); ++i) out.push_back(message_row(*q, i));
  return out;
}

Result<void> PgTenant::read(Id account, Id message_id, const Sink& sink) {
  auto m = message(account, message_id);
  if (!m) return m.error();
  return read_blob(account, m->blob, sink);
}

Result<void> PgTenant::read_blob(Id account, std::string_view address, const Sink& sink) {
  auto c = reader();
  if (!c) return c.error();
  return transaction(
      **c, [&] { return open_blob(**c, account, address, sink); },
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

Result<void> PgTenant::change_with_blob(const BlobWriter& blob,
                                        const std::function<Result<void>(Connection&)>& fn) {
  WriteJob job;
  job.run = [&](Connection& c) -> Result<void> {
    if (auto r = store_blob(c, blob); !r) return r;
    return fn(c);
  };
  return write(job);
}

Result<void> PgTenant::open_blob(Connection& c, Id account, std::string_view address,
                                 const Sink& sink) {
  auto keys = keys_for(account);
  if (!keys) return keys.error();
  std::string where = fmt::format("{}: blob {}", c.where(), crypto::hex(address));
  auto b =
      c.query("SELECT ref, header, size, chunks FROM blobs WHERE account = $1 AND address = $2",
              account, Bytes{address});
  if (!b) return b.error();
  if (b->empty()) return make_error(where + ": missing");
  Id ref = b->int64(0, 0);
  std::int64_t chunks = b->int64(0, 3);
  auto opener = BlobOpener::start(**keys, b->bytes(0, 1), address,
                                  static_cast<std::uint64_t>(b->int64(0, 2)));
  if (!opener) return make_error(fmt::format("{}: {}", where, opener.message()));
  for (std::int64_t seq = 0; seq < chunks; ++seq) {
    auto one = c.query("SELECT data FROM chunks WHERE blob = $1 AND seq = $2", ref, seq);
    if (!one) return one.error();
    if (one->empty()) return make_error(fmt::format("{}: chunk {} is missing", where, seq));
    if (auto r = opener->chunk(one->bytes(0, 0), seq + 1 == chunks, sink); !r)
      return make_error(fmt::format("{}: {}", where, r.message()));
  }
  if (auto r = opener->finish(); !r) return make_error(fmt::format("{}: {}", where, r.message()));
  return {};
}

Result<std::string> PgTenant::summary(Id account, Id message) {
  auto c = reader();
  if (!c) return c.error();
  auto q = (*c)->query("SELECT blob, summary FROM messages WHERE id = $1 AND account = $2", message,
                       account);
  if (!q) return q.error();
  if (q->empty()) return make_error(fmt::format("account {} has no message {}", account, message));
  if (q->null(0, 1) || q->bytes(0, 1).empty()) return std::string();
  auto keys = keys_for(account);
  if (!keys) return keys.error();
  return open_value(**keys, q->bytes(0, 1), summary_aad(account, q->bytes(0, 0)));
}

Result<std::uint32_t> PgTenant::set_flags(Id account, Id message, std::uint32_t add,
                                          std::uint32_t remove) {
  return write<std::uint32_t>([&](Connection& c) -> Result<std::uint32_t> {
    auto q = c.query(
        "UPDATE messages SET flags = (flags | $3) & ~$4, modseq = "
        "(SELECT modseq + 1 FROM mailboxes WHERE id = messages.mailbox) "
        "WHERE id = $1 AND account = $2 RETURNING flags, mailbox, modseq",
        message, account, add, remove);
    if (!q) return q.error();
    if (q->empty())
      return make_error(fmt::format("account {} has no message {}", account, message));
    auto mb =
        c.query("UPDATE mailboxes SET modseq = $2 WHERE id = $1", q->int64(0, 1), q->int64(0, 2));
    if (!mb) return mb.error();
    return static_cast<std::uint32_t>(q->int64(0, 0));
  });
}

Result<std::uint64_t> PgTenant::expunge(Id account, Id mailbox) {
  return write<std::uint64_t>([&](Connection& c) -> Result<std::uint64_t> {
    if (auto b = bump_modseq(c, account, mailbox); !b) return b.error();
    auto q = c.query(
        "DELETE FROM messages WHERE account = $1 AND mailbox = $2 AND "
        "(flags & $3) != 0 RETURNING id",
        account, mailbox, std::uint32_t{kDeleted});
    if (!q) return q.error();
    return static_cast<std::uint64_t>(q->size());
  });
}

Result<std::uint64_t> PgTenant::remove(Id account, Id mailbox,
                                       const std::vector<std::uint32_t>& uids) {
  return write<std::uint64_t>([&](Connection& c) -> Result<std::uint64_t> {
    std::uint64_t count = 0;
    if (auto b = bump_modseq(c, account, mailbox); !b) return b.error();
    for (std::uint32_t uid : uids) {
      auto q = c.query(
          "DELETE FROM messages WHERE account = $1 AND mailbox = $2 AND uid = $3 RETURNING id",
          account, mailbox, uid);
      if (!q) return q.error();
      count += static_cast<std::uint64_t>(q->size());
    }
    return count;
  });
}

}  // namespace appliance::store::postgres
