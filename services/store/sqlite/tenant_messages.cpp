// NAME
//   tenant_messages.cpp - appending, reading and flagging messages.
//
// DESCRIPTION
//   append() and append_all() are the durable write path: one WriteJob whose
//   blob phase stores the sealed chunks (once per account and content
//   address) and whose meta phase takes the next UIDs of the mailbox and
//   inserts the message rows (sql_mailbox_sync.h), so several messages are
//   stored together or not at all.
//   read() streams a blob chunk by chunk through BlobOpener, which checks
//   every chunk and, at the end, the content against its address.
#include <ctime>

#include <fmt/format.h>

#include "store/mailbox_sql.h"
#include "store/sqlite/tenant.h"

namespace appliance::store::sqlite {
namespace {

using sql::kMessageColumns;

// Phase 1 of append: the blob's row and chunks, unless this account has it already.
Result<void> store_blob(Database& db, const BlobWriter& blob) {
  auto q = db.query(
      "INSERT INTO blobs (account, address, header, size, stored, chunks, created) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) "
      "ON CONFLICT (account, address) DO NOTHING RETURNING ref",
      blob.account(), Bytes{blob.id()}, Bytes{blob.header()}, blob.size(), blob.stored_size(),
      blob.chunks(), static_cast<std::int64_t>(std::time(nullptr)));
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) {  // the same content is stored already: young again, so no gc takes it now
    auto touch = db.query("UPDATE blobs SET created = $3 WHERE account = $1 AND address = $2",
                          blob.account(), Bytes{blob.id()},
                          static_cast<std::int64_t>(std::time(nullptr)));
    if (!touch) return touch.error();
    return touch->run();
  }
  Id ref = q->int64(0);
  if (auto r = q->run(); !r) return r;
  return blob.for_each_chunk([&](std::uint64_t seq, std::string_view sealed) -> Result<void> {
    auto one = db.query("INSERT INTO chunks (blob, seq, data) VALUES ($1, $2, $3)", ref, seq,
                        Bytes{sealed});
    if (!one) return one.error();
    return one->run();
  });
}

// Before messages leave a mailbox: their expunge records take the new modseq.
Result<void> bump_modseq(Database& db, Id account, Id mailbox) {
  auto mb = db.query("UPDATE mailboxes SET modseq = modseq + 1 WHERE id = $1 AND account = $2",
                     mailbox, account);
  if (!mb) return mb.error();
  return mb->run();
}

}  // namespace

Message message_row(const Statement& q) {
  return sql::message_of(q);
}

Result<std::unique_ptr<BlobWriter>> SqliteTenant::new_blob(Id account) {
  auto db = reader();
  if (!db) return db.error();
  auto keys = keys_for(**db, account);
  if (!keys) return keys.error();
  auto writer = BlobWriter::start(account, *keys, options_.dir / "tmp");
  if (writer) (*writer)->hold(commit_->intend());
  return writer;
}

Result<Message> SqliteTenant::append(std::unique_ptr<BlobWriter> blob, const NewMessage& m) {
  std::vector<std::unique_ptr<BlobWriter>> blobs;
  blobs.push_back(std::move(blob));
  auto out = append_messages(std::move(blobs), {m}, false);
  if (!out) return out.error();
  return std::move(out->messages.front());
}

Result<Appended> SqliteTenant::append_all(std::vector<std::unique_ptr<BlobWriter>> blobs,
                                          const std::vector<NewMessage>& messages) {
  return append_messages(std::move(blobs), messages, true);
}

// The summary sealed under the account's key, bound to the blob; empty stays empty.
Result<std::string> SqliteTenant::sealed_summary(const BlobWriter& blob, const NewMessage& m) {
  if (m.summary.empty()) return std::string();
  auto db = reader();
  if (!db) return db.error();
  auto keys = keys_for(**db, m.account);
  if (!keys) return keys.error();
  return seal_value(**keys, m.summary, summary_aad(m.account, blob.id()));
}

// One write job: every blob in phase 1, every message row (and the quota
// check) in phase 2; a failure in phase 2 leaves only blobs no message names.
Result<Appended> SqliteTenant::append_messages(std::vector<std::unique_ptr<BlobWriter>> blobs,
                                               const std::vector<NewMessage>& messages,
                                               bool check_quota) {
  auto summaries = ready(blobs, messages);
  if (!summaries) return summaries.error();
  Appended out;
  WriteJob job;
  job.blobs = [&](Database& db) -> Result<void> {
    for (const auto& b : blobs)
      if (auto r = store_blob(db, *b); !r) return r;
    return {};
  };
  job.meta = [&](Database& db) -> Result<void> {
    out = {};
    auto rows = insert_messages(db, blobs, messages, *summaries);
    if (!rows) return rows.error();
    out.messages = std::move(*rows);
    if (!check_quota) return {};
    return within_quota(db, messages.front().account, out.over_quota);
  };
  for (auto& b : blobs) b->release_intent();
  auto r = write(job);
  if (!r && out.over_quota) return Appended{{}, true};
  if (!r) return r.error();
  return out;
}

Result<void> SqliteTenant::change_with_blob(const BlobWriter& blob,
                                            const std::function<Result<void>(Database&)>& fn) {
  WriteJob job;
  job.blobs = [&](Database& db) { return store_blob(db, blob); };
  job.meta = fn;
  return write(job);
}

Result<void> SqliteTenant::read_blob(Id account, std::string_view address, const Sink& sink) {
  auto db = reader();
  if (!db) return db.error();
  return open_blob(**db, account, address, sink);
}

Result<Message> SqliteTenant::message(Id account, Id message) {
  auto db = reader();
  if (!db) return db.error();
  auto q = (*db)->query(
      fmt::format("SELECT {} FROM messages WHERE id = $1 AND account = $2", kMessageColumns),
      message, account);
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return make_error(fmt::format("account {} has no message {}", account, message));
  return message_row(*q);
}

Result<std::vector<Message>> SqliteTenant::messages(Id account, Id mailbox) {
  auto db = reader();
  if (!db) return db.error();
  auto q = (*db)->query(fmt::format("SELECT {} FROM messages WHERE account = $1 AND mailbox = $2 "
                                    "ORDER BY uid",
                                    kMessageColumns),
                        account, mailbox);
  if (!q) return q.error();
  std::vector<Message> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(message_row(*q));
  }
}

Result<void> SqliteTenant::read(Id account, Id message_id, const Sink& sink) {
  auto m = message(account, message_id);
  if (!m) return m.error();
  auto db = reader();
  if (!db) return db.error();
  return open_blob(**db, account, m->blob, sink);
}

Result<void> SqliteTenant::open_blob(Database& db, Id account, std::string_view address,
                                     const Sink& sink) {
  auto keys = keys_for(db, account);
  if (!keys) return keys.error();
  std::string where =
      fmt::format("{}: blob {}", (options_.dir / "blobs.db").string(), crypto::hex(address));
  auto b =
      db.query("SELECT ref, header, size, chunks FROM b.blobs WHERE account = $1 AND address = $2",
               account, Bytes{address});
  if (!b) return b.error();
  auto row = b->step();
  if (!row) return row.error();
  if (!*row) return make_error(where + ": missing");
  Id ref = b->int64(0);
  std::int64_t chunks = b->int64(3);
  auto opener =
      BlobOpener::start(**keys, b->bytes(1), address, static_cast<std::uint64_t>(b->int64(2)));
  if (!opener) return make_error(fmt::format("{}: {}", where, opener.message()));
  auto c = db.query("SELECT seq, data FROM b.chunks WHERE blob = $1 ORDER BY seq", ref);
  if (!c) return c.error();
  for (std::int64_t expect = 0;; ++expect) {
    auto more = c->step();
    if (!more) return more.error();
    if (!*more) break;
    if (c->int64(0) != expect)
      return make_error(fmt::format("{}: chunk {} is missing", where, expect));
    if (auto r = opener->chunk(c->bytes(1), expect + 1 == chunks, sink); !r)
      return make_error(fmt::format("{}: {}", where, r.message()));
  }
  if (auto r = opener->finish(); !r) return make_error(fmt::format("{}: {}", where, r.message()));
  return {};
}

Result<std::string> SqliteTenant::summary(Id account, Id message) {
  auto db = reader();
  if (!db) return db.error();
  auto q = (*db)->query("SELECT blob, summary FROM messages WHERE id = $1 AND account = $2",
                        message, account);
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return make_error(fmt::format("account {} has no message {}", account, message));
  if (q->null(1) || q->bytes(1).empty()) return std::string();
  auto keys = keys_for(**db, account);
  if (!keys) return keys.error();
  return open_value(**keys, q->bytes(1), summary_aad(account, q->bytes(0)));
}

Result<std::uint32_t> SqliteTenant::set_flags(Id account, Id message, std::uint32_t add,
                                              std::uint32_t remove) {
  std::uint32_t out = 0;
  WriteJob job;
  job.meta = [&](Database& db) -> Result<void> {
    auto q = db.query(
        "UPDATE messages SET flags = (flags | $3) & ~$4, modseq = "
        "(SELECT modseq + 1 FROM mailboxes WHERE id = messages.mailbox) "
        "WHERE id = $1 AND account = $2 RETURNING flags, mailbox, modseq",
        message, account, add, remove);
    if (!q) return q.error();
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return make_error(fmt::format("account {} has no message {}", account, message));
    out = static_cast<std::uint32_t>(q->int64(0));
    Id mailbox = q->int64(1), modseq = q->int64(2);
    if (auto r = q->run(); !r) return r;
    auto mb = db.query("UPDATE mailboxes SET modseq = $2 WHERE id = $1", mailbox, modseq);
    if (!mb) return mb.error();
    return mb->run();
  };
  if (auto r = write(job); !r) return r.error();
  return out;
}

Result<std::uint64_t> SqliteTenant::expunge(Id account, Id mailbox) {
  std::uint64_t count = 0;
  WriteJob job;
  job.meta = [&](Database& db) -> Result<void> {
    if (auto r = bump_modseq(db, account, mailbox); !r) return r;
    auto q = db.query(
        "DELETE FROM messages WHERE account = $1 AND mailbox = $2 AND "
        "(flags & $3) != 0 RETURNING id",
        account, mailbox, std::uint32_t{kDeleted});
    if (!q) return q.error();
    for (;;) {
      auto row = q->step();
      if (!row) return row.error();
      if (!*row) return {};
      ++count;
    }
  };
  if (auto r = write(job); !r) return r.error();
  return count;
}

Result<std::uint64_t> SqliteTenant::remove(Id account, Id mailbox,
                                           const std::vector<std::uint32_t>& uids) {
  std::uint64_t count = 0;
  WriteJob job;
  job.meta = [&](Database& db) -> Result<void> {
    count = 0;
    if (auto r = bump_modseq(db, account, mailbox); !r) return r;
    for (std::uint32_t uid : uids) {
      auto q = db.query(
          "DELETE FROM messages WHERE account = $1 AND mailbox = $2 AND uid = $3 RETURNING id",
          account, mailbox, uid);
      if (!q) return q.error();
      auto row = q->step();
      if (!row) return row.error();
      if (*row) ++count;
      if (auto r = q->run(); !r) return r;
    }
    return {};
  };
  if (auto r = write(job); !r) return r.error();
  return count;
}

}  // namespace appliance::store::sqlite
