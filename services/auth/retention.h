// NAME
//   retention.h - what is kept how long, and the job that removes the rest.
//
// DESCRIPTION
//   The `[accounts]` section sets the limits (auth/settings.h):
//   `login_log_days` (180: login-log entries older than this are removed) and
//   `closed_account_days` (30: a closed account is destroyed, with its mail
//   and data key, this many days after it was closed; 0 destroys at once).
//   run_retention() applies both;
//   `appliancectl retention run` calls it, and it runs daily, from the
//   supervisor in development and from appliance-retention.timer on a box.
//
//   Security events are not removed: they are the audit chain, and an
//   auditor reads them back further than the login log goes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auth/account_service.h"
#include "auth/clock.h"
#include "common/result.h"
#include "store/store.h"

namespace appliance::auth {

struct RetentionPolicy {
  int login_days = 180;
  int closed_account_days = 30;
};

struct RetentionReport {
  std::uint64_t logins_removed = 0;
  std::vector<std::string> accounts_destroyed;
};

Result<RetentionReport> run_retention(store::Store& store, AccountService& accounts,
                                      const Clock& clock, const RetentionPolicy& policy);

}  // namespace appliance::auth
