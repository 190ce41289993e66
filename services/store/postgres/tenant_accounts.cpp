// NAME
//   tenant_accounts.cpp - the sign-in data of a tenant's accounts on
//   PostgreSQL: reads on a pooled connection, writes as group-commit jobs.
//   The statements themselves are shared with SQLite (store/sql_accounts.h).
#include "store/postgres/tenant.h"

namespace appliance::store::postgres {

Result<void> PgTenant::look(const std::function<Result<void>(Connection&)>& fn) {
  auto c = reader();
  if (!c) return c.error();
  return fn(**c);
}

Result<void> PgTenant::change(const std::function<Result<void>(Connection&)>& fn) {
  WriteJob job;
  job.run = fn;
  return write(job);
}

}  // namespace appliance::store::postgres
