// NAME
//   tenant_accounts.cpp - the sign-in data of a tenant's accounts on SQLite:
//   reads on a pooled connection, writes as group-commit jobs. The
//   statements themselves are shared with PostgreSQL (store/sql_accounts.h).
#include "store/sqlite/tenant.h"

namespace appliance::store::sqlite {

Result<void> SqliteTenant::look(const std::function<Result<void>(Database&)>& fn) {
  auto db = reader();
  if (!db) return db.error();
  return fn(**db);
}

Result<void> SqliteTenant::change(const std::function<Result<void>(Database&)>& fn) {
  WriteJob job;
  job.meta = fn;
  return write(job);
}

}  // namespace appliance::store::sqlite
