// NAME
//   migrate.h - versioned schema migrations for one SQLite database.
//
// DESCRIPTION
//   Each database records its schema version in `schema_version`. At open,
//   migrate() applies every newer step, each in its own transaction, and
//   refuses a database whose version is newer than the binary knows
//   ("schema version 7 is newer than this binary's 5"): an older binary must
//   not write to a newer layout, e.g. after a rollback of an update.
#pragma once

#include <span>
#include <string_view>

#include "common/result.h"
#include "store/sqlite/db.h"

namespace appliance::store::sqlite {

struct Migration {
  int version;
  std::string_view sql;
};

Result<int> schema_version(Database& db);
Result<void> migrate(Database& db, std::span<const Migration> steps);

// The schemas of this binary (schema.cpp).
std::span<const Migration> system_schema();
std::span<const Migration> tenant_schema();
std::span<const Migration> blob_schema();

}  // namespace appliance::store::sqlite
