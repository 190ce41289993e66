// NAME
//   retention.cpp - the retention limits and the job that applies them.
#include "auth/retention.h"

namespace appliance::auth {

Result<RetentionPolicy> read_retention(const config::Document& doc) {
  config::Reader r(doc, "retention");
  RetentionPolicy p;
  p.login_days = static_cast<int>(r.integer("login_days", 1, 3650, p.login_days));
  p.closed_account_days =
      static_cast<int>(r.integer("closed_account_days", 0, 3650, p.closed_account_days));
  if (auto done = r.finish(); !done) return done.error();
  return p;
}

Result<RetentionReport> run_retention(store::Store& store, AccountService& accounts,
                                      const Clock& clock, const RetentionPolicy& policy) {
  RetentionReport report;
  std::int64_t before = clock.unix_seconds() - std::int64_t{policy.login_days} * 86400;
  auto removed = store.logs().purge_logins(before);
  if (!removed) return removed.error();
  report.logins_removed = *removed;
  auto destroyed = accounts.purge_closed(policy.closed_account_days, "retention");
  if (!destroyed) return destroyed.error();
  report.accounts_destroyed = std::move(destroyed).value();
  return report;
}

}  // namespace appliance::auth
