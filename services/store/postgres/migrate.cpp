// NAME
//   migrate.cpp - create the schema, apply its steps, refuse a newer one.
#include "store/postgres/migrate.h"

#include <fmt/format.h>

namespace appliance::store::postgres {
namespace {

// Serialises migrations of one schema across connections and processes.
Result<void> lock(Connection& c, std::string_view schema) {
  auto r = c.query("SELECT pg_advisory_xact_lock(hashtext($1))", schema);
  if (!r) return r.error();
  return {};
}

Result<int> version(Connection& c) {
  if (auto r = c.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); !r)
    return r.error();
  auto q = c.query("SELECT max(version) FROM schema_version");
  if (!q) return q.error();
  return q->null(0, 0) ? 0 : static_cast<int>(q->int64(0, 0));
}

Result<void> prepare(Connection& c, std::string_view schema, bool create) {
  return transaction(c, [&]() -> Result<void> {
    if (auto r = lock(c, schema); !r) return r;
    if (create) return c.exec(fmt::format("CREATE SCHEMA IF NOT EXISTS \"{}\"", schema));
    auto q = c.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", schema);
    if (!q) return q.error();
    if (q->empty()) return make_error(fmt::format("schema {} is missing", schema));
    return {};
  });
}

Result<void> apply(Connection& c, std::string_view schema, const Migration& step) {
  return transaction(c, [&]() -> Result<void> {
    if (auto r = lock(c, schema); !r) return r;
    auto current = version(c);
    if (!current) return current.error();
    if (*current >= step.version) return {};  // another process applied it
    if (auto r = c.exec(step.sql); !r) return r;
    if (auto r = c.exec("DELETE FROM schema_version"); !r) return r;
    auto ins = c.query("INSERT INTO schema_version (version) VALUES ($1)", step.version);
    if (!ins) return ins.error();
    return {};
  });
}

}  // namespace

Result<void> migrate(Connection& c, std::string_view schema, std::span<const Migration> steps,
                     bool create) {
  if (auto r = prepare(c, schema, create); !r) return r;
  Result<int> current = 0;
  if (auto r =
          transaction(c, [&] { return (current = version(c)) ? Result<void>() : current.error(); });
      !r)
    return r;
  int latest = steps.empty() ? 0 : steps.back().version;
  if (*current > latest)
    return make_error(fmt::format("schema {}: schema version {} is newer than this binary's {}",
                                  schema, *current, latest));
  for (const auto& step : steps) {
    if (step.version <= *current) continue;
    if (auto r = apply(c, schema, step); !r)
      return make_error(fmt::format("migrating to schema {}: {}", step.version, r.message()));
  }
  return {};
}

}  // namespace appliance::store::postgres
