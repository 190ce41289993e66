// NAME
//   retention.cpp - the job that applies the retention limits.
#include "auth/retention.h"

namespace appliance::auth {

Result<RetentionReport> run_retention(store::Store& store, AccountService& accounts,
                                      const Clock& clock, const RetentionPolicy& policy) {
  RetentionReport report;
  auto removed = store.logs().purge_logins(days_ago(clock, policy.login_days));
  if (!removed) return removed.error();
  report.logins_removed = *removed;
  auto destroyed = accounts.purge_closed(policy.closed_account_days, "retention");
  if (!destroyed) return destroyed.error();
  report.accounts_destroyed = std::move(destroyed).value();
  return report;
}

}  // namespace appliance::auth
