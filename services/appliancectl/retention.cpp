// NAME
//   retention.cpp - `appliancectl retention run`: the daily retention job.
//
// DESCRIPTION
//   Reads the limits from the configuration's [accounts] section, removes
//   login-log entries and closed accounts that are due, and prints what it
//   removed. The supervisor (development) and appliance-retention.timer (a
//   box) run it daily; an administrator may run it at any time.
#include "appliancectl/retention.h"

#include <fmt/format.h>

#include <iostream>

#include "appliancectl/store_access.h"
#include "auth/retention.h"

namespace appliance::ctl {
namespace {

int run_job(store::Store& store, auth::AccountService& accounts,
            const auth::AccountSettings& settings) {
  const auth::RetentionPolicy& policy = settings.retention;
  auth::SystemClock clock;
  auto report = auth::run_retention(store, accounts, clock, policy);
  if (!report) return fail(report.message());
  std::cout << fmt::format("{} login log entries older than {} days removed\n",
                           report->logins_removed, policy.login_days);
  for (const std::string& a : report->accounts_destroyed)
    std::cout << fmt::format("account {} destroyed\n", a);
  std::cout << fmt::format("{} accounts closed {} days ago or more destroyed\n",
                           report->accounts_destroyed.size(), policy.closed_account_days);
  return 0;
}

}  // namespace

void add_retention_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code) {
  auto* retention = app.add_subcommand("retention", "Retention of logs and closed accounts");
  retention->require_subcommand(1);
  auto* run = retention->add_subcommand(
      "run", "Remove login-log entries and closed accounts that the retention limits say are due");
  run->callback([&home, &exit_code] { exit_code = with_account_settings(home, run_job); });
}

}  // namespace appliance::ctl
