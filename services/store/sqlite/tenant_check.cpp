// NAME
//   tenant_check.cpp - integrity check and garbage collection of one tenant.
//
// DESCRIPTION
//   check() reports, each naming the file and object: SQLite's integrity
//   check of both files, messages whose blob is missing, blobs with missing
//   chunks, data keys that no longer unwrap, and (open_every_blob) blobs that
//   do not open or do not match their address. Orphaned blobs (left by a
//   crash between the two commit phases, or by expunge) are counted, not
//   errors: collect_garbage() removes them.
#include <fmt/format.h>

#include "store/sqlite/tenant.h"

namespace appliance::store::sqlite {
namespace {

Result<std::uint64_t> count(Database& db, std::string_view sql) {
  auto q = db.query(sql);
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  return static_cast<std::uint64_t>(q->int64(0));
}

void integrity(Database& db, std::string_view schema, const std::filesystem::path& file,
               CheckReport& report) {
  auto q = db.query(fmt::format("PRAGMA {}.integrity_check(20)", schema));
  if (!q) return report.errors.push_back(q.message());
  for (;;) {
    auto row = q->step();
    if (!row) return report.errors.push_back(row.message());
    if (!*row) return;
    if (q->text(0) != "ok")
      report.errors.push_back(fmt::format("{}: {}", file.string(), q->text(0)));
  }
}

}  // namespace

Result<CheckReport> SqliteTenant::check(bool open_every_blob) {
  auto db = reader();
  if (!db) return db.error();
  CheckReport report;
  integrity(**db, "main", options_.dir / "meta.db", report);
  integrity(**db, "b", options_.dir / "blobs.db", report);
  if (!report.ok()) return report;  // the rest would read damaged pages
  check_counts(**db, report);
  check_links(**db, report);
  check_keys(**db, report, open_every_blob);
  return report;
}

void SqliteTenant::check_counts(Database& db, CheckReport& report) {
  auto accounts = count(db, "SELECT count(*) FROM accounts");
  auto messages = count(db, "SELECT count(*) FROM messages");
  auto blobs = count(db, "SELECT count(*) FROM b.blobs");
  auto orphans = count(db,
                       "SELECT count(*) FROM b.blobs bl WHERE NOT EXISTS (SELECT 1 FROM "
                       "messages m WHERE m.account = bl.account AND m.blob = bl.address) AND NOT EXISTS "
                       "(SELECT 1 FROM queue q WHERE q.account = bl.account AND q.blob = bl.address)");
  for (auto* r : {&accounts, &messages, &blobs, &orphans})
    if (!*r) report.errors.push_back(r->message());
  if (!report.ok()) return;
  report.accounts = *accounts, report.messages = *messages, report.blobs = *blobs;
  report.orphaned_blobs = *orphans;
}

void SqliteTenant::check_links(Database& db, CheckReport& report) {
  auto meta = options_.dir / "meta.db";
  auto blobs = options_.dir / "blobs.db";
  auto q = db.query(
      "SELECT m.id, m.blob FROM messages m WHERE NOT EXISTS (SELECT 1 FROM b.blobs "
      "bl WHERE bl.account = m.account AND bl.address = m.blob)");
  if (!q) return report.errors.push_back(q.message());
  while (auto row = q->step()) {
    if (!*row) break;
    report.errors.push_back(fmt::format("{}: message {} refers to blob {}, missing from {}",
                                        meta.string(), q->int64(0), crypto::hex(q->bytes(1)),
                                        blobs.string()));
  }
  auto c = db.query(
      "SELECT bl.ref, bl.address, bl.chunks, (SELECT count(*) FROM b.chunks c WHERE "
      "c.blob = bl.ref) AS n FROM b.blobs bl WHERE n != bl.chunks");
  if (!c) return report.errors.push_back(c.message());
  while (auto row = c->step()) {
    if (!*row) break;
    report.errors.push_back(fmt::format("{}: blob {} has {} of its {} chunks", blobs.string(),
                                        crypto::hex(c->bytes(1)), c->int64(3), c->int64(2)));
  }
}

void SqliteTenant::check_keys(Database& db, CheckReport& report, bool open_every_blob) {
  auto q = db.query("SELECT id, address FROM accounts ORDER BY id");
  if (!q) return report.errors.push_back(q.message());
  std::vector<std::pair<Id, std::string>> accounts;
  while (auto row = q->step()) {
    if (!*row) break;
    accounts.emplace_back(q->int64(0), q->text(1));
  }
  for (const auto& [id, address] : accounts) {
    if (auto k = keys_for(db, id); !k) {
      report.errors.push_back(fmt::format("{}: account {}: {}", (options_.dir / "meta.db").string(),
                                          address, k.message()));
      continue;
    }
    if (!open_every_blob) continue;
    auto b = db.query("SELECT address FROM b.blobs WHERE account = $1", id);
    if (!b) return report.errors.push_back(b.message());
    std::vector<std::string> addresses;
    while (auto row = b->step()) {
      if (!*row) break;
      addresses.emplace_back(b->bytes(0));
    }
    for (const auto& a : addresses)
      if (auto r = open_blob(db, id, a, [](std::string_view) -> Result<void> { return {}; }); !r)
        report.errors.push_back(r.message());
  }
}

Result<std::uint64_t> SqliteTenant::collect_garbage(std::chrono::seconds min_age) {
  if (auto d = damaged(); !d) return d.error();
  std::uint64_t removed = 0;
  Result<void> result;
  // Between batches: an append in flight may have found its blob present and
  // not yet inserted the message that refers to it.
  // meta.db is attached to the blob writer only for this: attached, every
  // BEGIN IMMEDIATE there would take meta.db's write lock too, and the blob
  // phase of one batch would wait for the meta phase of the one before it.
  commit_->exclusive([&] {
    auto attach = blobs_w_->query("ATTACH DATABASE $1 AS m", (options_.dir / "meta.db").string());
    result = attach ? attach->run() : Result<void>(attach.error());
    if (!result) return;
    result = transaction(*blobs_w_, [&]() -> Result<void> {
      auto q = blobs_w_->query(
          "DELETE FROM blobs WHERE created <= $1 AND NOT EXISTS (SELECT 1 FROM m.messages mm "
          "WHERE mm.account = blobs.account AND mm.blob = blobs.address) "
          "AND NOT EXISTS (SELECT 1 FROM m.queue mq "
          "WHERE mq.account = blobs.account AND mq.blob = blobs.address) "
          "RETURNING ref",
          static_cast<std::int64_t>(std::time(nullptr) - min_age.count()));
      if (!q) return q.error();
      for (;;) {
        auto row = q->step();
        if (!row) return row.error();
        if (!*row) return {};
        ++removed;
      }
    });
    if (auto detach = blobs_w_->exec("DETACH DATABASE m"); !detach && result) result = detach;
  });
  if (!result) return result.error();
  return removed;
}

}  // namespace appliance::store::sqlite
