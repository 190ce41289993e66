// NAME
//   tenant_check.cpp - integrity check and garbage collection of one tenant.
//
// DESCRIPTION
//   check() reports, each naming the schema and object: messages whose blob
//   is missing, blobs with missing chunks, data keys that no longer unwrap,
//   and (open_every_blob) blobs that do not open or do not match their
//   address. The pages themselves are PostgreSQL's to check (data checksums,
//   pg_amcheck); a page that fails its checksum while check() reads it is
//   reported like any other error and marks the tenant damaged. Orphaned
//   blobs (left by expunge) are counted, not errors: collect_garbage()
//   removes them.
#include <fmt/format.h>

#include "store/postgres/tenant.h"

namespace appliance::store::postgres {
namespace {

Result<std::uint64_t> count(Connection& c, std::string_view sql) {
  auto q = c.query(sql);
  if (!q) return q.error();
  return static_cast<std::uint64_t>(q->int64(0, 0));
}

}  // namespace

Result<CheckReport> PgTenant::check(bool open_every_blob) {
  auto c = reader();
  if (!c) return c.error();
  CheckReport report;
  auto r = transaction(
      **c,
      [&]() -> Result<void> {
        check_counts(**c, report);
        if (report.ok()) check_links(**c, report);
        if (report.ok()) check_keys(**c, report, open_every_blob);
        return {};
      },
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!r) report.errors.push_back(r.message());
  return report;
}

void PgTenant::check_counts(Connection& c, CheckReport& report) {
  auto accounts = count(c, "SELECT count(*) FROM accounts");
  auto messages = count(c, "SELECT count(*) FROM messages");
  auto blobs = count(c, "SELECT count(*) FROM blobs");
  auto orphans = count(c,
                       "SELECT count(*) FROM blobs bl WHERE NOT EXISTS (SELECT 1 FROM "
                       "messages m WHERE m.account = bl.account AND m.blob = bl.address) AND NOT EXISTS "
                       "(SELECT 1 FROM queue q WHERE q.account = bl.account AND q.blob = bl.address)");
  for (auto* r : {&accounts, &messages, &blobs, &orphans})
    if (!*r) return report.errors.push_back(r->message());
  report.accounts = *accounts, report.messages = *messages, report.blobs = *blobs;
  report.orphaned_blobs = *orphans;
}

void PgTenant::check_links(Connection& c, CheckReport& report) {
  auto q = c.query(
      "SELECT m.id, m.blob FROM messages m WHERE NOT EXISTS (SELECT 1 FROM blobs "
      "bl WHERE bl.account = m.account AND bl.address = m.blob)");
  if (!q) return report.errors.push_back(q.message());
  for (int i = 0; i < q->size(); ++i)
    report.errors.push_back(fmt::format("{}: message {} refers to blob {}, which is missing",
                                        c.where(), q->int64(i, 0), crypto::hex(q->bytes(i, 1))));
  auto k = c.query(
      "SELECT address, chunks, n FROM (SELECT bl.address, bl.chunks, (SELECT count(*) FROM "
      "chunks c WHERE c.blob = bl.ref) AS n FROM blobs bl) counted WHERE n != chunks");
  if (!k) return report.errors.push_back(k.message());
  for (int i = 0; i < k->size(); ++i)
    report.errors.push_back(fmt::format("{}: blob {} has {} of its {} chunks", c.where(),
                                        crypto::hex(k->bytes(i, 0)), k->int64(i, 2),
                                        k->int64(i, 1)));
}

void PgTenant::check_keys(Connection& c, CheckReport& report, bool open_every_blob) {
  auto q = c.query("SELECT id, address FROM accounts ORDER BY id");
  if (!q) return report.errors.push_back(q.message());
  for (int i = 0; i < q->size(); ++i) {
    Id id = q->int64(i, 0);
    if (auto k = unwrap_key(c, id); !k) {
      report.errors.push_back(
          fmt::format("{}: account {}: {}", c.where(), q->text(i, 1), k.message()));
      continue;
    }
    if (!open_every_blob) continue;
    auto b = c.query("SELECT address FROM blobs WHERE account = $1", id);
    if (!b) return report.errors.push_back(b.message());
    for (int j = 0; j < b->size(); ++j)
      if (auto r =
              open_blob(c, id, b->bytes(j, 0), [](std::string_view) -> Result<void> { return {}; });
          !r)
        report.errors.push_back(r.message());
  }
}

Result<std::uint64_t> PgTenant::collect_garbage(std::chrono::seconds min_age) {
  if (auto d = damaged(); !d) return d.error();
  std::uint64_t removed = 0;
  Result<void> result;
  // Between batches, like every write; the chunks go with their blob (ON DELETE CASCADE).
  commit_->exclusive([&] {
    result = transaction(*writer_, [&]() -> Result<void> {
      auto q = writer_->query(
          "DELETE FROM blobs WHERE created <= $1 AND NOT EXISTS (SELECT 1 FROM messages mm "
          "WHERE mm.account = blobs.account AND mm.blob = blobs.address) "
          "AND NOT EXISTS (SELECT 1 FROM queue mq "
          "WHERE mq.account = blobs.account AND mq.blob = blobs.address) "
          "RETURNING ref",
          static_cast<std::int64_t>(std::time(nullptr) - min_age.count()));
      if (!q) return q.error();
      removed = static_cast<std::uint64_t>(q->size());
      return {};
    });
  });
  if (!result) return result.error();
  return removed;
}

}  // namespace appliance::store::postgres
