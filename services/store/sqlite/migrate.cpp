// NAME
//   migrate.cpp - apply schema steps, refuse a newer schema.
#include "store/sqlite/migrate.h"

#include <fmt/format.h>

namespace appliance::store::sqlite {

Result<int> schema_version(Database& db) {
  if (auto r = db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); !r)
    return r.error();
  auto q = db.query("SELECT max(version) FROM schema_version");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  return *row && !q->null(0) ? static_cast<int>(q->int64(0)) : 0;
}

Result<void> migrate(Database& db, std::span<const Migration> steps) {
  auto current = schema_version(db);
  if (!current) return current.error();
  int latest = steps.empty() ? 0 : steps.back().version;
  if (*current > latest)
    return make_error(fmt::format("{}: schema version {} is newer than this binary's {}",
                                  db.path().string(), *current, latest));
  for (const auto& step : steps) {
    if (step.version <= *current) continue;
    auto r = transaction(db, [&]() -> Result<void> {
      if (auto e = db.exec(step.sql); !e) return e;
      auto q = db.query("DELETE FROM schema_version");
      if (!q) return q.error();
      if (auto e = q->run(); !e) return e;
      auto ins = db.query("INSERT INTO schema_version (version) VALUES ($1)", step.version);
      if (!ins) return ins.error();
      return ins->run();
    });
    if (!r) return make_error(fmt::format("migrating to schema {}: {}", step.version, r.message()));
  }
  return {};
}

}  // namespace appliance::store::sqlite
