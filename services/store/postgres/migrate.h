// NAME
//   migrate.h - versioned schema migrations for one PostgreSQL schema.
//
// DESCRIPTION
//   Each schema (the system schema `appliance`, one `tenant_<id>` per tenant)
//   records its version in its own `schema_version` table. At open, migrate()
//   applies every newer step, each in its own transaction under an advisory
//   lock (two processes opening the same tenant do not both apply a step),
//   and refuses a schema whose version is newer than the binary knows: an
//   older binary must not write to a newer layout. DDL is transactional in
//   PostgreSQL, so a step is applied whole or not at all.
#pragma once

#include <span>
#include <string_view>

#include "common/result.h"
#include "store/postgres/pg.h"

namespace appliance::store::postgres {

struct Migration {
  int version;
  std::string_view sql;
};

// create: make the schema when it is absent; otherwise an absent schema is an error.
Result<void> migrate(Connection& c, std::string_view schema, std::span<const Migration> steps,
                     bool create);

// The schemas of this binary (schema.cpp).
std::span<const Migration> system_schema();
std::span<const Migration> tenant_schema();

}  // namespace appliance::store::postgres
